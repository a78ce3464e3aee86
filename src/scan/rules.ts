/** The rule set of a run: loading, `--rule` / `--disable-rule` / config selection, and reporter metadata. */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { ScRule, Severity } from '../engine/types.js';
import type { ScConfig } from './config.js';
import { UsageError } from './errors.js';
import type { RuleInfo } from './types.js';

const idOf = (r: ScRule) => r.meta.docs.scMigrate.id;

/** Package root (the folder with sc-migrate's package.json), from src/scan or dist/src/scan. */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg)) {
      try { if ((JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'sc-migrate') return dir; } catch { /* keep looking */ }
    }
    const up = dirname(dir);
    if (up === dir) return resolve(dirname(fileURLToPath(import.meta.url)), '../..');
    dir = up;
  }
}

/**
 * The built-in rules, or the rules of a module (`--rules-module`: exports `allRules`, `rules` or a
 * default array of rule objects; used for custom rule packs and tests).
 */
export async function loadRules(rulesModule?: string, cwd = process.cwd()): Promise<ScRule[]> {
  if (!rulesModule) return (await import('../../rules/index.js')).allRules;
  const href = /^[a-z]+:/i.test(rulesModule) && !/^[a-z]:[\\/]/i.test(rulesModule) ? rulesModule : pathToFileURL(resolve(cwd, rulesModule)).href;
  let mod: Record<string, unknown>;
  try { mod = (await import(href)) as Record<string, unknown>; } catch (e) { throw new UsageError(`cannot load rules module ${rulesModule}: ${(e as Error).message}`); }
  const list = mod.allRules ?? mod.rules ?? mod.default;
  if (!Array.isArray(list)) throw new UsageError(`rules module ${rulesModule} exports no rule array (allRules, rules or default)`);
  return list as ScRule[];
}

function closest(id: string, ids: readonly string[]): string | undefined {
  const dist = (a: string, b: string) => {
    const d = Array.from({ length: b.length + 1 }, (_, i) => i);
    for (let i = 1; i <= a.length; i++) {
      let prev = d[0]!;
      d[0] = i;
      for (let j = 1; j <= b.length; j++) {
        const tmp = d[j]!;
        d[j] = Math.min(d[j]! + 1, d[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
        prev = tmp;
      }
    }
    return d[b.length]!;
  };
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of ids) { const x = dist(id, c); if (x < bestD) { bestD = x; best = c; } }
  return bestD <= Math.max(3, id.length / 3) ? best : undefined;
}

export function unknownRuleMessage(id: string, known: readonly string[], where: string): string {
  const guess = closest(id, known);
  return `unknown rule id "${id}"${where ? ` in ${where}` : ''}${guess ? ` (did you mean "${guess}"?)` : ''}. Run \`sc-migrate rules\` for the list${known.length ? `: ${known.join(', ')}` : ''}`;
}

export interface RuleSelection {
  /** `--rule ID` (repeatable): only these. */
  only?: string[];
  /** `--disable-rule ID` (repeatable). */
  disable?: string[];
  config?: ScConfig;
  /** Where config rules came from, for messages. */
  configPath?: string;
}

export interface SelectedRules {
  rules: ScRule[];
  /** Severity overrides from config, by rule id. */
  severities: Record<string, Severity>;
}

/** Applies `--rule`, `--disable-rule` and config severities; unknown ids are usage errors. */
export function selectRules(all: readonly ScRule[], sel: RuleSelection): SelectedRules {
  const known = all.map(idOf);
  const norm = (id: string) => id.replace(/^sc-migrate\//, '');
  const check = (ids: readonly string[], where: string) => {
    for (const id of ids) if (!known.includes(norm(id))) throw new UsageError(unknownRuleMessage(norm(id), known, where));
  };
  const only = (sel.only ?? []).map(norm);
  const disable = new Set((sel.disable ?? []).map(norm));
  check(only, '--rule');
  check([...disable], '--disable-rule');
  const cfg = sel.config?.rules ?? {};
  check(Object.keys(cfg), sel.configPath ?? 'config');
  const severities: Record<string, Severity> = {};
  const rules = all.filter((r) => {
    const id = idOf(r);
    if (disable.has(id)) return false;
    if (only.length) {
      if (!only.includes(id)) return false;
    } else if (cfg[id] === 'off') {
      return false;
    }
    const s = cfg[id];
    if (s === 'warning' || s === 'error') severities[id] = s;
    return true;
  });
  return { rules, severities };
}

/** rules/<id>/README.md of the package, when present. */
export function readRuleDoc(id: string, root = packageRoot()): string | undefined {
  const file = join(root, 'rules', id, 'README.md');
  try { return readFileSync(file, 'utf8'); } catch { return undefined; }
}

export function ruleInfo(rule: ScRule, severities: Record<string, Severity> = {}, withDocs = false): RuleInfo {
  const m = rule.meta.docs.scMigrate;
  const docs = withDocs ? readRuleDoc(m.id) : undefined;
  return {
    id: m.id,
    description: rule.meta.docs.description,
    severity: severities[m.id] ?? m.severity,
    defaultSeverity: m.severity,
    fixKind: m.fixKind,
    ...(m.fixKinds ? { fixKinds: { ...m.fixKinds } } : {}),
    scope: m.scope,
    url: rule.meta.docs.url,
    ...(docs !== undefined ? { docsMarkdown: docs } : {}),
  };
}
