#!/usr/bin/env node
// `npm run build`, after tsc: bundles the CLI (dist/src/cli/main.js and what it imports) into one
// CommonJS script, dist/cli/main.cjs, with esbuild, so that start-up reads and compiles one file
// instead of ~110 ES modules and the small CommonJS packages on the scan path (ignore, picocolors,
// visitor-keys), each of which Node resolves, reads, compiles and links one by one (issue 12:
// `scan --staged` on one file). One CommonJS script because Node 20 gives V8's code cache only to
// scripts (`vm.Script` `cachedData`; `module.enableCompileCache` is Node 22.1+): bin/bundle-loader.js
// runs it and keeps the compiled code (functions included) between runs.
// What the bundle holds is the compiled dist/ code, unchanged but for two things, found in each
// module's syntax tree (acorn), not in its text (generated code in strings stays as it is):
//   - `import.meta.url`: each module keeps pointing at its own file in dist/src (worker scripts,
//     createRequire, package root);
//   - `import(x)` of anything but our own modules (packages, node: built-ins, file URLs): a script
//     run by `vm` has no import() of its own on Node 20 without a flag, so the loader passes one
//     (`__scImport`, Node's import() from bin/). import() of our own modules is bundled: esbuild
//     runs the module when it is first imported, as before (nothing is evaluated earlier).
// bin/sc-migrate.js uses the bundle when it is at least as new as dist/src/cli/main.js, else
// dist/src directly (same behaviour, slower start).
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const outdir = join(dist, 'cli');
const outfile = join(outdir, 'main.cjs');
const entry = join(dist, 'src/cli/main.js');
if (!existsSync(entry)) {
  console.error('bundle-cli: dist/src/cli/main.js is missing (run tsc first)');
  process.exit(1);
}
let esbuild;
let acorn;
try {
  esbuild = await import('esbuild');
  acorn = await import('acorn');
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

const ownFile = /[\\/]dist[\\/](src|rules|transforms)[\\/].*\.js$/;
const counts = { imports: 0, metaUrls: 0 };

/** The rewrites above, at the offsets of the syntax tree's nodes. */
function rewrite(code, file) {
  const rel = relative(outdir, file).split(sep).join('/');
  const edits = [];
  const visit = (node, parent) => {
    if (!node || typeof node.type !== 'string') return;
    if (node.type === 'MetaProperty' && node.meta.name === 'import') {
      if (!(parent?.type === 'MemberExpression' && parent.object === node && !parent.computed && parent.property.name === 'url')) {
        throw new Error(`bundle-cli: ${file}: import.meta other than import.meta.url (teach scripts/bundle-cli.mjs what it should be)`);
      }
      edits.push([parent.start, parent.end, `require('node:url').pathToFileURL(require('node:path').join(__dirname, ${JSON.stringify(rel)})).href`]);
      counts.metaUrls++;
    }
    if (node.type === 'ImportExpression' && !(node.source.type === 'Literal' && /^\.\.?\//.test(node.source.value))) {
      edits.push([node.start, node.start + 'import'.length, '__scImport']);
      counts.imports++;
    }
    for (const k of Object.keys(node)) {
      const v = node[k];
      if (Array.isArray(v)) { for (const c of v) if (c && typeof c === 'object') visit(c, node); } else if (v && typeof v === 'object' && k !== 'parent') visit(v, node);
    }
  };
  visit(acorn.parse(code, { ecmaVersion: 'latest', sourceType: 'module' }), undefined);
  edits.sort((a, b) => b[0] - a[0]);
  for (const [s, e, t] of edits) code = code.slice(0, s) + t + code.slice(e);
  return code;
}

const ownCode = {
  name: 'own-code',
  setup(build) {
    build.onLoad({ filter: ownFile }, (args) => ({ contents: rewrite(readFileSync(args.path, 'utf8'), args.path), loader: 'js' }));
  },
};

// Written beside and renamed over: a CLI already running keeps its file.
const tmp = `${outfile}.${process.pid}.tmp`;
const result = await esbuild.build({
  entryPoints: [entry],
  outfile: tmp,
  absWorkingDir: root,
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  external: EXTERNAL,
  // Run by bin/bundle-loader.js, which passes __scImport; loaded any other way (require), Node's own import().
  banner: { js: "var __scImport = typeof __scImport === 'function' ? __scImport : (s) => import(s);" },
  legalComments: 'none',
  logLevel: 'warning',
  metafile: true,
  plugins: [ownCode],
});
renameSync(tmp, outfile);
// The split ES module bundle of earlier builds.
for (const f of readdirSync(outdir)) if (f === 'main.js' || /^chunk-.*\.js$/.test(f)) rmSync(join(outdir, f), { force: true });
const packages = new Set();
for (const input of Object.keys(result.metafile.inputs)) {
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input);
  if (m) packages.add(m[1]);
}
const kb = Math.round(statSync(outfile).size / 1024);
console.log(`bundle-cli: dist/cli/main.cjs ${kb} KiB; ${counts.imports} import() left to Node, ${counts.metaUrls} import.meta.url; packages inside: ${[...packages].sort().join(', ') || 'none'}`);
