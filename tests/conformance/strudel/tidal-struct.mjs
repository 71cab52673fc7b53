// tidal-struct.mjs -- writes tests/conformance/tidal-struct.{cases,expected}.
//
// Run from a directory where @strudel/core and @strudel/mini 1.2.6 are
// installed:  node tests/conformance/strudel/tidal-struct.mjs OUTDIR
// Cases with a Strudel expression get their expected events from Strudel;
// the others (Tidal-only functions, or where Tidal and Strudel disagree and
// Tidal wins) are hand-checked from Tidal's definitions and kept, expected
// lines and all, in tidal-struct.hand next to this file.
import { createRequire } from 'node:module';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(join(process.cwd(), 'x.js'));
const core = await import(require.resolve('@strudel/core'));
const { mini } = await import(require.resolve('@strudel/mini'));
const m = mini;
const here = dirname(fileURLToPath(import.meta.url));
const outdir = process.argv[2] || join(here, '..');

// [range, phonon expression, Strudel pattern]
const strudel = [
  ['0 1', '"0 1 2 3" $ bite 4 "0 [2 1]"', () => m('0 1 2 3').bite(4, m('0 [2 1]'))],
  ['0 2', '"a b c d e f g h" $ bite 2 "<0 1> [1 0]"', () => m('a b c d e f g h').bite(2, m('<0 1> [1 0]'))],
  ['1/4 3/2', 's "bd*2 [sn cp]" $ bite 2 "1 0 1"', () => core.s(m('bd*2 [sn cp]')).bite(2, m('1 0 1'))],
  ['0 1', 'n "0 [1 2]" $ bite 4 "3 1"', () => core.n(m('0 [1 2]')).bite(4, m('3 1'))],
  ['0 1', '"0 1" $ plyWith 3 (+ 10)', () => m('0 1').plyWith(3, (p) => p.add(10))],
  ['1/4 7/4', '"0 1 2" $ plyWith 2 (* 2)', () => m('0 1 2').plyWith(2, (p) => p.mul(2))],
  ['0 2', 's "bd <sn cp>" $ plyWith 2 (|* gain 0.8)', () => core.s(m('bd <sn cp>')).plyWith(2, (p) => p.mul(core.gain(0.8)))],
  ['0 2', 'pure 3', () => core.pure(3)],
  ['0 1', 'pure "bd"', () => core.pure('bd')],
  ['0 1', 'segment 4 $ rand2', () => core.rand2.segment(4)],
  ['0 1', 'segment 4 $ range 1 5 saw', () => core.saw.range(1, 5).segment(4)],
  ['0 1', 'range 1 5 "0 0.5 1"', () => m('0 0.5 1').range(1, 5)],
  ['0 2', 'segment 2 $ range "1 2" 5 sine', () => core.sine.range(m('1 2'), 5).segment(2)],
  ['0 3', 'arrange [(2, "<a b c>"), (1, "d")]', () => core.arrange([2, m('<a b c>')], [1, m('d')])],
  ['0 2', '"a b c d" $ linger 0.25', () => m('a b c d').linger(0.25)],
  ['0 1', 's "bd" $ beat "0,7,10" 16', () => core.s(m('bd')).beat(m('0,7,10'), 16)],
  ['0 2', 's "<bd sn>" $ beat "<4 12>" 16', () => core.s(m('<bd sn>')).beat(m('<4 12>'), 16)],
  ['1/8 9/8', 'n "0 1" $ beat 2 4', () => core.n(m('0 1')).beat(2, 4)],
];

// conformance value text (README): numbers as JS prints them, -0 as 0;
// strings raw unless they need JSON quotes; lists and maps as JSON, keys sorted
function sorted(v) {
  if (Array.isArray(v)) return v.map(sorted);
  if (v && typeof v === 'object') return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sorted(v[k])]));
  return v;
}
function valueText(v) {
  if (typeof v === 'number') return Object.is(v, -0) ? '0' : String(v);
  if (typeof v === 'string') {
    const quote = v === '' || /\s|"/.test(v) || /^[[{]/.test(v) || ['-', 'true', 'false', 'null', 'undefined'].includes(v) ||
      (v.trim() !== '' && !isNaN(Number(v))) || v === 'NaN';
    return quote ? JSON.stringify(v) : v;
  }
  if (typeof v === 'boolean') return String(v);
  return JSON.stringify(sorted(v));
}
const frac = (f) => f.toFraction();
function events(pat, b, e) {
  return pat.queryArc(core.Fraction(b), core.Fraction(e)).map((h) =>
    [h.whole ? `${frac(h.whole.begin)} ${frac(h.whole.end)}` : '- -', frac(h.part.begin), frac(h.part.end), valueText(h.value)].join(' '));
}

const hand = readFileSync(join(here, 'tidal-struct.hand'), 'utf8');
let cases = '# phonon conformance corpus (tidal-struct): issue 11, structure and time functions.\n' +
  '# The first block: expected events from Strudel 1.2.6 (tests/conformance/strudel/tidal-struct.mjs).\n' +
  '# The second block: functions Strudel lacks, or where Tidal and Strudel disagree and Tidal wins\n' +
  '# (loopAt, slice, splice, seqPLoop, arrange after its first loop, binaryN, negative linger, chunk\');\n' +
  '# markovPat\'s cases were also checked against a separate model of Tidal\'s runMarkov and timeToRand (64-bit xorwise);\n' +
  '# expected outputs hand-checked from the definitions in Tidal\'s sources (UI.hs, Control.hs, Core.hs, Simple.hs).\n';
let expected = '';
const toFr = (s) => (s.includes('/') ? s.split('/').map(Number) : [Number(s), 1]);
for (const [range, expr, pat] of strudel) {
  const [b, e] = range.split(' ').map((x) => { const [n, d] = toFr(x); return n / d; });
  const line = `${range}\t${expr}`;
  cases += line + '\n';
  expected += `### ${line}\n`;
  for (const ev of events(pat(), range.split(' ')[0], range.split(' ')[1])) expected += ev + '\n';
}
cases += '\n# hand-checked from Tidal\'s definitions\n';
for (const block of hand.split(/^### /m).slice(1)) {
  const [line, ...rest] = block.split('\n');
  cases += line + '\n';
  expected += `### ${line}\n` + rest.filter((l) => l.trim() !== '').map((l) => l + '\n').join('');
}
writeFileSync(join(outdir, 'tidal-struct.cases'), cases);
writeFileSync(join(outdir, 'tidal-struct.expected'), expected);
