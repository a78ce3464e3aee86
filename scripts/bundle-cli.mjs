#!/usr/bin/env node
// `npm run build`, after tsc: bundles the CLI (dist/src/cli/main.js and what it imports) into
// dist/cli/ with esbuild, so that start-up loads a few files instead of ~110 ES modules and the
// small CommonJS packages on the scan path (ignore, picocolors, visitor-keys), each of which Node
// resolves, reads, compiles and links one by one (issue 12: `scan --staged` on one file).
// What the bundle holds is the compiled dist/ code, unchanged but for `import.meta.url`, which each
// module keeps pointing at its own file in dist/src (worker scripts, createRequire, package root).
// Dynamic import() stays lazy (code splitting). bin/sc-migrate.js uses the bundle when it is newer
// than dist/src/cli/main.js, else dist/src directly (same behaviour, slower start).
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const outdir = join(dist, 'cli');
const entry = join(dist, 'src/cli/main.js');
if (!existsSync(entry)) {
  console.error('bundle-cli: dist/src/cli/main.js is missing (run tsc first)');
  process.exit(1);
}
let esbuild;
try {
  esbuild = await import('esbuild');
} catch {
  // Installs without devDependencies: the CLI runs from dist/src.
  rmSync(outdir, { recursive: true, force: true });
  console.error('bundle-cli: esbuild is not installed; bin/sc-migrate.js will run dist/src/cli/main.js (slower start-up)');
  process.exit(0);
}

// Left to Node at run time: native bindings, large packages only some commands load, and yargs
// (loaded only for help and usage errors: src/cli/fast-args.ts). A new dependency with native
// parts, or one that reads files beside its own code, belongs here too (the e2e tests run the bundle).
const EXTERNAL = [
  'oxc-parser', '@oxc-parser/*', 'typescript', 'ts-morph', 'jscodeshift', 'yargs', 'yargs/*',
  '@typescript-eslint/typescript-estree', '@typescript-eslint/parser', 'eslint', 'vue-eslint-parser',
];

// Lazy groups: every import() of a module of a group loads the whole group, as one chunk. Left to
// itself esbuild makes a chunk per import() target and per set of targets sharing code: ~20 small
// files on the pre-commit path, each costing Node a resolve, a read, a compile and a link.
//   scan: what any scan runs (pipeline, git, reporters), not needed for --version or --help;
//   analysis: what a file that names SoundCloud needs (parser, rules, facts), not needed when
//   no file does (a large tree without SoundCloud code).
const GROUPS = {
  scan: ['src/cli/commands/scan-run.js', 'src/scan/run.js', 'src/scan/output.js', 'src/report/index.js', 'src/git/baseline.js', 'src/git/git.js', 'src/scan/discover.js'],
  analysis: ['src/engine/index.js', 'src/engine/analysis/facts.js', 'src/engine/analysis/project-facts.js', 'src/engine/parse.js', 'rules/index.js', 'src/engine/create-rule.js'],
  // The other commands: fewer import() targets, fewer chunks shared between them and the scan.
  fix: ['src/cli/fix-preview.js', 'src/fix/apply.js', 'src/fix/command.js'],
  deps: ['src/deps/audit.js', 'src/deps/report.js'],
};
// A module that moved or went is left out of its group (a warning): its import() gets a chunk of its own.
for (const [g, files] of Object.entries(GROUPS)) {
  GROUPS[g] = files.filter((f) => existsSync(join(dist, f)) || void console.error(`bundle-cli: warning: ${f} (lazy group ${g}) is missing: update GROUPS`));
}
const groupOf = new Map();
for (const [g, files] of Object.entries(GROUPS)) files.forEach((f, i) => groupOf.set(join(dist, f), { g, i }));

const ownFile = /[\\/]dist[\\/](src|rules|transforms)[\\/].*\.js$/;
const rewrites = { lazy: 0 };
const ownCode = {
  name: 'own-code',
  setup(build) {
    build.onResolve({ filter: /^sc-lazy:/ }, (args) => ({ path: args.path.slice('sc-lazy:'.length), namespace: 'sc-lazy' }));
    build.onLoad({ filter: /.*/, namespace: 'sc-lazy' }, (args) => ({
      contents: GROUPS[args.path].map((f, i) => `export * as m${i} from ${JSON.stringify(join(dist, f))};`).join('\n'),
      resolveDir: dist,
      loader: 'js',
    }));
    build.onLoad({ filter: ownFile }, (args) => {
      let code = readFileSync(args.path, 'utf8');
      // Each module keeps its own import.meta.url (its file in dist/): worker scripts, createRequire, package root.
      const rel = relative(outdir, args.path).split(sep).join('/');
      code = code.replaceAll('import.meta.url', `new URL(${JSON.stringify(rel)}, import.meta.url).href`);
      code = code.replace(/\bimport\((['"])(\.\.?\/[^'"]+)\1\)/g, (all, _q, spec) => {
        const hit = groupOf.get(join(dirname(args.path), spec));
        if (!hit) return all;
        rewrites.lazy++;
        return `import('sc-lazy:${hit.g}').then((g) => g.m${hit.i})`;
      });
      return { contents: code, loader: 'js' };
    });
  },
};

// Not emptied first: chunk names are content hashes, so a CLI already running keeps finding its
// chunks; the ones this build no longer produces are removed after it.
const result = await esbuild.build({
  entryPoints: { main: entry },
  outdir,
  absWorkingDir: root,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: EXTERNAL,
  // CommonJS packages in the bundle call require() for Node's modules.
  banner: { js: "import { createRequire as __scCreateRequire } from 'node:module'; const require = __scCreateRequire(import.meta.url);" },
  chunkNames: 'chunk-[hash]',
  legalComments: 'none',
  logLevel: 'warning',
  metafile: true,
  plugins: [ownCode],
});
const produced = new Set(Object.keys(result.metafile.outputs).map((o) => join(root, o)));
for (const f of readdirSync(outdir)) if (!produced.has(join(outdir, f))) rmSync(join(outdir, f), { force: true });
const packages = new Set();
for (const input of Object.keys(result.metafile.inputs)) {
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input);
  if (m) packages.add(m[1]);
}
const files = Object.keys(result.metafile.outputs).length;
const kb = Math.round(Object.values(result.metafile.outputs).reduce((s, o) => s + o.bytes, 0) / 1024);
if (!statSync(join(outdir, 'main.js')).isFile()) process.exit(1);
console.log(`bundle-cli: dist/cli/ ${files} files, ${kb} KiB; ${rewrites.lazy} import() into lazy groups; packages inside: ${[...packages].sort().join(', ') || 'none'}`);
