/** The fix of no-password-grant: client_credentials where the app only reads public resources. */
import type { RuleFix } from '../../src/fix/providers.js';
import { passwordGrantProvider } from '../../src/fix/grants.js';

const fix: RuleFix = {
  id: 'no-password-grant',
  marker: 'use client credentials (or the code flow for a user)',
  providers: [passwordGrantProvider],
};
export default fix;
