/**
 * jscodeshift entries: `transforms/<rule-id>.ts` (generated from the rule folders by
 * `npx tsx scripts/gen-transforms.ts`, text from transformEntry below) call makeTransformer, so
 * `npx jscodeshift -t transforms/<id>.ts src/` gives the same output as `sc-migrate fix --rule <id>`
 * (same engine, same edits, same markers). jscodeshift compiles a transform with Babel to CommonJS,
 * which cannot load this ES module engine (top-level await): the entry loads the built engine
 * (dist/) with import() and runs asynchronously, which jscodeshift supports.
 */
import { resolve } from 'node:path';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { rulesById } from '../../rules/index.js';
import { fixText } from './apply.js';
import { addDependency, addedImports, fileExists, GENERATED_HEAD, hasDependency, importProblems, importsPackage, nearestPackageJson, resolveRelative, RUNTIME_PACKAGE, runtimeRange } from './safety.js';

export interface FileInfo { path: string; source: string }

export function makeTransformer(...ids: string[]) {
  return function transformer(file: FileInfo, _api?: unknown, options: Record<string, unknown> = {}): string | undefined {
    const rules = ids.map((id) => rulesById.get(id)).filter((r): r is NonNullable<typeof r> => !!r);
    const filename = resolve(file.path);
    const r = fixText(file.source, {
      filename,
      rules,
      suggestions: options.suggestions === true || options.suggestions === 'true',
      markers: options.markers !== false && options.markers !== 'false',
    });
    if (r.status === 'failed') throw new Error(`${file.path}: ${r.error}`);
    if (r.status !== 'changed') return undefined;
    // every import the fix added resolves (a module it creates counts), never to the file itself
    const planned = new Map([...r.newFiles ?? []].filter(([p]) => !existsSync(p)));
    const problems = importProblems(filename, file.source, r.text, (p) => planned.has(p) || fileExists(p));
    if (problems.length) throw new Error(`${file.path}: ${problems.join('; ')}`);
    if (!options.dry) {
      // modules a rewrite imports (soundcloud-client): created once; the package in the nearest package.json
      const imported = new Set(addedImports(file.source, r.text).filter((s) => s.startsWith('.')).map((s) => resolveRelative(filename, s, (p) => planned.has(p) || fileExists(p))));
      for (const [p, text] of planned) {
        if (!imported.has(p)) continue;
        // another jscodeshift worker may have made the same module a moment ago: fine when it is ours
        try { writeFileSync(p, text, { flag: 'wx' }); } catch (e) { if (!readFileSync(p, 'utf8').startsWith(GENERATED_HEAD)) throw e; }
      }
      for (const [path, text] of [[filename, r.text], ...planned] as [string, string][]) {
        if (!importsPackage(text, RUNTIME_PACKAGE) || (path === filename && importsPackage(file.source, RUNTIME_PACKAGE))) continue;
        const pkg = nearestPackageJson(path);
        const before = pkg && readFileSync(pkg, 'utf8');
        const after = before && !hasDependency(before, RUNTIME_PACKAGE) ? addDependency(before, RUNTIME_PACKAGE, runtimeRange()) : undefined;
        if (pkg && after) writeFileSync(pkg, after);
      }
    }
    return r.text;
  };
}

/** The text of `transforms/<id>.ts` (`all`: every rule at once). */
export function transformEntry(id: string): string {
  const ids = id === 'all' ? 'ruleIds' : `'${id}'`;
  return `/**
 * ${id === 'all' ? 'Every sc-migrate rewrite at once' : `Codemod for sc-migrate rule \`${id}\` (its fix: rules/${id}/fix.ts)`}: \`npx jscodeshift -t transforms/${id}.ts <paths>\`.
 * Generated from the rule folders by \`npx tsx scripts/gen-transforms.ts\` (src/fix/transform.ts); see docs/fix.md.
 */
import type { API, FileInfo, Options } from 'jscodeshift';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

type Engine = typeof import('../src/fix/transform.js');
${id === 'all' ? "type Registry = typeof import('../src/fix/providers.js');\n" : ''}
export const parser = 'tsx';

/** jscodeshift runs this file as CommonJS (Babel): it loads the built ES module engine (npm run build) with import(). */
function load<T>(path: string, source: () => Promise<unknown>): Promise<T> {
  if (typeof process !== 'undefined' && process.env.VITEST) return source() as Promise<T>; // the tests run the source
  // jscodeshift's Babel hook would compile every CommonJS module the engine loads (typescript.js: a minute): off
  for (const m of Object.values(require.cache)) if (/[\\\\/]@babel[\\\\/]register[\\\\/]/.test(m?.id ?? '')) (m?.exports as { revert?: () => void }).revert?.();
  const url = pathToFileURL(join(__dirname, '..', 'dist', 'src', \`\${path}.js\`)).href;
  return (new Function('u', 'return import(u)') as (u: string) => Promise<T>)(url).catch((e: Error) => {
    throw new Error(\`sc-migrate: cannot load its engine (\${url}): run npm run build (\${e.message})\`);
  });
}

export default async function transformer(file: FileInfo, api: API, options: Options): Promise<string | undefined> {
  const { makeTransformer } = await load<Engine>('fix/transform', () => import('../src/fix/transform.js'));
${id === 'all' ? "  const ruleIds = (await load<Registry>('fix/providers', () => import('../src/fix/providers.js'))).ruleFixes.map((f) => f.id);\n" : ''}  return makeTransformer(${id === 'all' ? '...ruleIds' : ids})(file, api, options);
}
`;
}
