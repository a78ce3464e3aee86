/** The fix of require-token-refresh: drop scope=non-expiring; renew tokens through the client module. */
import type { RuleFix } from '../../src/fix/providers.js';
import { nonExpiringProvider } from '../../src/fix/rewrites.js';
import { tokenRenewalProvider } from '../../src/fix/tokens.js';
import { scopeConstProvider } from '../../src/fix/scope-const.js';

const fix: RuleFix = {
  id: 'require-token-refresh',
  marker: (f) => f.messageId === 'nonExpiring'
    ? 'drop the non-expiring scope; tokens expire'
    : 'keep the refresh token and renew before expiry',
  // scopeConstProvider: `const scope = 'non-expiring'` read only by the authorize URL's `&scope=${scope}`
  providers: [nonExpiringProvider, tokenRenewalProvider, scopeConstProvider],
};
export default fix;
