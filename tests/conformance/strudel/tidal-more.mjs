// tidal-more.mjs -- writes tests/conformance/tidal-more.{cases,expected}
// (issue 11: Tidal's functions with a test, reset/restart, sig, fromMaybes).
//
// Run beside corpus.mjs in a folder below an npm install of Strudel 1.2.6
// (node finds packages from the script's place): node tidal-more.mjs tests/conformance
// A case is [from, to, phonon expression, strudel]: strudel is a function
// giving the Strudel 1.2.6 pattern with the same meaning (its events are
// the expected output), or a list of event lines checked by hand from
// Tidal's definition (the comment above says which).
import { writeCorpus } from './corpus.mjs';
import * as core from '@strudel/core';
import { mini } from '@strudel/mini';

const m = mini;
const { s, n, signal } = core;

const cases = [
  ['# --- when, ifp (Tidal only; not Strudel\'s when, which takes a boolean pattern), hand-checked from Core.hs/UI.hs:'],
  ['# the query split at cycles; cycle c from f p when the test of c is true, else from p'],
  ['0 2', '"a b" $ when ((== 1) . (`mod` 2)) (fast 2)',
    ['0 1/2 0 1/2 a', '1/2 1 1/2 1 b', '1 5/4 1 5/4 a', '5/4 3/2 5/4 3/2 b', '3/2 7/4 3/2 7/4 a', '7/4 2 7/4 2 b']],
  ['0 2', '"a b" $ when even rev', ['0 1/2 0 1/2 b', '1/2 1 1/2 1 a', '1 3/2 1 3/2 a', '3/2 2 3/2 2 b']],
  ['0 3', '"a" $ when (> 1) (fast 2)', ['0 1 0 1 a', '1 2 1 2 a', '2 5/2 2 5/2 a', '5/2 3 5/2 3 a']],
  ['0 2', '"a b" $ when (not . even) rev', ['0 1/2 0 1/2 a', '1/2 1 1/2 1 b', '1 3/2 1 3/2 b', '3/2 2 3/2 2 a']],
  ['# a shifted pattern: cycle 1 from rev p, cut at the cycle (its b starts in cycle 0 of p shifted)'],
  ['0 2', '"a b" $ when odd (0.25 ~>)',
    ['0 1/2 0 1/2 a', '1/2 1 1/2 1 b', '3/4 5/4 1 5/4 b', '5/4 7/4 5/4 7/4 a', '7/4 9/4 7/4 2 b']],
  ['0 2', '"a b" $ ifp ((== 0) . (flip mod 2)) rev (fast 2)',
    ['0 1/2 0 1/2 b', '1/2 1 1/2 1 a', '1 5/4 1 5/4 a', '5/4 3/2 5/4 3/2 b', '3/2 7/4 3/2 7/4 a', '7/4 2 7/4 2 b']],
  ['# --- whenT (Tidal only): tests each event\'s onset (Tidal: each query\'s start)'],
  ['0 2', 's "a*4" $ whenT ((< 0.5) . (flip Data.Fixed.mod\' 2)) (# speed 2)',
    ['0 1/4 0 1/4 {"s":"a","speed":2}', '1/4 1/2 1/4 1/2 {"s":"a","speed":2}', '1/2 3/4 1/2 3/4 {"s":"a"}',
     '3/4 1 3/4 1 {"s":"a"}', '1 5/4 1 5/4 {"s":"a"}', '5/4 3/2 5/4 3/2 {"s":"a"}', '3/2 7/4 3/2 7/4 {"s":"a"}',
     '7/4 2 7/4 2 {"s":"a"}']],
  ['0 1', '"a b" $ whenT (>= 0.5) (fast 2)', ['0 1/2 0 1/2 a', '1/2 3/4 1/2 3/4 a', '3/4 1 3/4 1 b']],
  ['# --- filterValues, filterWhen (Tidal only, Pattern.hs): the events whose value / whole start pass'],
  ['0 1', '"0 1 2 3" $ filterValues (> 1)', ['1/2 3/4 1/2 3/4 2', '3/4 1 3/4 1 3']],
  ['0 1', '"bd sn bd" $ filterValues (== "bd")', ['0 1/3 0 1/3 bd', '2/3 1 2/3 1 bd']],
  ['0 1', '"0 1 2 3" $ filterValues odd', ['1/4 1/2 1/4 1/2 1', '3/4 1 3/4 1 3']],
  ['0 1', '"a*4" $ filterWhen (>= 0.5)', ['1/2 3/4 1/2 3/4 a', '3/4 1 3/4 1 a']],
  ['# an event begun before the query keeps its whole start: 1/2 passes (< 0.75) although the part starts at 3/4'],
  ['3/4 1', '"a b" $ filterWhen (< 0.75)', ['1/2 1 3/4 1 b']],
  ['# --- while (Tidal only, UI.hs): sew b (f p) p'],
  ['0 1', '"a*4" $ while "1 0" (fast 2)',
    ['0 1/8 0 1/8 a', '1/8 1/4 1/8 1/4 a', '1/4 3/8 1/4 3/8 a', '3/8 1/2 3/8 1/2 a', '1/2 3/4 1/2 3/4 a', '3/4 1 3/4 1 a']],
  ['# --- the test vocabulary: comparisons (booleans, structure from both sides; a section keeps the pattern\'s),'],
  ['# Haskell\'s mod/div (infix and by name, flip), even, odd, not (hand-checked)'],
  ['0 1', '"1 2 3" > 2', ['0 1/3 0 1/3 false', '1/3 2/3 1/3 2/3 false', '2/3 1 2/3 1 true']],
  ['0 2', '"1 2" == "<1 2>"', ['0 1/2 0 1/2 true', '1/2 1 1/2 1 false', '1 3/2 1 3/2 false', '3/2 2 3/2 2 true']],
  ['0 1', '"1 3" $ (<= 1)', ['0 1/2 0 1/2 true', '1/2 1 1/2 1 false']],
  ['0 1', '"a b" $ (/= "a")', ['0 1/2 0 1/2 false', '1/2 1 1/2 1 true']],
  ['0 1', '"1 2" $ (2 <)', ['0 1/2 0 1/2 false', '1/2 1 1/2 1 false']],
  ['0 1', '"3 4" >= "4"', ['0 1/2 0 1/2 false', '1/2 1 1/2 1 true']],
  ['0 1', '"0 1 2 -3" $ even', ['0 1/4 0 1/4 true', '1/4 1/2 1/4 1/2 false', '1/2 3/4 1/2 3/4 true', '3/4 1 3/4 1 false']],
  ['0 1', '"0 -3" $ odd', ['0 1/2 0 1/2 false', '1/2 1 1/2 1 true']],
  ['0 1', '"0 1" $ not . even', ['0 1/2 0 1/2 false', '1/2 1 1/2 1 true']],
  ['0 1', '"7 -7" `mod` 3', ['0 1/2 0 1/2 1', '1/2 1 1/2 1 2']],
  ['0 1', '"7 -7" `div` 2', ['0 1/2 0 1/2 3', '1/2 1 1/2 1 -4']],
  ['0 1', '"7 8" $ flip mod 3', ['0 1/2 0 1/2 1', '1/2 1 1/2 1 2']],
  ['0 1', 'mod 7 3', ['0 1 0 1 1']],
  ['# show, elem (Haskell\'s, hand-checked): a number\'s text; an item of a list, or a character of a text (\'1\' is a Char)'],
  ['9 12', '"a" $ when ((elem \'1\') . show) (fast 2)',
    ['9 10 9 10 a', '10 21/2 10 21/2 a', '21/2 11 21/2 11 a', '11 23/2 11 23/2 a', '23/2 12 23/2 12 a']],
  ['0 1', '"12 3 41" $ (elem \'1\') . show', ['0 1/3 0 1/3 true', '1/3 2/3 1/3 2/3 false', '2/3 1 2/3 1 true']],
  ['0 1', '"a:1 b:2" $ elem 1', ['0 1/2 0 1/2 true', '1/2 1 1/2 1 false']],
  ['0 1', '"12 3" $ show', ['0 1/2 0 1/2 "12"', '1/2 1 1/2 1 "3"']],
  ['0 1', 'div 7 2', ['0 1 0 1 3']],
  ['0 1', '"2.5 4.5" $ (`mod\'` 2)', ['0 1/2 0 1/2 0.5', '1/2 1 1/2 1 0.5']],
  ['# --- reset, restart: Tidal\'s (Pattern.hs) and Strudel\'s pat.reset/restart (keepif) agree: expected from Strudel'],
  ['0 2', '"a b c d" $ reset "<t [~ t]>"', () => m('a b c d').reset(m('<t [~ t]>'))],
  ['0 2', 's "[<bd lt> sd]*2, hh*8" $ reset "<x@3 x(5,8)>"', () => s(m('[<bd lt> sd]*2, hh*8')).reset(m('<x@3 x(5,8)>'))],
  ['3 4', 's "[<bd lt> sd]*2, hh*8" $ reset "<x@3 x(5,8)>"', () => s(m('[<bd lt> sd]*2, hh*8')).reset(m('<x@3 x(5,8)>'))],
  ['3 4', '"<a b> c" $ restart "t . ~ t"', () => m('<a b> c').restart(m('t . ~ t'))],
  ['0 4', 's "[<bd lt> sd]*2, hh*4" $ restart "<x@3 x(3,8)>"', () => s(m('[<bd lt> sd]*2, hh*4')).restart(m('<x@3 x(3,8)>'))],
  ['0 2', '"a b c" $ restart "0 1"', () => m('a b c').restart(m('0 1'))],
  ['# --- sig: the function applied to the time; Strudel\'s signal(f) with the same function'],
  ['0 1', 'segment 4 $ sig (* 2)', () => signal((t) => t * 2).segment(4)],
  ['1 2', 'segment 2 $ signal (`mod\'` 1)', () => signal((t) => t % 1).segment(2)],
  ['1/2 1', 'sig (+ 1)', () => signal((t) => Number(t) + 1)],
  ['# --- id (Haskell\'s identity)'],
  ['0 1', '"a b" $ layer [id, (0.25 ~>)]',
    ['0 1/2 0 1/2 a', '-1/4 1/4 0 1/4 b', '1/4 3/4 1/4 3/4 a', '1/2 1 1/2 1 b', '3/4 5/4 3/4 1 b']],
  ['# --- a "..." string given as booleans (struct, mask, sew, stitch, while, reset, restart) is Tidal\'s Pattern Bool'],
  ['# (hand-checked from ParseBP.hs/UI.hs): t/true, f/false; a(k,n,r) is euclidOffBool, the left-out steps are not a'],
  ['0 1', 'sew "t(3,8)" "a*8" $ "b*8"',
    ['0 1/8 0 1/8 a', '1/8 1/4 1/8 1/4 b', '1/4 3/8 1/4 3/8 b', '3/8 1/2 3/8 1/2 a', '1/2 5/8 1/2 5/8 b',
     '5/8 3/4 5/8 3/4 b', '3/4 7/8 3/4 7/8 a', '7/8 1 7/8 1 b']],
  ['# f(3,8,2): the pulses of (3,8) rotated left 2 (.x..x.x.) are false, the rest true'],
  ['0 1', 'sew "f(3,8,2)" "a*8" $ "b*8"',
    ['0 1/8 0 1/8 a', '1/8 1/4 1/8 1/4 b', '1/4 3/8 1/4 3/8 a', '3/8 1/2 3/8 1/2 a', '1/2 5/8 1/2 5/8 b',
     '5/8 3/4 5/8 3/4 a', '3/4 7/8 3/4 7/8 b', '7/8 1 7/8 1 a']],
  ['0 1', '"a*4" $ struct "t f t t"', ['0 1/4 0 1/4 a', '1/2 3/4 1/2 3/4 a', '3/4 1 3/4 1 a']],
  ['0 1', '"a*4" $ mask "true false"', ['0 1/4 0 1/4 a', '1/4 1/2 1/4 1/2 a']],
  ['0 1', 'stitch "t(3,8)" "a" $ "b"',
    ['0 1/8 0 1/8 a', '1/8 1/4 1/8 1/4 b', '1/4 3/8 1/4 3/8 b', '3/8 1/2 3/8 1/2 a', '1/2 5/8 1/2 5/8 b',
     '5/8 3/4 5/8 3/4 b', '3/4 7/8 3/4 7/8 a', '7/8 1 7/8 1 b']],
  ['# (5,8) = x.xx.xx. in cycle 1'],
  ['1 2', 's "a*8" $ while "t(<3 5>,8)" (# speed 2)',
    ['1 9/8 1 9/8 {"s":"a","speed":2}', '9/8 5/4 9/8 5/4 {"s":"a"}', '5/4 11/8 5/4 11/8 {"s":"a","speed":2}',
     '11/8 3/2 11/8 3/2 {"s":"a","speed":2}', '3/2 13/8 3/2 13/8 {"s":"a"}', '13/8 7/4 13/8 7/4 {"s":"a","speed":2}',
     '7/4 15/8 7/4 15/8 {"s":"a","speed":2}', '15/8 2 15/8 2 {"s":"a"}']],
  ['0 1', '"a b c d" $ reset "t f"', ['0 1/4 0 1/4 a', '1/4 1/2 1/4 1/2 b']],
  ['# --- fromMaybes (Tidal only, Core.hs): fastcat with Nothing a rest; Just is pure'],
  ['0 1', 'fromMaybes [Just 0, Nothing, Just 2]', ['0 1/3 0 1/3 0', '2/3 1 2/3 1 2']],
];
const [dir] = process.argv.slice(2);
writeCorpus(dir, 'tidal-more', '# phonon conformance corpus (issue 11: functions with a test, reset, restart, sig), expected from Strudel 1.2.6\n'
  + '# where it has the function with the same arguments, else checked by hand from Tidal\'s definition (said above each case)\n'
  + '# generated by tests/conformance/strudel/tidal-more.mjs\n', cases);
