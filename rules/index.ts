/** Every rule, in the order of the rules table. Rules are ESLint rule objects (see src/engine/create-rule.ts). */
import type { ScRule } from '../src/engine/types.js';
import noInsecureHttp from './no-insecure-http.js';
import noQueryOauthToken from './no-query-oauth-token.js';
import noClientIdAuth from './no-client-id-auth.js';
import noPasswordGrant from './no-password-grant.js';
import noImplicitGrant from './no-implicit-grant.js';
import requireTokenRefresh from './require-token-refresh.js';
import noDisabledRedirects from './no-disabled-redirects.js';
import noLegacyAuthEndpoint from './no-legacy-auth-endpoint.js';
import requirePkce from './require-pkce.js';
import noClientSecretInBody from './no-client-secret-in-body.js';
import noHardcodedCredentials from './no-hardcoded-credentials.js';
import noDeprecatedSdk from './no-deprecated-sdk.js';
import noPrivateApiV2 from './no-private-api-v2.js';

export const allRules: ScRule[] = [
  noInsecureHttp, noQueryOauthToken, noClientIdAuth, noPasswordGrant, noImplicitGrant, requireTokenRefresh,
  noDisabledRedirects, noLegacyAuthEndpoint, requirePkce, noClientSecretInBody, noHardcodedCredentials,
  noDeprecatedSdk, noPrivateApiV2,
] as ScRule[];

export const rulesById: ReadonlyMap<string, ScRule> = new Map(allRules.map((r) => [r.meta.docs.scMigrate.id, r]));
