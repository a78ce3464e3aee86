#!/usr/bin/env node
// Thin launcher: the CLI is compiled to dist/ by `npm ci` / `npm run build` (the prepare script):
// tsc to dist/src, then bundled to dist/cli/main.cjs (scripts/bundle-cli.mjs: faster start-up,
// run with V8's code cache by ./bundle-loader.js). The bundle is used when it is at least as new
// as dist/src/cli/main.js (a tsc-only rebuild falls back to dist/src: same behaviour, slower).
// CommonJS (bin/package.json): Node starts it without its ES module loader.
'use strict';
const { statSync } = require('node:fs');
const { join } = require('node:path');
const { pathToFileURL } = require('node:url');

const root = join(__dirname, '..');
const mtime = (rel) => statSync(join(root, rel), { throwIfNoEntry: false })?.mtimeMs;
const compiled = mtime('dist/src/cli/main.js');
if (compiled === undefined) {
  process.stderr.write('sc-migrate: dist/ is missing; run `npm run build` (npm ci does it for you).\n');
  process.exit(2);
}
const bundled = mtime('dist/cli/main.cjs');
if (bundled !== undefined && bundled >= compiled) {
  // import() of packages, built-ins and file URLs from the bundle: Node's, from here (same package).
  const bundle = require('./bundle-loader.js').loadBundle(join(root, 'dist/cli/main.cjs'), root, (s) => import(s));
  bundle.exports.main(process.argv.slice(2)).then((code) => {
    bundle.done();
    process.exitCode = code;
  });
} else {
  import(pathToFileURL(join(root, 'dist/src/cli/main.js')).href)
    .then(({ main }) => main(process.argv.slice(2)))
    .then((code) => { process.exitCode = code; });
}
