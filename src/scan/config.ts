/**
 * The config file: `sc-migrate.config.json`, `.js`, `.mjs`, or a `"sc-migrate"` key in package.json,
 * found in the cwd or the nearest folder above it (up to the git top level).
 *
 *   { "rules": { "<id>": "off" | "warning" | "error" }, "ignore": ["glob", ...] }
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ConfigError } from './errors.js';

export type RuleSetting = 'off' | 'warning' | 'error';

export interface ScConfig {
  rules: Record<string, RuleSetting>;
  /** gitignore-style globs, relative to the config file's folder. */
  ignore: string[];
}

export interface LoadedConfig {
  config: ScConfig;
  /** The file it came from; undefined when none was found (or `--no-config`). */
  path?: string;
  /** Folder `ignore` globs are relative to. */
  dir: string;
}

export const CONFIG_FILES = ['sc-migrate.config.json', 'sc-migrate.config.mjs', 'sc-migrate.config.js'] as const;

export interface LoadConfigOptions {
  cwd: string;
  /** `--config FILE`: this file only. */
  configFile?: string;
  /** `--no-config`. */
  noConfig?: boolean;
}

const SETTINGS: Record<string, RuleSetting> = { off: 'off', warning: 'warning', warn: 'warning', error: 'error', '0': 'off', '1': 'warning', '2': 'error' };

/** Checks a config object's shape; `source` names it in messages. */
export function validateConfig(raw: unknown, source: string): ScConfig {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw new ConfigError(`${source}: the config must be an object`);
  const obj = raw as Record<string, unknown>;
  for (const key of Object.keys(obj)) {
    if (!['rules', 'ignore', '$schema'].includes(key)) throw new ConfigError(`${source}: unknown key "${key}" (allowed: rules, ignore)`);
  }
  const rules: Record<string, RuleSetting> = {};
  if (obj.rules !== undefined) {
    if (obj.rules === null || typeof obj.rules !== 'object' || Array.isArray(obj.rules)) throw new ConfigError(`${source}: "rules" must be an object of rule id to "off" | "warning" | "error"`);
    for (const [id, v] of Object.entries(obj.rules as Record<string, unknown>)) {
      const s = SETTINGS[String(v)];
      if (s === undefined || (typeof v !== 'string' && typeof v !== 'number')) throw new ConfigError(`${source}: rule "${id}": invalid setting ${JSON.stringify(v)} (use "off", "warning" or "error")`);
      rules[id.replace(/^sc-migrate\//, '')] = s;
    }
  }
  let ignore: string[] = [];
  if (obj.ignore !== undefined) {
    if (!Array.isArray(obj.ignore) || obj.ignore.some((g) => typeof g !== 'string')) throw new ConfigError(`${source}: "ignore" must be an array of glob strings`);
    ignore = obj.ignore as string[];
  }
  return { rules, ignore };
}

async function loadFile(file: string): Promise<ScConfig> {
  if (!existsSync(file)) throw new ConfigError(`config file not found: ${file}`);
  if (file.endsWith('.json') && !file.endsWith('package.json')) {
    let raw: unknown;
    try { raw = JSON.parse(readFileSync(file, 'utf8')); } catch (e) { throw new ConfigError(`${file}: invalid JSON: ${(e as Error).message}`); }
    return validateConfig(raw, file);
  }
  if (file.endsWith('package.json')) {
    let raw: Record<string, unknown>;
    try { raw = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>; } catch (e) { throw new ConfigError(`${file}: invalid JSON: ${(e as Error).message}`); }
    return validateConfig(raw['sc-migrate'] ?? {}, `${file} ("sc-migrate" key)`);
  }
  let mod: { default?: unknown };
  try { mod = (await import(pathToFileURL(file).href)) as { default?: unknown }; } catch (e) { throw new ConfigError(`${file}: cannot load: ${(e as Error).message}`); }
  const value = mod.default ?? mod;
  return validateConfig(typeof value === 'function' ? await (value as () => unknown)() : value, file);
}

function packageJsonHasKey(file: string): boolean {
  try {
    const raw = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    return raw !== null && typeof raw === 'object' && 'sc-migrate' in raw;
  } catch {
    return false;
  }
}

/** Finds the config file for `cwd`: the first folder (cwd, then up to the git top level) that has one. */
export function findConfigFile(cwd: string): string | undefined {
  let dir = resolve(cwd);
  for (;;) {
    for (const name of CONFIG_FILES) if (existsSync(join(dir, name))) return join(dir, name);
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && packageJsonHasKey(pkg)) return pkg;
    if (existsSync(join(dir, '.git'))) return undefined;
    const up = dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}

export async function loadConfig(opts: LoadConfigOptions): Promise<LoadedConfig> {
  const cwd = resolve(opts.cwd);
  const empty: LoadedConfig = { config: { rules: {}, ignore: [] }, dir: cwd };
  if (opts.noConfig) return empty;
  const file = opts.configFile ? resolve(cwd, opts.configFile) : findConfigFile(cwd);
  if (!file) return empty;
  return { config: await loadFile(file), path: file, dir: dirname(file) };
}
