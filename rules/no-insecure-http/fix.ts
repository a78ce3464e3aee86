/** The fix of no-insecure-http: the rule's own edit (http:// -> https://); the marker for what it cannot reach. */
import type { RuleFix } from '../../src/fix/providers.js';
import { schemeChoiceProvider } from '../../src/fix/scheme-choice.js';

const fix: RuleFix = {
  id: 'no-insecure-http',
  // (Node's http module decides the scheme, and throws on an https:// URL: the module changes too)
  marker: (f) => f.messageId === 'nodeHttp' ? "request it with Node's https module and https://" : 'use https:// for this SoundCloud URL',
  // schemeChoiceProvider: `(secure ? 'https' : 'http') + '://api.' + domain` -> `'https://api.' + domain`
  providers: [schemeChoiceProvider],
};
export default fix;
