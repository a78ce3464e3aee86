/** Every rule, in the order of the rules table. Rules are ESLint rule objects (see src/engine/create-rule.ts). */
import type { ScRule } from '../src/engine/types.js';
import noInsecureHttp from './no-insecure-http/rule.js';
import noQueryOauthToken from './no-query-oauth-token/rule.js';
import noClientIdAuth from './no-client-id-auth/rule.js';
import noPasswordGrant from './no-password-grant/rule.js';
import noImplicitGrant from './no-implicit-grant/rule.js';
import requireTokenRefresh from './require-token-refresh/rule.js';
import noDisabledRedirects from './no-disabled-redirects/rule.js';
import noLegacyAuthEndpoint from './no-legacy-auth-endpoint/rule.js';
import requirePkce from './require-pkce/rule.js';
import noClientSecretInBody from './no-client-secret-in-body/rule.js';
import noHardcodedCredentials from './no-hardcoded-credentials/rule.js';
import noDeprecatedSdk from './no-deprecated-sdk/rule.js';
import noPrivateApiV2 from './no-private-api-v2/rule.js';

export const allRules: ScRule[] = [
  noInsecureHttp, noQueryOauthToken, noClientIdAuth, noPasswordGrant, noImplicitGrant, requireTokenRefresh,
  noDisabledRedirects, noLegacyAuthEndpoint, requirePkce, noClientSecretInBody, noHardcodedCredentials,
  noDeprecatedSdk, noPrivateApiV2,
] as ScRule[];

export const rulesById: ReadonlyMap<string, ScRule> = new Map(allRules.map((r) => [r.meta.docs.scMigrate.id, r]));
