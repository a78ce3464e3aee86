/** Regenerates the .output files: `npx tsx test/fix/update-pairs.ts` (review the diff!). */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { crossCases, fixPairText, fixProject, pairs, read } from './pairs.js';
import { rootCauseCases } from './root-cause-cases.js';

for (const p of pairs()) {
  const r = fixPairText(read(p.input), p.input);
  if (r.status === 'failed') { console.error(p.input, r.error); continue; }
  writeFileSync(p.output, r.text);
  console.log(`${p.rule}/${p.name}: ${r.status}, ${r.markers} markers, remaining ${r.remaining.map((f) => f.ruleId).join(',')}`);
}

// cross-file cases and the fix cases of rules/<id>/fixtures/fix: output/ = every file of input/ after fixFiles over the whole project
for (const c of [...crossCases().map((x) => ({ ...x, label: `cross-file/${x.name}` })), ...rootCauseCases().map((x) => ({ ...x, label: `${x.rule}/fixtures/fix/${x.name}` }))]) {
  const after = await fixProject(c.input);
  rmSync(c.output, { recursive: true, force: true });
  for (const [rel, r] of after) {
    mkdirSync(dirname(join(c.output, rel)), { recursive: true });
    writeFileSync(join(c.output, rel), r.after);
  }
  console.log(`${c.label}: ${[...after].filter(([, r]) => r.status === 'changed').map(([f]) => f).join(', ')} changed`);
}
