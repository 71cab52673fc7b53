// tidal-more2.mjs -- writes tests/conformance/tidal-more2.{cases,expected}
// (issue 11: scale given note names, clip as legato, cpm, ...).
//
// Run from a directory where Strudel 1.2.6 is installed:
//   cd /work/strudel && node /path/to/tidal-more2.mjs /path/to/tests/conformance
// A case is [from, to, phonon expression, strudel]: strudel is a function
// giving the Strudel 1.2.6 pattern with the same meaning (its events are
// the expected output), or a list of event lines checked by hand from
// Tidal's definition (the comment above says which). Strudel's note names
// are written as phonon prints them: semitones from c4 (noteToMidi - 60).
import { writeFileSync } from 'node:fs';
import * as core from '@strudel/core';
import { mini } from '@strudel/mini';
import '@strudel/tonal';

const m = mini;
const semis = (v) => (typeof v === 'string' ? core.noteToMidi(v) - 60 : v);
const notes = (pat) => pat.fmap((v) => (typeof v === 'object' && v.note !== undefined ? { ...v, note: semis(v.note) } : semis(v)));
const legato = (pat) => pat.fmap(({ clip, ...v }) => ({ ...v, legato: clip }));

const cases = [
  ['# --- scale given note names: the nearest note of the scale, the higher on a tie (Strudel 1.2.6)'],
  ['0 1', '"c e g c#4 f#3 bb2 eb5 a" $ scale "C:major"', () => notes(m('c e g c#4 f#3 bb2 eb5 a').scale('C:major'))],
  ['0 1', '"c# d# f#" $ scale "d:minor"', () => notes(m('c# d# f#').scale('d:minor'))],
  ['0 2', '"c4 d4 e4" $ scale "<a:minor e:major>"', () => notes(m('c4 d4 e4').scale(m('<a:minor e:major>')))],
  ['# --- scale on control maps: the degree from note, else n; note set and n removed (Strudel 1.2.6)'],
  ['0 1', 'n "0 2 4" $ scale "C:major"', () => notes(core.n(m('0 2 4')).scale('C:major'))],
  ['0 1', 'note "0 -1 7" $ scale "a:minor"', () => notes(core.note(m('0 -1 7')).scale('a:minor'))],
  ['0 1', '(n "0 2" # s "arpy") $ scale "C:major"', () => notes(core.n(m('0 2')).s('arpy').scale('C:major'))],
  ['# --- clip: Strudel\'s legato (its key clip is phonon\'s legato key)'],
  ['0 1', 's "bd*2" # clip 0.5', () => legato(core.s(m('bd*2')).clip(0.5))],
  ['0 2', 's "bd sn" # clip "<1 0.25>"', () => legato(core.s(m('bd sn')).clip(m('<1 0.25>')))],
  ['# --- cpm: Strudel 1.2.6\'s repl defines it as fast(cpm / 60 / cps) (repl.mjs; core\'s export, fast(cpm / 60),'],
  ['# is what the repl replaces); phonon query runs at Strudel\'s default cps 0.5'],
  ['0 1', 's "<bd sn>, hh*2" $ cpm 90', () => core.s(m('<bd sn>, hh*2')).fast(90 / 60 / 0.5)],
  ['0 2', '"a b" $ cpm "<30 60>"', () => m('a b').fast(m('<30 60>').fmap((x) => x / 60 / 0.5))],
  ['0 1', '"a b c" $ cpm 15', () => m('a b c').fast(15 / 60 / 0.5)],
  ['# --- lindenmayer (Tidal only, hand-checked from Sound.Tidal.UI lindenmayer: each character with a rule'],
  ['# becomes what follows its \':\'; the result is one cycle of steps, digits numbers, ~ rests)'],
  ['0 1', 'lindenmayer 1 "a:b,b:ab" "ab"', ['0 1/3 0 1/3 b', '1/3 2/3 1/3 2/3 a', '2/3 1 2/3 1 b']],
  ['0 1', 'lindenmayer 2 "a:b,b:ab" "ab"',
    ['0 1/5 0 1/5 a', '1/5 2/5 1/5 2/5 b', '2/5 3/5 2/5 3/5 b', '3/5 4/5 3/5 4/5 a', '4/5 1 4/5 1 b']],
  ['0 1', 'lindenmayer 0 "a:b" "ab"', ['0 1/2 0 1/2 a', '1/2 1 1/2 1 b']],
  ['# "0" -> "1~~~" -> "0~~~2~~~~~0~~~2~" then ~~1~ three times: 28 steps'],
  ['0 1', 'lindenmayer 2 "0:1~~~,1:0~~~2~~~~~0~~~2~,2:2~1~,~:~~1~" "0"',
    ['0 1/28 0 1/28 0', '1/7 5/28 1/7 5/28 2', '5/14 11/28 5/14 11/28 0', '1/2 15/28 1/2 15/28 2',
     '9/14 19/28 9/14 19/28 1', '11/14 23/28 11/14 23/28 1', '13/14 27/28 13/14 27/28 1']],
  ['0 1', 'lindenmayer 1 "a:bc" "xa~"', ['0 1/4 0 1/4 x', '1/4 1/2 1/4 1/2 b', '1/2 3/4 1/2 3/4 c']],
];
// ---- the conformance format (README.md) ----
const quote = (x) => {
  if (x === '' || /\s|"/.test(x) || /^[[{]/.test(x) || ['-', 'true', 'false', 'null', 'undefined'].includes(x)) return JSON.stringify(x);
  const t = x.trim();
  if (t !== '' && !Number.isNaN(Number(x))) return JSON.stringify(x);
  if (['NaN', 'Infinity', '-Infinity', '+Infinity'].includes(x)) return JSON.stringify(x);
  return x;
};
const num = (x) => (Object.is(x, -0) ? '0' : String(x));
const sorted = (v) => {
  if (Array.isArray(v)) return v.map(sorted);
  if (v && typeof v === 'object') return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sorted(v[k])]));
  return v;
};
const value = (v) => {
  if (typeof v === 'number') return num(v);
  if (typeof v === 'string') return quote(v);
  if (typeof v === 'boolean') return String(v);
  return JSON.stringify(sorted(v));
};
const frac = (f) => {
  const sgn = f.s < 0 && f.n != 0 ? '-' : '';
  return f.d == 1 ? `${sgn}${f.n}` : `${sgn}${f.n}/${f.d}`;
};
const parse = (t) => {
  const [a, b] = t.split('/');
  return b ? Number(a) / Number(b) : Number(a);
};

const [dir] = process.argv.slice(2);
let caseText = '# phonon conformance corpus (issue 11: scale with note names, clip, cpm, ...), expected from Strudel 1.2.6\n'
  + '# where it has the function with the same arguments, else checked by hand from Tidal\'s definition (said above each case)\n'
  + '# generated by tests/conformance/strudel/tidal-more2.mjs\n';
let expText = '';
for (const c of cases) {
  if (c.length === 1) {
    caseText += c[0] + '\n';
    continue;
  }
  const [range, expr, ref] = c;
  const line = `${range}\t${expr}`;
  caseText += line + '\n';
  expText += `### ${line}\n`;
  if (Array.isArray(ref)) {
    for (const l of ref) expText += l + '\n';
    continue;
  }
  const [from, to] = range.split(' ').map(parse);
  for (const h of ref().queryArc(from, to)) {
    const w = h.whole ? `${frac(h.whole.begin)} ${frac(h.whole.end)}` : '- -';
    expText += `${w} ${frac(h.part.begin)} ${frac(h.part.end)} ${value(h.value)}\n`;
  }
}
writeFileSync(`${dir}/tidal-more2.cases`, caseText);
writeFileSync(`${dir}/tidal-more2.expected`, expText);
