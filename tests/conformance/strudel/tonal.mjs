// Expected outputs of the Strudel-generated cases of ../tidal-tonal.cases:
// Strudel 1.2.6's `scale` with a root ("c:minor"). Strudel gives note names
// (C3, Eb3); phonon gives Tidal's numbers, so each name is written as its
// semitones from c4 (noteToMidi - 60), the same pitch.
// Run: cp tonal.mjs /work/strudel/ && cd /work/strudel && node tonal.mjs
import * as core from '@strudel/core';
import { mini } from '@strudel/mini';
import '@strudel/tonal';

const cases = [
  ['0 1', 'scale "c:minor" "0 2 4 -1 7"', () => mini('0 2 4 -1 7').scale('c:minor')],
  ['0 1', 'scale "a:minor" "0 1 2 3 4 5 6 7"', () => mini('0 1 2 3 4 5 6 7').scale('a:minor')],
  ['0 1', 'scale "c4:major" "0 2 4 -8"', () => mini('0 2 4 -8').scale('c4:major')],
  ['0 1', 'scale "eb:dorian" "0 .. 7"', () => mini('0 .. 7').scale('eb:dorian')],
  ['0 2', 'scale "<c:minor e:major>" "0 2 4"', () => mini('0 2 4').scale(mini('<c:minor e:major>'))],
  ['0 1', 'scale "f#2:lydian" "[0,2,4] 6"', () => mini('[0,2,4] 6').scale('f#2:lydian')],
  ['0 1', 'scale "c:chromatic" "0 5 13 -1"', () => mini('0 5 13 -1').scale('c:chromatic')],
  ['0 1', 'n (scale "g:mixolydian" "0 3 6")', () => core.n(mini('0 3 6').scale('g:mixolydian').fmap((x) => core.noteToMidi(x) - 60))],
];

const fmt = (v) => {
  if (typeof v === 'string') return String(core.noteToMidi(v) - 60);
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
};
for (const [range, expr, build] of cases) {
  console.log(`### ${range}\t${expr}`);
  const [b, e] = range.split(' ').map(Number);
  for (const ev of build().queryArc(b, e))
    console.log(`${ev.whole.begin.toFraction()} ${ev.whole.end.toFraction()} ${ev.part.begin.toFraction()} ${ev.part.end.toFraction()} ${fmt(ev.value)}`);
}
