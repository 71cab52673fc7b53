// peer.mjs -- writes tests/conformance/peer.{cases,expected}
// (issue 13: pattern transforms of the phonon family, ekg/phonon).
//
// Run beside corpus.mjs in a folder below an npm install of Strudel 1.2.6
// (node finds packages from the script's place): node peer.mjs tests/conformance
// A case is [from, to, phonon expression, strudel]: strudel is a function
// giving the Strudel 1.2.6 pattern with the same meaning (its events are
// the expected output), or a list of event lines checked by hand (the
// comment above says from which definition).
import { writeCorpus } from './corpus.mjs';
import * as core from '@strudel/core';
import { mini } from '@strudel/mini';

const m = mini;
const { s, n, stack } = core;

const F = core.Fraction;
const rnd = (t) => core.rand.queryArc(t, t)[0].value;
// humanize as defined above: a pattern-like object whose queryArc gives the haps
const humanize = (pat, t, v, from, to) => ({
  queryArc: () => {
    const out = [];
    for (const h of pat.queryArc(from - t, to + t)) {
      const mid = (h.whole.begin.valueOf() + h.whole.end.valueOf()) / 2;
      const off = F(Math.round(t * (2 * rnd(mid) - 1) * 10000)).div(10000);
      let value = h.value;
      if (v > 0 && typeof value === 'object') value = { ...value, gain: (value.gain ?? 1) * (1 - v * rnd(mid + 0.5)) };
      const wb = h.whole.begin.add(off), we = h.whole.end.add(off);
      let pb = h.part.begin.add(off), pe = h.part.end.add(off);
      pb = pb.lt(from) ? F(from) : pb;
      pe = pe.gt(to) ? F(to) : pe;
      if (pb.gte(pe)) continue;
      out.push({ whole: { begin: wb, end: we }, part: { begin: pb, end: pe }, value });
    }
    return out;
  },
});

