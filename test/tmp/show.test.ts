import { it } from 'vitest';
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { allRules } from '../../rules/index.js';
import { lintText, ruleId } from '../../src/engine/index.js';
import { casesOf, projectFor, REPO } from '../../test/rules/fixtures.js';
it('show', () => {
  const id = process.env.RULE!;
  const names = (process.env.CASES ?? '').split(',');
  const rule = allRules.find((r) => ruleId(r) === id)!;
  for (const c of casesOf(id, (process.env.KIND as 'invalid') ?? 'invalid')) {
    if (!names.some((n) => c.name.includes(n))) continue;
    for (const f of c.files) {
      const { findings } = lintText({ text: readFileSync(f.path, 'utf8'), filename: f.path, displayPath: relative(REPO, f.path), rules: [rule], settings: { 'sc-migrate': { project: projectFor(c) } }, cwd: REPO });
      console.log('SHOW', JSON.stringify(f.key), JSON.stringify(findings.filter((x) => x.ruleId === id).map(({ line, column, messageId }) => ({ line, column, messageId }))));
    }
  }
});
