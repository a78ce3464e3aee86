#!/usr/bin/env node
// Thin launcher: the CLI is compiled to dist/ by `npm ci` / `npm run build` (the prepare script):
// tsc to dist/src, then bundled to dist/cli (scripts/bundle-cli.mjs: faster start-up). The bundle
// is used when it is at least as new as dist/src/cli/main.js (a tsc-only rebuild falls back).
import { statSync } from 'node:fs';

const mtime = (rel) => statSync(new URL(rel, import.meta.url), { throwIfNoEntry: false })?.mtimeMs;
const compiled = mtime('../dist/src/cli/main.js');
if (compiled === undefined) {
  process.stderr.write('sc-migrate: dist/ is missing; run `npm run build` (npm ci does it for you).\n');
  process.exit(2);
}
const bundled = mtime('../dist/cli/main.js');
const entry = bundled !== undefined && bundled >= compiled ? '../dist/cli/main.js' : '../dist/src/cli/main.js';
const { main } = await import(new URL(entry, import.meta.url).href);
process.exitCode = await main(process.argv.slice(2));
