// tidal-5.mjs -- writes tests/conformance/tidal-5.{cases,expected} (issue 11:
// Tidal's ur, nTake, snowball, runMarkov, stripe; note names under Strudel's
// scale).
//
// Run beside corpus.mjs in a folder below an npm install of Strudel 1.2.6
// (node finds packages from the script's place): node tidal-5.mjs tests/conformance
// A case is [from, to, phonon expression, strudel]: strudel is a function
// giving the Strudel 1.2.6 pattern with the same meaning (its events are the
// expected output), or a list of event lines checked by hand from Tidal's
// definition (tidal-core's UI.hs and Params.hs; the comment above says how).
// Strudel's note names are written as phonon prints them: semitones from c4.
import { writeCorpus } from './corpus.mjs';
import * as core from '@strudel/core';
import { mini } from '@strudel/mini';
import '@strudel/tonal';

const m = mini;
const semis = (v) => (typeof v === 'string' ? core.noteToMidi(v) - 60 : v);
const notes = (pat) => pat.fmap((v) => (typeof v === 'object' && v.note !== undefined ? { ...v, note: semis(v.note) } : semis(v)));
const ev = (b, e, v) => `${b} ${e} ${b} ${e} ${v}`;
const evs = (list, f) => list.map(([b, e, v]) => ev(b, e, f(v)));
const nv = (x) => `{"n":${x}}`;
// [begin, end, x] of eight steps of cycle c: begin c + i/8 as a reduced fraction
const gcd = (a, b) => (b ? gcd(b, a % b) : a);
const at = (n) => (n % 8 === 0 ? `${n / 8}` : `${n / gcd(n, 8)}/${8 / gcd(n, 8)}`);
const eighths = (xs, c = 0) => xs.map((x, i) => [at(8 * c + i), at(8 * c + i + 1), x]);

