// strans.mjs -- writes tests/conformance/strans.{cases,expected} (issue 11:
// Strudel's scaleTranspose through the events' scale, context.scale).
//
// Run beside corpus.mjs in a folder below an npm install of Strudel 1.2.6
// (node finds packages from the script's place): node strans.mjs tests/conformance
// A case is [from, to, phonon expression, strudel]: strudel gives the
// Strudel 1.2.6 pattern with the same meaning; its events are the expected
// output, Strudel's note names written as phonon prints them: semitones from c4.
import { writeCorpus } from './corpus.mjs';
import * as core from '@strudel/core';
import { mini } from '@strudel/mini';
import '@strudel/tonal';

const m = mini;
const semis = (v) => (typeof v === 'string' ? core.noteToMidi(v) - 60 : v);
const notes = (pat) => pat.fmap((v) => (typeof v === 'object' && v.note !== undefined ? { ...v, note: semis(v.note) } : semis(v)));
const S = '<C:major C:mixolydian F:lydian [F:minor Db:major]>';
const S3 = '<C:major C:mixolydian F:lydian [F:minor <Db:major Db:mixolydian>]>';

const cases = [
  ['# --- a patterned amount (structure from the pattern: Strudel\'s register, appLeft then innerJoin)'],
  ['0 2', '"0 2" $ scale "C:major" $ scaleTranspose "1 2"', () => notes(m('0 2').scale('C:major').scaleTranspose(m('1 2')))],
  ['0 2', '"0 2 4" $ scale "a:minor" $ strans "<1 -2> 3"', () => notes(m('0 2 4').scale('a:minor').strans(m('<1 -2> 3')))],
  ['0 1', '"0 1 2 3" $ scale "e:dorian" $ scaleTrans "0 -8"', () => notes(m('0 1 2 3').scale('e:dorian').scaleTrans(m('0 -8')))],
  ['0 1', '"0 4" $ scale "C:major" $ scaleTranspose 1', () => notes(m('0 4').scale('C:major').scaleTranspose(1))],
  ['0 1', '"6 -1" $ scale "C:major" $ scaleTranspose "1 -1"', () => notes(m('6 -1').scale('C:major').scaleTranspose(m('1 -1')))],
  ['0 1', '"0 2" $ scale "C:major" $ scaleTranspose "[1,3]"', () => notes(m('0 2').scale('C:major').scaleTranspose(m('[1,3]')))],
  ['# --- note names under the scale (snapped to it, then moved)'],
  ['0 1', '"c2 e2" $ scale "C:major" $ scaleTranspose 1', () => notes(m('c2 e2').scale('C:major').scaleTranspose(1))],
  ['0 1', '"c4 d#5 f" $ scale "c:minor" $ scaleTranspose "-1 2"', () => notes(m('c4 d#5 f').scale('c:minor').scaleTranspose(m('-1 2')))],
  ['0 1', '"b3 c4" $ scale "C:major" $ scaleTranspose "1 -1"', () => notes(m('b3 c4').scale('C:major').scaleTranspose(m('1 -1')))],
  ['# --- chords'],
  ['0 2', '"[0,2] 4" $ scale "e:dorian" $ strans "<1 -3>"', () => notes(m('[0,2] 4').scale('e:dorian').strans(m('<1 -3>')))],
  ['0 1', '"[0,2,4] [1,3]" $ scale "g:mixolydian" $ scaleTranspose "2 9"', () => notes(m('[0,2,4] [1,3]').scale('g:mixolydian').scaleTranspose(m('2 9')))],
  ['# --- a patterned scale, with struct and slow after it (Strudel\'s tunes "wavy kalimba", "blippy rhodes")'],
  ['0 8', `"<c2 c2 f2 [[F2 C2] db2]>" $ scale "${S}" $ scaleTranspose "[0 <2 4>]*2" $ struct "x*4" $ slow 2`,
    () => notes(m('<c2 c2 f2 [[F2 C2] db2]>').scale(m(S)).scaleTranspose(m('[0 <2 4>]*2')).struct(m('x*4')).slow(2))],
  ['0 8', `"<g4 c5 a4 [ab4 <eb5 f5>]>" $ scale "${S3}" $ struct "x*8" $ scaleTranspose "0 [-5,-2] -7 [-9,-2]" $ slow 2`,
    () => notes(m('<g4 c5 a4 [ab4 <eb5 f5>]>').scale(m(S3)).struct(m('x*8')).scaleTranspose(m('0 [-5,-2] -7 [-9,-2]')).slow(2))],
  ['0 2', '"0 1" $ scale "<c:minor g:major>" $ scaleTranspose (-3)', () => notes(m('0 1').scale(m('<c:minor g:major>')).scaleTranspose(-3))],
  ['0 1', '"0 3" $ scale "[c:major eb:lydian]" $ scaleTranspose "2 -9"', () => notes(m('0 3').scale(m('[c:major eb:lydian]')).scaleTranspose(m('2 -9')))],
  ['# --- transforms between scale and scaleTranspose keep the events\' scale'],
  ['0 1', '"0 2" $ scale "C:major" $ fast 2 $ rev $ scaleTranspose "1 2 3"',
    () => notes(m('0 2').scale('C:major').fast(2).rev().scaleTranspose(m('1 2 3')))],
  ['0 2', '"0 2" $ scale "a:minor" $ every 2 (fast 2) $ ply 2 $ scaleTranspose "<-1 1>"',
    () => notes(m('0 2').scale('a:minor').every(2, core.fast(2)).ply(2).scaleTranspose(m('<-1 1>')))],
  ['0 1', 'stack ["0 2" $ scale "C:major", "0 2" $ scale "D:dorian"] $ scaleTranspose 1',
    () => notes(core.stack(m('0 2').scale('C:major'), m('0 2').scale('D:dorian')).scaleTranspose(1))],
  ['0 1', '"0 2" $ scale "C:major" $ scaleTranspose 2 $ scaleTranspose "-1 1"',
    () => notes(m('0 2').scale('C:major').scaleTranspose(2).scaleTranspose(m('-1 1')))],
  ['0 1', '(note ("0 2" $ scale "C:major") # s "arpy") $ scaleTranspose "1 -1"',
    () => notes(core.note(m('0 2').scale('C:major')).s('arpy').scaleTranspose(m('1 -1')))],
  ['0 1', '("0 2" $ scale "C:major" $ struct "x x x") $ scaleTranspose 3',
    () => notes(m('0 2').scale('C:major').struct(m('x x x')).scaleTranspose(3))],
  ['# --- a Tidal scale name (no root) and toScale move in their steps too (Strudel has neither: checked by hand)'],
  ['0 1', '"0 6" $ scale "major" $ scaleTranspose "1 2"', ['0 1/2 0 1/2 2', '1/2 1 1/2 1 14']],
  ['0 1', '"0 3" $ toScale [0, 4, 7] $ scaleTranspose (-1)', ['0 1/2 0 1/2 -5', '1/2 1 1/2 1 7']],
  ['# --- errors: Strudel throws ("can only use scaleTranspose after .scale", "note ... is not in scale");'],
  ['# phonon plays the span silent and says why (query prints a warning): no events'],
  ['0 1', '"0 2" $ scaleTranspose 1', []],
  ['0 1', '"0 2" $ scale "C:major" $ (+ 1) $ scaleTranspose 1', []],
];
const [dir] = process.argv.slice(2);
writeCorpus(dir, 'strans', '# phonon conformance corpus strans (issue 11: Strudel\'s scaleTranspose, scaleTrans, strans through\n'
  + '# the scale each event came from, Strudel\'s context.scale): expected from Strudel 1.2.6\n'
  + '# generated by tests/conformance/strudel/strans.mjs\n', cases);
