#!/usr/bin/env node
// Thin launcher: the CLI is compiled to dist/ by `npm ci` / `npm run build` (the prepare script).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const entry = new URL('../dist/src/cli/main.js', import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  process.stderr.write('sc-migrate: dist/ is missing; run `npm run build` (npm ci does it for you).\n');
  process.exit(2);
}
const { main } = await import(entry.href);
process.exitCode = await main(process.argv.slice(2));
