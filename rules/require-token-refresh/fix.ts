/** The fix of require-token-refresh: drop scope=non-expiring; renew tokens through the client module. */
import type { RuleFix } from '../../src/fix/providers.js';
import { nonExpiringProvider } from '../../src/fix/rewrites.js';
import { tokenRenewalProvider } from '../../src/fix/tokens.js';

const fix: RuleFix = {
  id: 'require-token-refresh',
  marker: (f) => f.messageId === 'nonExpiring'
    ? 'drop the non-expiring scope; tokens expire'
    : 'keep the refresh token and renew before expiry',
  providers: [nonExpiringProvider, tokenRenewalProvider],
};
export default fix;
