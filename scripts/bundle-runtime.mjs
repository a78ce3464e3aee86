#!/usr/bin/env node
// `npm run build`, after tsc: the runtime for the apps `fix` migrates, in the shapes older
// toolchains can load. dist/src/runtime is ES2022 ES modules, which current Node and bundlers
// take through package.json "exports". The apps that still carry the old SoundCloud patterns
// are often older than that:
//   - CommonJS code on Node before 20.19 cannot require() an ES module (ERR_REQUIRE_ESM): the
//     "require" condition of "exports" gives it dist/runtime/{index,browser}.cjs;
//   - webpack 4 (and other bundlers that skip "exports" and do not run Babel on node_modules)
//     fail on `?.`, `??`, class fields and private `#names`: runtime/index.js and
//     runtime/browser.js at the package root (their fallback path) re-export ES2017 builds,
//     dist/runtime/{index,browser}.js.
// Same code, lowered by esbuild; nothing else changes. A test checks that every build exports
// the same names as dist/src/runtime and parses as ES2017.
import { mkdirSync, renameSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = join(root, 'dist/runtime');
mkdirSync(outdir, { recursive: true });

const builds = [];
for (const entry of ['index', 'browser']) {
  for (const format of ['cjs', 'esm']) {
    const outfile = join(outdir, `${entry}.${format === 'cjs' ? 'cjs' : 'js'}`);
    // Written beside and renamed over, like the CLI bundle: an app already running keeps its file.
    const tmp = `${outfile}.${process.pid}.tmp`;
    builds.push(
      esbuild
        .build({
          entryPoints: [join(root, `dist/src/runtime/${entry}.js`)],
          outfile: tmp,
          bundle: true,
          format,
          // The browser entry reaches no Node module (test/runtime/browser-entry.test.ts).
          platform: entry === 'browser' ? 'neutral' : 'node',
          mainFields: ['module', 'main'],
          target: 'es2017',
          // (the server entry's lazy `import('node:fs/promises')`: a require() in the ES2017 build,
          // which webpack 4 resolves; Node itself never loads that file, it takes "exports")
          supported: { 'dynamic-import': false },
          legalComments: 'none',
          logLevel: 'warning',
        })
        .then(() => renameSync(tmp, outfile)),
    );
  }
}
await Promise.all(builds);
