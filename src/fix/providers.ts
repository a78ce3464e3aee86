/**
 * Transform edits that rules do not emit themselves (rewrites needing more than one literal edit).
 * Each provider reads the same ParamSites the rules report on (fileFacts) and returns edit groups.
 */
import type { Parsed } from '../engine/parse.js';
import type { ProjectContext } from '../engine/project.js';
import type { Finding, ScRule, TextEdit } from '../engine/types.js';

export interface ProviderContext {
  text: string;
  filename: string;
  parsed: Parsed;
  findings: Finding[];
  project?: ProjectContext;
  cwd?: string;
  rules: readonly ScRule[];
  suggestions: boolean;
  /** Modules a rewrite needs created (absolute path -> text); the caller writes them when absent. */
  newFiles: Map<string, string>;
}

export type Provider = (ctx: ProviderContext) => { ruleId: string; edits: TextEdit[] }[];

export const providers: Record<string, Provider[]> = {};

/** Adds a rewrite for a rule's findings (a rule may have several, e.g. scope text and token handling). */
export function registerProvider(id: string, p: Provider): void { (providers[id] ??= []).push(p); }

/** Providers that plan a whole file at once (edits spanning several findings and functions). */
const fileProviders: Provider[] = [];
export function registerFileProvider(p: Provider): void { fileProviders.push(p); }

export function providerEdits(ctx: ProviderContext): { ruleId: string; edits: TextEdit[] }[] {
  const out: { ruleId: string; edits: TextEdit[] }[] = [];
  const ids = new Set(ctx.findings.map((f) => f.ruleId));
  for (const id of ids) {
    for (const p of providers[id] ?? []) {
      try { out.push(...p(ctx)); } catch { /* a provider that fails leaves the finding for a marker */ }
    }
  }
  if (ctx.findings.length) for (const p of fileProviders) { try { out.push(...p(ctx)); } catch { /* as above */ } }
  return out;
}
