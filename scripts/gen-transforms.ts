/** Writes transforms/<id>.ts for every rule folder with a fix (and transforms/all.ts): `npx tsx scripts/gen-transforms.ts`. */
import { readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ruleFixes } from '../src/fix/providers.js';
import { transformEntry } from '../src/fix/transform.js';

const dir = join(import.meta.dirname, '..', 'transforms');
const ids = [...ruleFixes.map((f) => f.id), 'all'];
for (const f of readdirSync(dir)) if (f.endsWith('.ts') && !ids.includes(f.slice(0, -3))) rmSync(join(dir, f));
for (const id of ids) writeFileSync(join(dir, `${id}.ts`), transformEntry(id));
console.log(`transforms: ${ids.length} entries`);
