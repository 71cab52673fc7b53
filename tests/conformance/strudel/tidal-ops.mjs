// Generates tests/conformance/tidal-ops.{cases,expected}: Tidal's operators
// |% %| |%| |** **| |++ ++| |++| <> and '.', and <~ ~> on transforms.
// Run from /work/strudel (Strudel 1.2.6): node <this file> <outdir>.
// Cases with a JS pattern are evaluated by Strudel; cases with `hand` lines
// (Tidal's ++, which Strudel lacks) were worked out by hand from Tidal's
// definition (a |++ b = (++) <$> a <* b) and are written out as given.
import * as core from '@strudel/core';
import { mini } from '@strudel/mini';
import { writeFileSync } from 'fs';

const m = mini;
const cases = [
  ['0 2', '"0 1 2 3 4 5 6 7" |% "<3 5>"', () => m('0 1 2 3 4 5 6 7').mod.in(m('<3 5>'))],
  ['0 1', '"9" %| "2 4 5"', () => m('9').mod.out(m('2 4 5'))],
  ['0 1', '"7 9" |%| "2 4 5"', () => m('7 9').mod.mix(m('2 4 5'))],
  ['0 1', '"-7 7 -2.5" |% 3', () => m('-7 7 -2.5').mod.in(3)],
  ['0 1', '"7 -7" |% (-3)', () => m('7 -7').mod.in(-3)],
  ['0 1', 'n "0 5 7" |% n 4', () => core.n(m('0 5 7')).mod.in(core.n(4))],
  ['0 2', '"1 2 3" |** "<2 0.5>"', () => m('1 2 3').pow.in(m('<2 0.5>'))],
  ['0 1', '"2 3" **| "1 2 3"', () => m('2 3').pow.out(m('1 2 3'))],
  ['0 1', '"2 3" |**| "1 2 3"', () => m('2 3').pow.mix(m('1 2 3'))],
  ['0 1', 'n ("0 3" |% 2) # s "x"', () => core.n(m('0 3').mod(2)).s('x')],
  ['0 1', 's "bd*2" <> s "~ hh"', () => core.stack(core.s(m('bd*2')), core.s(m('~ hh')))],
  ['0 1', '"a b c" <> "d e"', () => core.stack(m('a b c'), m('d e'))],
  ['0 1', 's "a b" <> s "c" <> s "d e f"', () => core.stack(core.s(m('a b')), core.s(m('c')), core.s(m('d e f')))],
  ['0 2', 'n ("0 2" |+ "<10 20>") <> n "7"', () => core.stack(core.n(m('0 2').add.in(m('<10 20>'))), core.n(m('7')))],
  ['0 4', '"a b c" $ every 2 (fast 2 . rev)', () => m('a b c').every(2, (x) => x.rev().fast(2))],
  ['0 1', 's "a b c d" $ (# speed 2) . rev', () => core.s(m('a b c d')).rev().speed(2)],
  ['0 1', '"a b c d" $ rev . (0.25 ~>)', () => m('a b c d').late(0.25).rev()],
  ['0 1', '"a b c" $ fast 2 . rev . (0.25 <~)', () => m('a b c').early(0.25).rev().fast(2)],
  ['0 4', '"a b c d" $ every 2 ("<0.25 0.5>" <~ fast 2)', () => m('a b c d').every(2, (x) => x.fast(2).early(m('<0.25 0.5>')))],
  ['0 2', '"a b c d" $ "<0 0.25>" <~ rev', () => m('a b c d').rev().early(m('<0 0.25>'))],
  ['0 2', '"a b c d" $ 0.25 ~> (fast 2 . rev)', () => m('a b c d').rev().fast(2).late(0.25)],
  ['0 2', '"a b c d" $ every 2 ("<0.25 0.125>" ~>)', () => m('a b c d').every(2, (x) => x.late(m('<0.25 0.125>')))],
  ['0 2', '"a b c d" $ within (0, 0.5) ("0 0.25" <~)', () => m('a b c d').within(0, 0.5, (x) => x.early(m('0 0.25')))],
  ['0 1', 's "a b c d" $ jux (hurry 2 . rev)', () => core.s(m('a b c d')).jux((x) => x.rev().hurry(2))],
  ['0 1', '"a" . "b"', null, ['ERROR']],
  ['0 1', 'fast 2 <> rev', null, ['ERROR']],
  ['0 2', '"drum bass" |++ "<2 3>"', null, [
    '0 1/2 0 1/2 drum2', '1/2 1 1/2 1 bass2', '1 3/2 1 3/2 drum3', '3/2 2 3/2 2 bass3']],
  ['0 1', '"drum" ++| "2 3"', null, ['0 1/2 0 1/2 drum2', '1/2 1 1/2 1 drum3']],
  ['0 1', '"drum bass" |++| "2 3 4"', null, [
    '0 1/3 0 1/3 drum2', '1/3 1/2 1/3 1/2 drum3', '1/2 2/3 1/2 2/3 bass3', '2/3 1 2/3 1 bass4']],
  ['0 2', 's ("bd sn" |++ "<x y>")', null, [
    '0 1/2 0 1/2 {"s":"bdx"}', '1/2 1 1/2 1 {"s":"snx"}', '1 3/2 1 3/2 {"s":"bdy"}', '3/2 2 3/2 2 {"s":"sny"}']],
  ['0 1', 's "drum" |++ s "2 3"', null, ['0 1 0 1/2 {"s":"drum2"}', '0 1 1/2 1 {"s":"drum3"}']],
];

function needsQuote(s) {
  return s === '' || /\s|"/.test(s) || s[0] === '[' || s[0] === '{' || s === '-' ||
    ['true', 'false', 'null', 'undefined'].includes(s) ||
    (s.trim() !== '' && !isNaN(Number(s)) && !/_/.test(s)) || s === 'NaN';
}
function sortKeys(v) {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object') return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortKeys(v[k])]));
  return v;
}
function fmtValue(v) {
  if (typeof v === 'number') return Object.is(v, -0) ? '0' : String(v);
  if (typeof v === 'string') return needsQuote(v) ? JSON.stringify(v) : v;
  return JSON.stringify(sortKeys(v));
}
const fr = (f) => f.toFraction();
function fmtEvent(e) {
  const w = e.whole ? `${fr(e.whole.begin)} ${fr(e.whole.end)}` : '- -';
  return `${w} ${fr(e.part.begin)} ${fr(e.part.end)} ${fmtValue(e.value)}`;
}

const out = process.argv[2] || '.';
let c = '# phonon corpus (issue 11 item 6): Tidal\'s operators |% %| |%| |** **| |++ ++| |++| <> and the\n' +
  '# composition \'.\', and <~ ~> with patterned times on transforms. Expected outputs from Strudel 1.2.6\n' +
  '# (tests/conformance/strudel/tidal-ops.mjs), except the ++ cases (Strudel has no ++): those are\n' +
  '# hand-checked from Tidal\'s definition, a |++ b = (++) <$> a <* b (numbers in a string pattern\n' +
  '# append as their text, as Tidal\'s Pattern String reads them).\n';
let x = '';
for (const [range, expr, js, hand] of cases) {
  const line = `${range}\t${expr}`;
  c += line + '\n';
  x += `### ${line}\n`;
  if (hand) { for (const h of hand) x += h + '\n'; continue; }
  const [a, b] = range.split(' ').map(Number);
  for (const e of js().queryArc(a, b)) x += fmtEvent(e) + '\n';
}
writeFileSync(`${out}/tidal-ops.cases`, c);
writeFileSync(`${out}/tidal-ops.expected`, x);
