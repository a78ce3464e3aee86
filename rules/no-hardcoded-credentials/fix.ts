/** The fix of no-hardcoded-credentials: server code reads the secret from the environment (suggest). */
import type { RuleFix } from '../../src/fix/providers.js';
import { hardcodedCredentialsProvider } from '../../src/fix/rewrites.js';

/** The environment variable the rule's suggestion names. */
const envOf = (f: { message: string; suggestions?: { message: string }[] }) =>
  /process\.env\.(\w+)/.exec(f.suggestions?.[0]?.message ?? '')?.[1] ?? /\((SOUNDCLOUD_\w+)\)/.exec(f.message)?.[1] ?? 'SOUNDCLOUD_CLIENT_SECRET';

const fix: RuleFix = {
  id: 'no-hardcoded-credentials',
  marker: (f, { browser }) => browser || f.messageId === 'browser'
    ? 'move this secret to a server and rotate it'
    : `use env ${envOf(f)}, rotate it`,
  providers: [hardcodedCredentialsProvider],
};
export default fix;