const cases = [
  ['# focus: Strudel has it with the same arguments'],
  ['0 2', '"a b c d" $ focus 0.25 0.75', () => m('a b c d').focus(0.25, 0.75)],
  ['0 2', '"a b c d" $ focus 1.5 3', () => m('a b c d').focus(1.5, 3)],
  ['0 1', '"<a b> c" $ focus 0 2', () => m('<a b> c').focus(0, 2)],
  ['0 1', 's "bd hh sn hh" $ focus 0.25 0.5', () => s(m('bd hh sn hh')).focus(0.25, 0.5)],
  ['# stutter n t (Tidal\'s: stack [(t * i) ~> p | i <- [0 .. n - 1]]): expected from that stack in Strudel'],
  ['0 1', '"a b" $ stutter 3 (1/8)', () => stack(m('a b'), m('a b').late(1 / 8), m('a b').late(2 / 8))],
  ['0 2', 's "bd" $ stutter 4 0.25', () => stack(...[0, 1, 2, 3].map((i) => s(m('bd')).late(i * 0.25)))],
  ['# stutter 0 and 1 (hand-checked from Tidal\'s: an empty stack is silence; one copy is the pattern)'],
  ['0 1', '"a b" $ stutter 0 0.25', []],
  ['0 1', '"a b" $ stutter 1 0.25', ['0 1/2 0 1/2 a', '1/2 1 1/2 1 b']],
  ['# the peer\'s names for Tidal\'s functions (its src/pattern_ops*.rs: dup n = fast n, wait t = late t,'],
  ['# trim b e = zoom b e, mirror = palindrome, compressGap b e = compress b e meant, quantize as quantise)'],
  ['0 1', '"a b" $ dup 3', () => m('a b').fast(3)],
  ['0 1', '"a b" $ dup 0', () => m('a b').fast(0)],
  ['0 1', '"a b c" $ wait 0.25', () => m('a b c').late(0.25)],
  ['0 2', '"a b c d" $ trim 0.25 0.75', () => m('a b c d').zoom(0.25, 0.75)],
  ['0 2', '"a b c" $ mirror', () => m('a b c').palindrome()],
  ['0 2', '"a b c" $ compressGap 0.25 0.75', () => m('a b c').compress(0.25, 0.75)],
  ['# stretch (Tidal\'s, hand-checked): each cycle zoomed to the span its events cover'],
  ['0 2', '"~ a b ~" $ stretch', ['0 1/2 0 1/2 a', '1/2 1 1/2 1 b', '1 3/2 1 3/2 a', '3/2 2 3/2 2 b']],
  ['0 1', '"~ a [b c] ~ ~" $ stretch', ['0 1/2 0 1/2 a', '1/2 3/4 1/2 3/4 b', '3/4 1 3/4 1 c']],
  ['0 1', '"a b" $ stretch', ['0 1/2 0 1/2 a', '1/2 1 1/2 1 b']],
  ['# humanize t v (the peer\'s shuffle-like jitter, our definition of it: each event moved by t (2 r - 1) cycles'],
  ['# rounded to 1/10000, r = rand at the middle of its whole; a control map\'s gain times 1 - v * rand half a cycle later):'],
  ['# expected computed from that definition with Strudel\'s rand'],
  ['0 1', '"a b c d" $ humanize 0.1 0', () => humanize(m('a b c d'), 0.1, 0, 0, 1)],
  ['0 1', 's "a b" $ humanize 0 0.5', () => humanize(s(m('a b')), 0, 0.5, 0, 1)],
  ['1 2', 's "a*3" $ humanize 0.05 0.2', () => humanize(s(m('a*3')), 0.05, 0.2, 1, 2)],
  ['# walk s (the peer\'s random step per event, ours: p |+ range (-s) s rand): expected from that in Strudel'],
  ['0 2', '"0 1 2" $ walk 0.5', () => m('0 1 2').add(core.rand.mul(1).sub(0.5))],
  ['# groove preset amount (the peer\'s src/groove.rs presets, hand-checked): an event is moved by its 16th\'s deviation'],
  ['# times amount; mpc delays the odd 16ths by 1/32, jazz the odd 8ths (16ths 2, 3, 6, 7 ...) by 1/16; the last event of the cycle before may cross in'],
  ['0 1/4', '"a*16" $ groove "mpc" 0.5', ['-3/64 1/64 0 1/64 a', '0 1/16 0 1/16 a', '5/64 9/64 5/64 9/64 a', '1/8 3/16 1/8 3/16 a', '13/64 17/64 13/64 1/4 a']],
  ['0 1', '"a b c d" $ groove "jazz" 1', ['0 1/4 0 1/4 a', '1/4 1/2 1/4 1/2 b', '1/2 3/4 1/2 3/4 c', '3/4 1 3/4 1 d']],
  ['0 1/2', '"a*8" $ groove "jazz" 1', ['-1/16 1/16 0 1/16 a', '0 1/8 0 1/8 a', '3/16 5/16 3/16 5/16 a', '1/4 3/8 1/4 3/8 a', '7/16 9/16 7/16 1/2 a']],
  ['# quantize steps (the peer\'s: round (v * steps) / steps; hand-checked away from halves)'],
  ['0 1', '"0.3 1.6 -0.4" $ quantize 4', ['0 1/3 0 1/3 0.25', '1/3 2/3 1/3 2/3 1.5', '2/3 1 2/3 1 -0.5']],
];

const [dir] = process.argv.slice(2);
writeCorpus(dir, 'peer', '# phonon conformance corpus (issue 13: the phonon family\'s pattern transforms), expected from Strudel 1.2.6\n'
  + '# where it has the function with the same arguments, else checked by hand from the definition named above each case (Tidal\'s, or the peer\'s: ekg/phonon)\n'
  + '# generated by tests/conformance/strudel/peer.mjs\n', cases);
