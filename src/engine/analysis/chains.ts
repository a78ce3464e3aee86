/**
 * Fluent configuration chains of login libraries' provider modules:
 * `oauth2.submodule('soundcloud').oauthHost('https://api.soundcloud.com').authPath('/connect')
 *   .accessTokenPath('/oauth2/token').authQueryParam('response_type', 'code')`.
 * The calls of one chain, and the SoundCloud host it sets.
 */
import type { TSESTree } from '@typescript-eslint/typescript-estree';
import { evalString, flatText, propName, unwrap, type Env } from './values.js';

/** The `.name(...)` calls of the method chain a call belongs to (`x.a(1).b(2).c(3)`), in order. */
export function chainCalls(call: TSESTree.CallExpression): TSESTree.CallExpression[] {
  let top: TSESTree.CallExpression = call;
  for (;;) {
    const m = top.parent;
    const c = m?.parent;
    if (m?.type === 'MemberExpression' && m.object === top && c?.type === 'CallExpression' && c.callee === m) top = c;
    else break;
  }
  const out: TSESTree.CallExpression[] = [];
  for (let n: TSESTree.Node = top; n.type === 'CallExpression' && n.callee.type === 'MemberExpression'; n = n.callee.object) out.unshift(n);
  return out;
}

const AUTH_HOST_CALL = /^(oauth|auth)Host$/;
const HOST_CALL = /^(oauth|auth|api)?[hH]ost$/;

/** The chain's auth host (`oauthHost` / `authHost`, else `apiHost` / `host`) when it is SoundCloud's, without a trailing slash. */
export function chainScHost(calls: TSESTree.CallExpression[], env: Env): string | undefined {
  const named = (re: RegExp) => calls.find((x) => x.callee.type === 'MemberExpression' && re.test(propName(x.callee) ?? '') && x.arguments[0]);
  const host = named(AUTH_HOST_CALL) ?? named(HOST_CALL);
  if (!host) return undefined;
  return evalString(unwrap(host.arguments[0] as TSESTree.Node), env).map(flatText).find((t) => /soundcloud\.com/i.test(t))?.replace(/\/+$/, '');
}
