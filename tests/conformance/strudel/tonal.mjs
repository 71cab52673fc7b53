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

// Section 3 of ../tidal-tonal.cases: transpose and rootNotes, values as Strudel gives them.
const cases3 = [
  ['0 1', 'transpose 3 "c e"', () => mini('c e').transpose(3)],
  ['0 4', 'transpose "<0 -2 5 3>" "c2 c3"', () => mini('c2 c3').transpose(mini('<0 -2 5 3>'))],
  ['0 1', 'transpose (-5) "0 1 12"', () => mini('0 1 12').transpose(-5)],
  ['0 1', 'transpose 14 "a4 f#3 bb2"', () => mini('a4 f#3 bb2').transpose(14)],
  ['0 1', 'transpose 6 "c4 e4"', () => mini('c4 e4').transpose(6)],
  ['0 1', 'transpose 1 "b3 e"', () => mini('b3 e').transpose(1)],
  ['0 1', 'transpose (-1) "c#4 f"', () => mini('c#4 f').transpose(-1)],
  ['0 1', 'transpose (-13) "eb5 g"', () => mini('eb5 g').transpose(-13)],
  ['0 1', 'n "0 2" $ transpose 3', () => core.n(mini('0 2')).transpose(3)],
  ['0 4', 'rootNotes 2 "<C^7 A7 Dm7 G7>"', () => mini('<C^7 A7 Dm7 G7>').rootNotes(2)],
  ['0 1', 'rootNotes 3 "Bb^7 F#m7b5"', () => mini('Bb^7 F#m7b5').rootNotes(3)],
  ['0 2', 'rootNotes "<2 4>" "C Am"', () => mini('C Am').rootNotes(mini('<2 4>'))],
];

// Section 4: scaleTranspose after scale, note names as semitones from c4 (as section 1).
const cases4 = [
  ['0 1', 'scaleTranspose 1 $ scale "c:major" "0 2 6"', () => mini('0 2 6').scale('c:major').scaleTranspose(1)],
  ['0 2', 'scaleTranspose "<0 -2>" $ scale "a:minor" "0 2"', () => mini('0 2').scale('a:minor').scaleTranspose(mini('<0 -2>'))],
  ['0 1', 'scaleTranspose 9 $ scale "e:dorian" "[0,2] 4"', () => mini('[0,2] 4').scale('e:dorian').scaleTranspose(9)],
  ['0 2', 'scaleTranspose (-3) $ scale "<c:minor g:major>" "0 1"', () => mini('0 1').scale(mini('<c:minor g:major>')).scaleTranspose(-3)],
];

const fmt = (v) => {
  if (typeof v === 'string') return String(core.noteToMidi(v) - 60);
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
};
const show = (list, f) => {
  for (const [range, expr, build] of list) {
    console.log(`### ${range}\t${expr}`);
    const [b, e] = range.split(' ').map(Number);
    for (const ev of build().queryArc(b, e))
      console.log(`${ev.whole.begin.toFraction()} ${ev.whole.end.toFraction()} ${ev.part.begin.toFraction()} ${ev.part.end.toFraction()} ${f(ev.value)}`);
  }
};
show(cases, fmt);
console.log('#-- section 3');
show(cases3, (v) => (typeof v === 'object' ? JSON.stringify(v) : String(v)));
console.log('#-- section 4');
show(cases4, fmt);