const cases = [
  ['# --- note names under scale with a root: kept as names and snapped to the scale (Strudel 1.2.6,'],
  ['# note("c d#").scale("C:major"); with n too); numbers stay degrees'],
  ['0 1', 'note "c d#" $ scale "C:major"', () => notes(core.note(m('c d#')).scale('C:major'))],
  ['0 1', 'note "c e g b" $ scale "C:major"', () => notes(core.note(m('c e g b')).scale('C:major'))],
  ['0 1', 'n "c d#" $ scale "C:major"', () => notes(core.n(m('c d#')).scale('C:major'))],
  ['0 1', 'note "c4 d#5 f" $ scale "c:minor"', () => notes(core.note(m('c4 d#5 f')).scale('c:minor'))],
  ['0 1', '(note "c d#" # s "arpy") $ scale "C:major"', () => notes(core.note(m('c d#')).s('arpy').scale('C:major'))],
  ['0 2', 'note "<c e> [g a#]" $ scale "<C:major A:minor>"',
    () => notes(core.note(m('<c e> [g a#]')).scale(m('<C:major A:minor>')))],
  ['0 2', 'note ("c d#" + "<0 3>") $ scale "C:major"', () => notes(core.note(m('c d#').add(m('<0 3>'))).scale('C:major'))],
  ['0 1', 'note "0 2 4" $ scale "C:major"', () => notes(core.note(m('0 2 4')).scale('C:major'))],
  ['# --- ur (Tidal only; hand-checked from UI.hs ur: the names stretched over the cycles; a name plays'],
  ['# _fast t of its pattern in the time it runs; name:f plays rotR s (inside (1/(e-s)) f p) over the'],
  ['# event\'s whole [s, e), restarted there; an unknown name is silence)'],
  ['0 4', 'ur 4 "a [a b:double]" [("a", s "bd*2"), ("b", s "hh*3")] [("double", fast 2)]',
    [...evs([['0', '1/2'], ['1/2', '1'], ['1', '3/2'], ['3/2', '2'], ['2', '5/2'], ['5/2', '3']], () => '{"s":"bd"}'),
      ...evs([['3', '19/6'], ['19/6', '10/3'], ['10/3', '7/2'], ['7/2', '11/3'], ['11/3', '23/6'], ['23/6', '4']], () => '{"s":"hh"}')]],
  ['# a in cycles 0 and 2 plays <0 1 2 3> as it runs there (0, 2); b in cycles 1 and 3 (20, 40)'],
  ['0 4', 'ur 2 "a b" [("a", n "<0 1 2 3>"), ("b", n "<10 20 30 40>")] []',
    evs([['0', '1', 0], ['1', '2', 20], ['2', '3', 2], ['3', '4', 40]], nv)],
  ['# b:rev in cycle 1 plays its cycle 0 reversed ([2 3] -> 3 2), not its cycle 1'],
  ['0 2', 'ur 2 "a b:rev" [("a", n "0 1"), ("b", n "<[2 3] [4 5]>")] [("rev", rev)]',
    evs([['0', '1/2', 0], ['1/2', '1', 1], ['1', '3/2', 3], ['3/2', '2', 2]], nv)],
  ['# an unknown function is id, inside the event: the pattern restarted at the event (rotR s p): its cycle 0'],
  ['0 2', 'ur 2 "a b:nope" [("a", n "0"), ("b", n "<5 6>")] []', [ev('0', '1', nv(0)), ev('1', '2', nv(5))]],
  ['0 1', 'ur 1 "a x" [("a", s "bd")] []', [ev('0', '1/2', '{"s":"bd"}')]],
  ['# 0 cycles: Tidal\'s _slow 0 is silence'],
  ['0 1', 'ur 0 "a" [("a", s "bd")] []', []],
  ['# --- nTake (Tidal only; hand-checked from Params.hs nTake = pStateListF: each onset takes the next value,'],
  ['# cycling; the counter counts the onsets from cycle 0, whatever the query)'],
  ['0 2', 's "arpy*4" # nTake "a" [0, 2, 5]',
    evs([['0', '1/4', 0], ['1/4', '1/2', 2], ['1/2', '3/4', 5], ['3/4', '1', 0], ['1', '5/4', 2], ['5/4', '3/2', 5],
      ['3/2', '7/4', 0], ['7/4', '2', 2]], (x) => `{"n":${x},"s":"arpy"}`)],
  ['5/4 7/4', 's "arpy*4" # nTake "a" [0, 2, 5]', [ev('5/4', '3/2', '{"n":5,"s":"arpy"}'), ev('3/2', '7/4', '{"n":0,"s":"arpy"}')]],
  ['0 3', 's "<bd*2 hh*3>" # nTake "x" [1, 2, 3, 4]',
    [ev('0', '1/2', '{"n":1,"s":"bd"}'), ev('1/2', '1', '{"n":2,"s":"bd"}'), ev('1', '4/3', '{"n":3,"s":"hh"}'),
      ev('4/3', '5/3', '{"n":4,"s":"hh"}'), ev('5/3', '2', '{"n":1,"s":"hh"}'), ev('2', '5/2', '{"n":2,"s":"bd"}'),
      ev('5/2', '3', '{"n":3,"s":"bd"}')]],
  ['0 3', 'nTake "a" [7, 8]', [ev('0', '1', nv(7)), ev('1', '2', nv(8)), ev('2', '3', nv(7))]],
  ['0 1', 'nTake "a" []', ['ERROR nTake: the list of values must not be empty']],
  ['# --- snowball (Tidal only; hand-checked from UI.hs: cat (take n (scanl c p (drop 1 (iterate f p)))))'],
  ['# cycle 1: p + slow 2 (rev p) = 0+3 5+5 3+5; cycle 2: that + 5 (f (f p) is 5 all cycle); cycle 3: + 5 again'],
  ['0 4', 'n (snowball 4 (+) (slow 2 . rev) "0 ~ 5 3")',
    evs([['0', '1/4', 0], ['1/2', '3/4', 5], ['3/4', '1', 3], ['1', '5/4', 3], ['3/2', '7/4', 10], ['7/4', '2', 8],
      ['2', '9/4', 8], ['5/2', '11/4', 15], ['11/4', '3', 13], ['3', '13/4', 13], ['7/2', '15/4', 20], ['15/4', '4', 18]], nv)],
  ['# (<>): p, then p with fast 2 p over it, then that with fast 4 p'],
  ['0 3', 'n (snowball 3 (<>) (fast 2) "0 1")',
    [ev('0', '1/2', nv(0)), ev('1/2', '1', nv(1)),
      ev('1', '3/2', nv(0)), ev('3/2', '2', nv(1)), ev('1', '5/4', nv(0)), ev('5/4', '3/2', nv(1)), ev('3/2', '7/4', nv(0)), ev('7/4', '2', nv(1)),
      ev('2', '5/2', nv(0)), ev('5/2', '3', nv(1)), ev('2', '9/4', nv(0)), ev('9/4', '5/2', nv(1)), ev('5/2', '11/4', nv(0)), ev('11/4', '3', nv(1)),
      ...evs(eighths([0, 1, 0, 1, 0, 1, 0, 1], 2), nv)]],
  ['# flip (-): each step is the new one minus the last: fast 2 p - p'],
  ['0 2', 'n (snowball 2 (flip (-)) (fast 2) "0 1")',
    [ev('0', '1/2', nv(0)), ev('1/2', '1', nv(1)), ev('1', '5/4', nv(0)), ev('5/4', '3/2', nv(1)), ev('3/2', '7/4', nv(-1)), ev('7/4', '2', nv(0))]],
  ['# (#): the controls of the transformed copy over the last'],
  ['1 2', 's "bd sn" # n 1 $ snowball 2 (#) (# speed 2)', [ev('1', '3/2', '{"n":1,"s":"bd","speed":2}'), ev('3/2', '2', '{"n":1,"s":"sn","speed":2}')]],
  ['0 1', 'n (snowball 2 fast (fast 2) "0 1")', ['ERROR snowball: expected an operator that combines two patterns, such as (+), (#) or (|+|)']],
  ['# --- runMarkov (Tidal only; hand-checked from UI.hs runMarkov with Tidal\'s timeToRand (64-bit xorwise):'],
  ['# state k follows state k-1 by r = timeToRand (seed + k/n), the first cumulative weight >= r * total'],
  ['# (equal ones: the last state); timeToRand (1/8) = 0.6520... -> 1 ... timeToRand 0 is 0.5)'],
  ['0 1', 'n (listToPat $ runMarkov 8 [[0.3, 0.7], [0.6, 0.4]] 0 0)',
    evs(eighths([0, 1, 1, 1, 0, 0, 0, 1]), nv)],
  ['0 4', 'n (fromList $ runMarkov 4 [[3, 5, 2], [4, 4, 2], [0, 1, 0]] 1 1)',
    [ev('0', '1', nv(1)), ev('1', '2', nv(0)), ev('2', '3', nv(1)), ev('3', '4', nv(1))]],
  ['# from state 2 of [0, 1, 0] Tidal goes to 2 (its Map keeps the last state of equal cumulative weights)'],
  ['0 1', 'n (listToPat $ runMarkov 8 [[3, 5, 2], [4, 4, 2], [0, 1, 0]] 1 1)',
    evs(eighths([1, 1, 0, 2, 2, 2, 2, 2]), nv)],
  ['# seed -1/2: the second draw is at time 0, timeToRand 0 = 0.5, which picks state 0 of [1, 1]'],
  ['0 1', 'n (listToPat $ runMarkov 4 [[1, 1], [1, 1]] 0 (-0.5))',
    [ev('0', '1/4', nv(0)), ev('1/4', '1/2', nv(1)), ev('1/2', '3/4', nv(0)), ev('3/4', '1', nv(1))]],
  ['0 1', 'n (runMarkov 4 [[1]] 0 0)', ['ERROR n: expected a pattern, found a list (listToPat or fromList makes one of a list)']],
  ['# --- stripe (Tidal only; hand-checked from UI.hs _stripe = substruct\' . randStruct: cycle c cut in n stripes'],
  ['# of lengths [1, 2, 3] !! floor (3 * timeToRand (c + i/n)): c 0, n 2: 2 1; c 1, n 2: 2 2; c 0 and 1, n 3: 2 2 3;'],
  ['# stripe i plays cycle c - i*n of the pattern, compressed into it)'],
  ['0 2', 's "bd sn ~ [hh cp]" $ stripe 2',
    [ev('0', '1/6', '{"s":"bd"}'), ev('1/6', '1/3', '{"s":"sn"}'), ev('1/2', '7/12', '{"s":"hh"}'), ev('7/12', '2/3', '{"s":"cp"}'),
      ev('2/3', '3/4', '{"s":"bd"}'), ev('3/4', '5/6', '{"s":"sn"}'), ev('11/12', '23/24', '{"s":"hh"}'), ev('23/24', '1', '{"s":"cp"}'),
      ev('1', '9/8', '{"s":"bd"}'), ev('9/8', '5/4', '{"s":"sn"}'), ev('11/8', '23/16', '{"s":"hh"}'), ev('23/16', '3/2', '{"s":"cp"}'),
      ev('3/2', '13/8', '{"s":"bd"}'), ev('13/8', '7/4', '{"s":"sn"}'), ev('15/8', '31/16', '{"s":"hh"}'), ev('31/16', '2', '{"s":"cp"}')]],
  ['0 2', 'n (stripe 3 "<0 1 2 3 4 5 6>")',
    [ev('0', '2/7', nv(0)), ev('2/7', '4/7', nv(4)), ev('4/7', '1', nv(1)),
      ev('1', '9/7', nv(1)), ev('9/7', '11/7', nv(5)), ev('11/7', '2', nv(2))]],
  ['0 2', 's "bd*2" $ stripe "<1 2>"',
    [ev('0', '1/2', '{"s":"bd"}'), ev('1/2', '1', '{"s":"bd"}'), ev('1', '5/4', '{"s":"bd"}'), ev('5/4', '3/2', '{"s":"bd"}'),
      ev('3/2', '7/4', '{"s":"bd"}'), ev('7/4', '2', '{"s":"bd"}')]],
  ['0 1', 's "bd" $ stripe 0', []],
];
const [dir] = process.argv.slice(2);
writeCorpus(dir, 'tidal-5', '# phonon conformance corpus tidal-5 (issue 11: ur, nTake, snowball, runMarkov, stripe; note names under\n'
  + '# scale): expected from Strudel 1.2.6 where it has the function with the same arguments (the note/scale\n'
  + '# cases), else checked by hand from Tidal\'s definition (said above each case; Strudel has none of the five)\n'
  + '# generated by tests/conformance/strudel/tidal-5.mjs\n', cases);
