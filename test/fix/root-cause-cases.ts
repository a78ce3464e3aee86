/**
 * Fix cases of one marker per root cause: rules/<id>/fixtures/fix/<case>/input/** (a small project)
 * -> output/** (every file after `fixFiles` over the whole project; unchanged files are copied too).
 * Regenerated with the pairs: `npx tsx test/fix/update-pairs.ts` (review the diff).
 */
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

const RULES_DIR = resolve(import.meta.dirname, '../../rules');

export function rootCauseCases(): { rule: string; name: string; input: string; output: string }[] {
  return readdirSync(RULES_DIR).sort().flatMap((rule) => {
    const dir = join(RULES_DIR, rule, 'fixtures', 'fix');
    return existsSync(dir) ? readdirSync(dir).sort().map((name) => ({ rule, name, input: join(dir, name, 'input'), output: join(dir, name, 'output') })) : [];
  });
}
