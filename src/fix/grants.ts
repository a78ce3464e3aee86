/**
 * no-password-grant -> client_credentials, only where that is what the app needed: server code
 * whose project never asks for a user's resources. The grant object
 * `{ grant_type: 'password', username, password, client_id, client_secret }` becomes
 * `{ grant_type: 'client_credentials', client_id, client_secret }`; the next pass of
 * no-client-secret-in-body moves the pair into an HTTP Basic header. Acting for a user (`/me`,
 * a user's private tracks, likes or playlists) needs authorization_code + PKCE: a marker says so.
 */
import type { TSESTree } from '@typescript-eslint/typescript-estree';
import { projectFiles } from '../engine/analysis/project-facts.js';
import { propName } from '../engine/analysis/values.js';
import type { TextEdit } from '../engine/types.js';
import type { Provider, ProviderContext } from './providers.js';
import { at, atSite, factsOf, findingsOf, isBrowserCode, removePropsEdits } from './rewrites.js';

type N = TSESTree.Node;

/**
 * Signs of acting for a user anywhere in the project: `/me` resources, a write (`PUT`, `DELETE`,
 * `PATCH`), or the paths of user actions (comments, likes, favorites, followings, reposts,
 * playlists: writes there are POSTs). Any one of them keeps the password grant for a person.
 */
const USER_RESOURCE = /["'`/]me(?:\/[\w/-]*)?(?:\.json)?["'`?]|\/me\b(?=[/?"'`])|\b(?:method|type)\s*:\s*["'`](?:PUT|DELETE|PATCH)["'`]|\.(?:put|delete|patch)\s*\(|\/(?:comments|likes|favorites|followings|reposts|playlists)\b/i;

/** Whether the project (the file alone when fix runs without one, as a lone jscodeshift transform) acts for a user. */
function projectActsForUser(ctx: ProviderContext): boolean {
  if (USER_RESOURCE.test(ctx.text)) return true;
  const project = ctx.project;
  if (!project) return false;
  const hit = project.cache.get('acts-for-user');
  if (typeof hit === 'boolean') return hit;
  const files = projectFiles(project);
  let acts = false;
  for (const f of files) {
    if (acts) break;
    const t = project.readFile(f);
    if (t && /soundcloud|oauth_token|Authorization/i.test(t) && USER_RESOURCE.test(t)) acts = true;
  }
  project.cache.set('acts-for-user', acts);
  return acts;
}

export const passwordGrantProvider: Provider = (ctx) => {
  if (isBrowserCode(ctx)) return [];
  const facts = factsOf(ctx);
  const out: { ruleId: string; edits: TextEdit[] }[] = [];
  for (const f of findingsOf(ctx, 'no-password-grant')) {
    const p = facts.params.find((x) => x.name === 'grant_type' && atSite(f, x));
    if (!p || p.via !== 'object' || !p.holder) continue;
    const props = (p.holder.properties as N[]).filter((x): x is TSESTree.Property => x.type === 'Property');
    const grant = props.find((x) => x.key === p.report);
    const user = props.filter((x) => ['username', 'password'].includes(propName(x) ?? ''));
    const hasClient = props.some((x) => propName(x) === 'client_id') && props.some((x) => propName(x) === 'client_secret');
    if (!grant || grant.value.type !== 'Literal' || grant.value.value !== 'password' || user.length !== 2 || !hasClient) continue;
    if (p.holder.properties.some((x) => x.type === 'SpreadElement') || projectActsForUser(ctx)) continue;
    const q = ctx.text[grant.value.range[0]]!;
    out.push({ ruleId: 'no-password-grant', edits: [{ range: grant.value.range, text: `${q}client_credentials${q}` }, ...removePropsEdits(ctx.text, p.holder, user)] });
  }
  return out;
};
