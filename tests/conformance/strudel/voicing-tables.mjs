// Prints the voicing dictionaries of @strudel/tonal 1.2.6 as the rows of
// VOICING_DICTS in src/pat_voicing.h: each voicing's intervals as semitones
// above the root (Interval.semitones, as @strudel/tonal's renderVoicing
// reads them), voicings separated by ','. Only a dictionary's own keys are
// printed; the aliases @strudel/tonal adds to ireal and ireal-ext (m for -,
// M for ^, aug for +, "" for ^) are a rule in pat_voicing.c.
// Run: cp voicing-tables.mjs /work/strudel/ && cd /work/strudel && node voicing-tables.mjs
import * as tonal from '@strudel/tonal';
import { Interval } from '@tonaljs/tonal';

const reg = tonal.voicingRegistry;
const ids = { ireal: 'IREAL', 'ireal-ext': 'IREAL_EXT', lefthand: 'LEFTHAND', triads: 'TRIADS', guidetones: 'GUIDETONES', legacy: 'LEGACY' };
const own = (name) => {
  if (name === 'ireal') return tonal.simple;
  if (name === 'ireal-ext') return tonal.complex;
  return reg[name].dictionary;
};
for (const name of Object.keys(ids)) {
  const d = own(name);
  let keys = Object.keys(d);
  if (name.startsWith('ireal')) {
    // drop the alias keys: those made from another key by the rule
    const alias = new Set(['']);
    for (const k of Object.keys(tonal.simple)) {
      if (k.includes('-')) alias.add(k.replace('-', 'm'));
      if (k.includes('^')) alias.add(k.replace('^', 'M'));
      if (k.includes('+')) alias.add(k.replace('+', 'aug'));
    }
    keys = keys.filter((k) => !alias.has(k));
  }
  console.log(`    /* ${name} */ \\`);
  for (const k of keys) {
    const vs = d[k].map((v) => v.split(' ').map((x) => Interval.semitones(x)).join(' ')).join(', ');
    console.log(`    X(${ids[name]}, ${JSON.stringify(k)}, "${vs}") \\`);
  }
}
