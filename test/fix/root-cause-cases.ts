/**
 * Fix cases of one marker per root cause: rules/<id>/fixtures/fix/<case>/input/** (a small project)
 * -> output/** (every file after `fixFiles` over the whole project; unchanged files are copied too).
 * Regenerate with `npx tsx test/fix/root-cause-cases.ts` and review the diff.
 */
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fixProject } from './pairs.js';

export const RULES_DIR = resolve(import.meta.dirname, '../../rules');

export function rootCauseCases(): { rule: string; name: string; input: string; output: string }[] {
  return readdirSync(RULES_DIR).sort().flatMap((rule) => {
    const dir = join(RULES_DIR, rule, 'fixtures', 'fix');
    return existsSync(dir) ? readdirSync(dir).sort().map((name) => ({ rule, name, input: join(dir, name, 'input'), output: join(dir, name, 'output') })) : [];
  });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  for (const c of rootCauseCases()) {
    const after = await fixProject(c.input);
    rmSync(c.output, { recursive: true, force: true });
    for (const [rel, r] of after) {
      mkdirSync(dirname(join(c.output, rel)), { recursive: true });
      writeFileSync(join(c.output, rel), r.after);
    }
    console.log(`${c.rule}/${c.name}: ${[...after].filter(([, r]) => r.status === 'changed').map(([f, r]) => `${f} (${r.markers} markers)`).join(', ')}`);
  }
}
