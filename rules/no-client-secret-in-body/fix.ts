/** The fix of no-client-secret-in-body: the credentials move to HTTP Basic. */
import type { RuleFix } from '../../src/fix/providers.js';
import { secretInBodyProvider } from '../../src/fix/rewrites.js';

const fix: RuleFix = {
  id: 'no-client-secret-in-body',
  marker: 'send the client credentials as HTTP Basic',
  providers: [secretInBodyProvider],
};
export default fix;
