/**
 * The fix of require-pkce: the Express login + callback idiom gets a session-kept PKCE pair.
 * The marker never names the parameters the rule looks for (it would silence its own finding).
 */
import type { RuleFix } from '../../src/fix/providers.js';
import { pkceProvider } from '../../src/fix/pkce.js';

const fix: RuleFix = {
  id: 'require-pkce',
  marker: (f) => f.messageId === 'exchange'
    ? 'send the kept PKCE verifier with this exchange'
    : 'add a PKCE challenge (S256) and a state',
  fileProviders: [pkceProvider],
};
export default fix;
