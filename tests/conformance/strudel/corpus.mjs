// corpus.mjs -- what the conformance generators share: the corpus format
// (tests/conformance/README.md) and the writing of NAME.{cases,expected}.
//
// writeCorpus(dir, name, header, cases): header is the .cases file's first
// lines; a case is [comment] (a '# ...' line of the .cases file), or
// [range, phonon expression, ref] where ref is a function giving the
// Strudel 1.2.6 pattern with the same meaning (its events over range are
// the expected output) or a list of event lines checked by hand.
//
// The generators import it as ./corpus.mjs: copy both into a folder below
// an npm install of @strudel/core, @strudel/mini, @strudel/tonal 1.2.6 and
// run them there (node resolves packages from the script's place, not the
// working directory).
import { writeFileSync } from 'node:fs';

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

export function writeCorpus(dir, name, header, cases) {
  let caseText = header;
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
  writeFileSync(`${dir}/${name}.cases`, caseText);
  writeFileSync(`${dir}/${name}.expected`, expText);
}
