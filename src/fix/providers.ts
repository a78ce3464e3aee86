/**
 * The fix registry. A rule owns its fix in `rules/<id>/fix.ts`: its marker recipe (one short
 * action; the long recipe is the rule's README.md) and its providers, the rewrites that need more
 * than the rule's own literal edits (they live in the src/fix modules that implement them). This
 * file lists every rule folder's fix (a test checks the list against rules/) and runs providers.
 */
import type { Parsed } from '../engine/parse.js';
import type { ProjectContext } from '../engine/project.js';
import type { Finding, ScRule, TextEdit } from '../engine/types.js';
import noInsecureHttp from '../../rules/no-insecure-http/fix.js';
import noQueryOauthToken from '../../rules/no-query-oauth-token/fix.js';
import noClientIdAuth from '../../rules/no-client-id-auth/fix.js';
import noPasswordGrant from '../../rules/no-password-grant/fix.js';
import noImplicitGrant from '../../rules/no-implicit-grant/fix.js';
import requireTokenRefresh from '../../rules/require-token-refresh/fix.js';
import noDisabledRedirects from '../../rules/no-disabled-redirects/fix.js';
import noLegacyAuthEndpoint from '../../rules/no-legacy-auth-endpoint/fix.js';
import requirePkce from '../../rules/require-pkce/fix.js';
import noClientSecretInBody from '../../rules/no-client-secret-in-body/fix.js';
import noHardcodedCredentials from '../../rules/no-hardcoded-credentials/fix.js';
import noDeprecatedSdk from '../../rules/no-deprecated-sdk/fix.js';
import noPrivateApiV2 from '../../rules/no-private-api-v2/fix.js';

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
  /** The file runs in a browser (decided once per file by fix: engine/analysis/browser.ts). */
  browser?: boolean;
  /** The backend route browser code asks for app tokens (src/fix/browser-client.ts; default /api/soundcloud/token). */
  tokenEndpoint?: string;
}

export type Provider = (ctx: ProviderContext) => { ruleId: string; edits: TextEdit[] }[];

/** Where a marker goes: the file, and whether it runs in a browser (decided once per file). */
export interface MarkerPlace {
  file: string;
  browser: boolean;
  /** A phone or desktop shell (React Native, Electron, ...) given no full URL of a token route (browser-client.ts). */
  shell?: boolean;
  /** no-disabled-redirects: the code reads the redirect itself (3xx status, Location), so fix keeps it. */
  readsRedirect?: boolean;
  /** no-client-id-auth: the finding's line builds a stream or download URL (its marker names the runtime's streamUrl). */
  streamUrl?: boolean;
}

/** What `rules/<id>/fix.ts` exports (default). */
export interface RuleFix {
  /** The rule id (its folder name). */
  id: string;
  /** The marker recipe: the ONE action left for a person (the rule's README has the long recipe). */
  marker: string | ((f: Finding, where: MarkerPlace) => string);
  /** Rewrites of this rule's findings, run when the file has a finding of the rule. */
  providers?: Provider[];
  /** Rewrites that plan a whole file (edits spanning several findings, rules and functions), run when the file has any finding. */
  fileProviders?: Provider[];
}

/** Every rule folder's fix, in the order of the rules table. */
export const ruleFixes: readonly RuleFix[] = [
  noInsecureHttp, noQueryOauthToken, noClientIdAuth, noPasswordGrant, noImplicitGrant, requireTokenRefresh,
  noDisabledRedirects, noLegacyAuthEndpoint, requirePkce, noClientSecretInBody, noHardcodedCredentials,
  noDeprecatedSdk, noPrivateApiV2,
];

export const fixesById: ReadonlyMap<string, RuleFix> = new Map(ruleFixes.map((f) => [f.id, f]));

/** The providers of each rule (its own and the file-wide ones it owns). */
export const providers: Readonly<Record<string, Provider[]>> = Object.fromEntries(
  ruleFixes.filter((f) => f.providers?.length || f.fileProviders?.length).map((f) => [f.id, [...f.providers ?? [], ...f.fileProviders ?? []]]),
);

export function providerEdits(ctx: ProviderContext): { ruleId: string; edits: TextEdit[] }[] {
  const out: { ruleId: string; edits: TextEdit[] }[] = [];
  const ids = new Set(ctx.findings.map((f) => f.ruleId));
  for (const id of ids) {
    for (const p of fixesById.get(id)?.providers ?? []) {
      try { out.push(...p(ctx)); } catch { /* a provider that fails leaves the finding for a marker */ }
    }
  }
  if (ctx.findings.length) {
    for (const f of ruleFixes) for (const p of f.fileProviders ?? []) { try { out.push(...p(ctx)); } catch { /* as above */ } }
  }
  return out;
}
