/**
 * eval:fix's type check: the TypeScript errors that `fix` added to the files it changed.
 *
 * A rewrite can parse and still break a TypeScript build (the music-app driver found
 * `process.env.X` handed where a `string` is wanted: 8 new TS2345 errors). For the changed
 * .ts/.tsx/.mts/.cts files of a tree, one program is built over the files as they were and one
 * over the files as `fix` left them, with the nearest tsconfig.json's compiler options, and their
 * diagnostics are compared per file as multisets of (code, message): lines move, messages do not.
 * The trees have no node_modules, so imports of packages fail alike before and after; the
 * runtime `fix` adds (`sc-migrate/runtime`) resolves to this checkout's build, and Node's types are
 * this checkout's @types/node (a server file that reads `process.env` has them in its own install).
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';

const TS_FILE = /\.(ts|tsx|mts|cts)$/;

/**
 * The compiler options and files of the tsconfig.json nearest to `file` below `top` (a rewrite in
 * one module can break its callers: their errors count too), or defaults and no other file.
 */
function projectOf(ts, file, top) {
  for (let d = dirname(file); d.startsWith(top); d = dirname(d)) {
    const cfg = join(d, 'tsconfig.json');
    if (!existsSync(cfg)) { if (d === top) break; continue; }
    const read = ts.readConfigFile(cfg, ts.sys.readFile);
    if (read.error) break;
    const parsed = ts.parseJsonConfigFileContent(read.config, ts.sys, d, undefined, cfg);
    return { key: cfg, options: parsed.options, files: parsed.fileNames.filter((f) => TS_FILE.test(f) && !f.endsWith('.d.ts')) };
  }
  return { key: '', options: { strict: true, target: ts.ScriptTarget.ES2020, module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler, jsx: ts.JsxEmit.Preserve }, files: [] };
}

/**
 * `changed`: [{ abs, before, after }] (before '' for a created file). Returns
 * [{ file, added: [message] }] for the files with errors that were not there before.
 */
export function addedTypeErrors(root, top, changed) {
  const files = changed.filter((c) => TS_FILE.test(c.abs));
  if (!files.length) return [];
  const ts = createRequire(join(root, 'package.json'))('typescript');
  const runtimeTypes = join(root, 'dist', 'src', 'runtime', 'index.d.ts');
  const diagnose = (side) => {
    const texts = new Map(files.map((c) => [resolve(c.abs), c[side]]));
    const byFile = new Map();
    // one program per tsconfig (a monorepo's packages have their own), over all its files
    const groups = new Map();
    for (const c of files) {
      if (side === 'before' && !c.before) continue;
      const { key, options: opts, files: others } = projectOf(ts, c.abs, top);
      if (!groups.has(key)) groups.set(key, { opts, roots: new Set(others.map((f) => resolve(f))) });
      groups.get(key).roots.add(resolve(c.abs));
    }
    for (const { opts, roots } of groups.values()) {
      const options = { ...opts, noEmit: true, skipLibCheck: true, typeRoots: [join(root, 'node_modules', '@types')], types: ['node'], baseUrl: opts.baseUrl ?? top, paths: { ...(opts.paths ?? {}), 'sc-migrate/runtime': [runtimeTypes], 'sc-migrate/runtime/browser': [join(root, 'dist', 'src', 'runtime', 'browser.d.ts')] } };
      delete options.composite; delete options.incremental; delete options.tsBuildInfoFile;
      const host = ts.createCompilerHost(options, true);
      const readFile = host.readFile.bind(host);
      const getSourceFile = host.getSourceFile.bind(host);
      host.readFile = (f) => (texts.has(resolve(f)) ? texts.get(resolve(f)) : readFile(f));
      host.fileExists = (f) => texts.has(resolve(f)) ? texts.get(resolve(f)) !== '' : ts.sys.fileExists(f);
      host.getSourceFile = (f, lang, onError, create) => {
        const t = texts.get(resolve(f));
        return t !== undefined ? ts.createSourceFile(f, t, lang, true) : getSourceFile(f, lang, onError, create);
      };
      const program = ts.createProgram({ rootNames: [...roots], options, host });
      for (const f of roots) {
        const sf = program.getSourceFile(f);
        if (!sf) continue;
        const diags = [...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf)];
        byFile.set(f, diags.map((d) => `TS${d.code}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`));
      }
    }
    return byFile;
  };
  const before = diagnose('before');
  const after = diagnose('after');
  const out = [];
  for (const [f, msgs] of after) {
    const left = new Map();
    for (const m of before.get(f) ?? []) left.set(m, (left.get(m) ?? 0) + 1);
    const added = [];
    for (const m of msgs) { const n = left.get(m) ?? 0; if (n) left.set(m, n - 1); else added.push(m); }
    if (added.length) out.push({ file: f, added });
  }
  return out;
}
