/**
 * Codemod for sc-migrate rule `require-pkce` (its fix: rules/require-pkce/fix.ts): `npx jscodeshift -t transforms/require-pkce.ts <paths>`.
 * Generated from the rule folders by `npx tsx scripts/gen-transforms.ts` (src/fix/transform.ts); see docs/fix.md.
 */
import type { API, FileInfo, Options } from 'jscodeshift';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

type Engine = typeof import('../src/fix/transform.js');

export const parser = 'tsx';

/** jscodeshift runs this file as CommonJS (Babel): it loads the built ES module engine (npm run build) with import(). */
function load<T>(path: string, source: () => Promise<unknown>): Promise<T> {
  if (typeof process !== 'undefined' && process.env.VITEST) return source() as Promise<T>; // the tests run the source
  // jscodeshift's Babel hook would compile every CommonJS module the engine loads (typescript.js: a minute): off
  for (const m of Object.values(require.cache)) if (/[\\/]@babel[\\/]register[\\/]/.test(m?.id ?? '')) (m?.exports as { revert?: () => void }).revert?.();
  const url = pathToFileURL(join(__dirname, '..', 'dist', 'src', `${path}.js`)).href;
  return (new Function('u', 'return import(u)') as (u: string) => Promise<T>)(url).catch((e: Error) => {
    throw new Error(`sc-migrate: cannot load its engine (${url}): run npm run build (${e.message})`);
  });
}

export default async function transformer(file: FileInfo, api: API, options: Options): Promise<string | undefined> {
  const { makeTransformer } = await load<Engine>('fix/transform', () => import('../src/fix/transform.js'));
  return makeTransformer('require-pkce')(file, api, options);
}
