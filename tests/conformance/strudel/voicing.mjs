// Expected outputs of ../voicing.cases: Strudel 1.2.6's voicing (@strudel/tonal)
// with its controls chord, dictionary/dict, anchor, mode, offset, n, octaves.
// Strudel gives each voiced note as a name ("E4"), or as a MIDI number when n
// is set; phonon gives semitones from c4 (the same pitch), so every note is
// written as noteToMidi(name) - 60 or number - 60. A case whose mini-notation
// Strudel cannot parse is expected as an ERROR.
// Run: cp voicing.mjs /work/strudel/ && cd /work/strudel && node voicing.mjs > ../voicing.expected
// Strudel's own messages (its banner, "[voicing]: unknown chord") go to
// console.log: silenced, the expected lines are written to stdout directly.
const out = (line) => process.stdout.write(line + '\n');
console.log = () => {};
const core = await import('@strudel/core');
const { mini } = await import('@strudel/mini');
await import('@strudel/tonal');

const m = mini;
const ch = (s) => core.chord(m(s));
const cases = [
  // the chord symbol grammar, default dictionary (ireal), anchor c5, mode below
  ['0 3', 'chord "<C^7 Dm7 G7>" # voicing', () => ch('<C^7 Dm7 G7>').voicing()],
  ['0 1', 'chord "C Cm C7 Cm7" # voicing', () => ch('C Cm C7 Cm7').voicing()],
  ['0 1', 'chord "C^7 CM7 C-7 C^" # voicing', () => ch('C^7 CM7 C-7 C^').voicing()],
  ['0 1', 'chord "Co Co7 Ch Ch7" # voicing', () => ch('Co Co7 Ch Ch7').voicing()],
  ['0 1', 'chord "Csus C7sus C9sus C13sus C7b9sus" # voicing', () => ch('Csus C7sus C9sus C13sus C7b9sus').voicing()],
  ['0 1', 'chord "Cadd9 C-add9 Cmadd9 C7susadd3" # voicing', () => ch('Cadd9 C-add9 Cmadd9 C7susadd3').voicing()],
  ['0 1', 'chord "C69 C-69 Cm69 C6 Cm6" # voicing', () => ch('C69 C-69 Cm69 C6 Cm6').voicing()],
  ['0 1', 'chord "C2 C5 C9 C11 C13" # voicing', () => ch('C2 C5 C9 C11 C13').voicing()],
  ['0 1', 'chord "C7b9 C7#9 C7#11 C7b5 C7#5 C7b13" # voicing', () => ch('C7b9 C7#9 C7#11 C7b5 C7#5 C7b13').voicing()],
  ['0 1', 'chord "C7alt C13#11 C13b9 C13#9 C7b13sus" # voicing', () => ch('C7alt C13#11 C13b9 C13#9 C7b13sus').voicing()],
  ['0 1', 'chord "C^9 C^13 C^7#11 C^9#11 C^7#5 CM9" # voicing', () => ch('C^9 C^13 C^7#11 C^9#11 C^7#5 CM9').voicing()],
  ['0 1', 'chord "C-6 C-^7 Cm^7 C-M7 C-^9 C-9 C-11 Cm11" # voicing', () => ch('C-6 C-^7 Cm^7 C-M7 C-^9 C-9 C-11 Cm11').voicing()],
  ['0 1', 'chord "C-7b5 Cm7b5 Ch9 C-b6 Cmb6 C-#5 Cm#5" # voicing', () => ch('C-7b5 Cm7b5 Ch9 C-b6 Cmb6 C-#5 Cm#5').voicing()],
  ['0 1', 'chord "C9#11 C9b5 C9#5 C7#9#5 C7#9b5 C7#9#11" # voicing', () => ch('C9#11 C9b5 C9#5 C7#9#5 C7#9b5 C7#9#11').voicing()],
  ['0 1', 'chord "C7b9#11 C7b9b5 C7b9#5 C7b9#9 C7b9b13" # voicing', () => ch('C7b9#11 C7b9b5 C7b9#5 C7b9#9 C7b9b13').voicing()],
  ['0 1', 'chord "Caug CM Cm C" # voicing', () => ch('Caug CM Cm C').voicing()],
  ['0 1', 'chord "F#m7 Bb^7 Ebadd9 Ab7 Db69 Gb-7 Cb B#" # voicing', () => ch('F#m7 Bb^7 Ebadd9 Ab7 Db69 Gb-7 Cb B#').voicing()],
  ['0 1', 'chord "C D E F G A B" # voicing', () => ch('C D E F G A B').voicing()],
  ['0 1', 'chord "Bbb7 C#^7 Ebb" # voicing', () => ch('Bbb7 C#^7 Ebb').voicing()],
  // unknown symbols, lower-case roots: nothing (Strudel logs "unknown chord")
  ['0 1', 'chord "C Cfoo Xm7 c dm7 Hm" # voicing', () => ch('C Cfoo Xm7 c dm7 Hm').voicing()],
  // a slash in mini-notation slows the step (Strudel and phonon alike)
  ['0 1', 'chord "C6/9" # voicing', () => ch('C6/9').voicing()],
  ['0 1', 'chord "Ab^7/C" # voicing', () => ch('Ab^7/C').voicing()],
  // a pattern of chord symbols, without the chord control
  ['0 2', '"<C^7 A7>" # voicing', () => m('<C^7 A7>').voicing()],
  ['0 4', '"<C^7 A7 Dm7 G7>" $ voicing', () => m('<C^7 A7 Dm7 G7>').voicing()],
  // anchor: a note name (octave 4 when none) or a MIDI number
  ['0 4', 'chord "C" # anchor "<c4 g4 c5 g5>" # voicing', () => ch('C').anchor(m('<c4 g4 c5 g5>')).voicing()],
  ['0 3', 'chord "Dm7" # anchor "<e4 f#4 bb3>" # voicing', () => ch('Dm7').anchor(m('<e4 f#4 bb3>')).voicing()],
  ['0 2', 'chord "G7" # anchor "<66 55>" # voicing', () => ch('G7').anchor(m('<66 55>')).voicing()],
  ['0 1', 'chord "C^7 F" # anchor "c" # voicing', () => ch('C^7 F').anchor('c').voicing()],
  // modes
  ['0 4', 'chord "C" # mode "<below above duck root>" # voicing', () => ch('C').mode(m('<below above duck root>')).voicing()],
  ['0 2', 'chord "<C^7 F7>" # mode "above" # anchor "c4" # voicing', () => ch('<C^7 F7>').mode('above').anchor('c4').voicing()],
  ['0 3', 'chord "C" # mode "duck" # anchor "<c5 g4 e4>" # voicing', () => ch('C').mode('duck').anchor(m('<c5 g4 e4>')).voicing()],
  ['0 2', 'chord "Am7" # mode "root" # anchor "<c4 c3>" # voicing', () => ch('Am7').mode('root').anchor(m('<c4 c3>')).voicing()],
  ['0 1', 'chord "C Eb" # mode "below:g4" # voicing', () => ch('C Eb').mode(m('below:g4')).voicing()],
  ['0 1', 'chord "F^7" # mode "above:e3" # voicing', () => ch('F^7').mode(m('above:e3')).voicing()],
  ['0 1', 'chord "C" # mode "sideways" # voicing', () => ch('C').mode('sideways').voicing()],
  // dictionaries
  ['0 3', 'chord "<C^7 Dm7 G7>" # dictionary "ireal-ext" # voicing', () => ch('<C^7 Dm7 G7>').dictionary('ireal-ext').voicing()],
  ['0 1', 'chord "C-11 C7alt C^7 C" # dict "ireal-ext" # voicing', () => ch('C-11 C7alt C^7 C').dict('ireal-ext').voicing()],
  ['0 5', 'chord "<C^7 Dm7 G7 Am7b5 Bo7>" # dictionary "lefthand" # voicing', () => ch('<C^7 Dm7 G7 Am7b5 Bo7>').dictionary('lefthand').voicing()],
  ['0 1', 'chord "C69 C7b9 C7#11 C7#9 CmM7 Cm6" # dictionary "lefthand" # voicing', () => ch('C69 C7b9 C7#11 C7#9 CmM7 Cm6').dictionary('lefthand').voicing()],
  ['0 5', 'chord "<C Am Bo Caug CM>" # dict "triads" # voicing', () => ch('<C Am Bo Caug CM>').dict('triads').voicing()],
  ['0 4', 'chord "<Dm7 G7 C^7 C6>" # dict "guidetones" # voicing', () => ch('<Dm7 G7 C^7 C6>').dict('guidetones').voicing()],
  ['0 4', 'chord "<C Am7 G7 Fm6>" # dict "legacy" # voicing', () => ch('<C Am7 G7 Fm6>').dict('legacy').voicing()],
  ['0 1', 'chord "C C^7" # dict "lefthand" # voicing', () => ch('C C^7').dict('lefthand').voicing()],
  ['0 1', 'chord "C" # dict "nosuch" # voicing', () => ch('C').dict('nosuch').voicing()],
  ['0 2', 'chord "<C^7 Dm7>" # dict "<lefthand ireal>" # voicing', () => ch('<C^7 Dm7>').dict(m('<lefthand ireal>')).voicing()],
  ['0 1', 'chord "C^7" # dict "guidetones" # mode "above" # anchor "c3" # voicing', () => ch('C^7').dict('guidetones').mode('above').anchor('c3').voicing()],
  // offset: the next voicing of the list
  ['0 6', 'chord "C" # offset "<0 1 2 3 -1 -2>" # voicing', () => ch('C').offset(m('<0 1 2 3 -1 -2>')).voicing()],
  ['0 3', 'chord "Dm7" # offset "<0 1 -1>" # dict "lefthand" # voicing', () => ch('Dm7').offset(m('<0 1 -1>')).dict('lefthand').voicing()],
  ['0 2', 'chord "C^7" # offset "<7 -6>" # mode "above" # voicing', () => ch('C^7').offset(m('<7 -6>')).mode('above').voicing()],
  // n: one note of the voicing, as a scale step; octaves
  ['0 2', 'n "0 1 2 3 4 5 6 7" # chord "<C Am F G>" # voicing', () => core.n(m('0 1 2 3 4 5 6 7')).chord(m('<C Am F G>')).voicing()],
  ['0 1', 'n "-1 -2 8 -6" # chord "C^7" # voicing', () => core.n(m('-1 -2 8 -6')).chord('C^7').voicing()],
  ['0 1', 'n "0 .. 7" # chord "C^7" # octaves 2 # voicing', () => core.n(m('0 .. 7')).chord('C^7').octaves(2).voicing()],
  ['0 1', 'n "0 2 4" # chord "Dm7" # dict "guidetones" # mode "duck" # anchor "f4" # voicing', () => core.n(m('0 2 4')).chord('Dm7').dict('guidetones').mode('duck').anchor('f4').voicing()],
  ['0 2', 'n "[0, 2] 1" # chord "<Em7 A7>" # anchor "<g4 c5>" # voicing', () => core.n(m('[0, 2] 1')).chord(m('<Em7 A7>')).anchor(m('<g4 c5>')).voicing()],
  // the other controls stay on each note (a note among them wins)
  ['0 2', 'chord "<C Am>" # s "piano" # gain 0.8 # voicing', () => ch('<C Am>').s('piano').gain(0.8).voicing()],
  ['0 1', 'note "c4 e4" # chord "C" # voicing', () => core.note(m('c4 e4')).chord('C').voicing()],
  ['0 1', 'chord "C Am" # voicing # s "superpiano"', () => ch('C Am').voicing().s('superpiano')],
  // structure: events keep their whole and part
  ['0 2', 'chord "<C^7 Dm7>*2" # anchor "<c4 e5>" # voicing', () => ch('<C^7 Dm7>*2').anchor(m('<c4 e5>')).voicing()],
  ['0 1', 'chord "[C, Am] ~ G7" # voicing', () => ch('[C, Am] ~ G7').voicing()],
  ['1/2 3/2', 'chord "C@3 Am" # voicing', () => ch('C@3 Am').voicing()],
  ['0 1', 'fast 2 $ chord "<C G>" # voicing', () => ch('<C G>').fast(2).voicing()],
  ['0 1', 'chord "C F" # voicing # mode "above"', () => ch('C F').voicing().mode('above')],
  // rootNotes of the chord control: { note } alone (Strudel's), as semitones from c4
  ['0 2', '(chord "<C^7 A7>" # s "x") $ rootNotes 2', () => ch('<C^7 A7>').s('x').rootNotes(2)],
  ['0 2', 'chord "<C^7 Bb>" $ rootNotes "<2 3>"', () => ch('<C^7 Bb>').rootNotes(m('<2 3>'))],
  ['0 2', 'stack [chord "<C^7 A7>" # voicing, chord "<C^7 A7>" $ rootNotes 2]', () => core.stack(ch('<C^7 A7>').voicing(), ch('<C^7 A7>').rootNotes(2))],
];

const fmtNote = (x) => (typeof x === 'string' ? core.noteToMidi(x) - 60 : x - 60);
const sortKeys = (o) => Object.fromEntries(Object.keys(o).sort().map((k) => [k, k === 'note' ? fmtNote(o[k]) : o[k]]));
const fmt = (v) => (typeof v === 'object' ? JSON.stringify(sortKeys(v)) : String(v));
for (const [range, expr, build] of cases) {
  out(`### ${range}\t${expr}`);
  const [b, e] = range.split(' ').map((x) => core.Fraction(x));
  let haps;
  try {
    haps = build().queryArc(b, e);
  } catch (err) {
    out(`ERROR ${err.message.split('\n')[0]}`);
    continue;
  }
  for (const ev of haps)
    out(`${ev.whole.begin.toFraction()} ${ev.whole.end.toFraction()} ${ev.part.begin.toFraction()} ${ev.part.end.toFraction()} ${fmt(ev.value)}`);
}
