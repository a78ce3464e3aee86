/** Regenerates the .output files: `npx tsx test/fix/update-pairs.ts` (review the diff!). */
import { writeFileSync } from 'node:fs';
import { fixPairText, pairs, read } from './pairs.js';

for (const p of pairs()) {
  const r = fixPairText(read(p.input), p.input);
  if (r.status === 'failed') { console.error(p.input, r.error); continue; }
  writeFileSync(p.output, r.text);
  console.log(`${p.rule}/${p.name}: ${r.status}, ${r.markers} markers, remaining ${r.remaining.map((f) => f.ruleId).join(',')}`);
}
