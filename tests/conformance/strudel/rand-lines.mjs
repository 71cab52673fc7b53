// rand-lines.mjs -- tests/conformance/rand-lines.{cases,expected}: long
// mini-notation lines of steps with random operators (issue 9: the pattern of
// such a step is made once for its text and shared, each step shifting its
// random signals as its operators' numbers in the string do). Run it as
// corpus.mjs says, then copy both files into tests/conformance/.
import { mini } from '@strudel/mini';
import { writeCorpus } from './corpus.mjs';
const line = (words, n) => Array.from({ length: n }, (_, i) => words[i % words.length]).join(' ');
const lines = [
  [line(['bd?', 'sn', 'hh?0.3', '[cp|arpy]', 'bd*2?', '<a b>?', '~', 'x?'], 240), ['0 1', '7/3 10/3', '-2 -1']],
  [line(['bd?@2', 'sn', 'hh?0.3@0.5', '[cp|arpy]@3', 'x?'], 100), ['0 1', '3 4']],
  [line(['[bd? sn?]', 'hh?', '[x|y|z]?', 'cp'], 160), ['0 1', '5 6']],
  [line(['<bd? sn? hh> cp?', '[a b?]!2', 'c?!'], 90), ['0 3']],
];
const cases = [];
for (const [l, ranges] of lines)
  for (const r of ranges) cases.push([r, `"${l}"`, () => mini(l)]);
writeCorpus('.', 'rand-lines', '# phonon regression corpus (rand-lines): long lines of random steps, expected outputs from Strudel 1.2.6 (tests/conformance/strudel/rand-lines.mjs)\n', cases);
