/**
 * no-query-oauth-token: `url + (url.indexOf('?') === -1 ? '?' : '&') + 'oauth_token=' + t`, the
 * URL helper that picks its separator before appending the token (src/fix/rewrites.ts,
 * afterSeparatorChoice), also through a variable (`var sep = ...; url + sep + 'oauth_token=' + t`),
 * and its template form `${path}${separator}oauth_token=${t}` (afterSeparatorExpression). The
 * fixtures' code is run before and after fix against the strict mock, with its `fetch` routed
 * there: before, every call is rejected (`oauth_token_in_query`); after, the same calls get their
 * data, the URLs keep the caller's query and no `?&` or trailing `?`; a separator variable nothing
 * reads any more is gone (src/fix/orphans.ts).
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { allRules } from '../../rules/index.js';
import { fixText } from '../../src/fix/apply.js';
import type { MockApi } from '../../src/mock-api/index.js';
import { strictMockWithUser } from './mock-user-token.js';

const CLIENT = { clientId: 'sep-app', clientSecret: 'sep-secret', redirectUris: ['http://localhost:3000/cb'] };
const PAIRS = resolve(import.meta.dirname, '../../fixtures/transforms/no-query-oauth-token');

type Api = Record<'apiGet' | 'apiPage' | 'apiDelete' | 'scFetch' | 'scPage', (...a: unknown[]) => Promise<unknown>>;
function load(code: string, mock: MockApi, sent: string[]): Api {
  const fetch = (url: string, init?: RequestInit) => {
    const u = new URL(url);
    sent.push(u.pathname + u.search);
    return mock.fetch(mock.apiUrl + u.pathname + u.search, init);
  };
  const module = { exports: {} as Api };
  new Function('fetch', 'module', 'exports', code)(fetch, module, module.exports);
  return module.exports;
}

/** A pair: its input file, the helper `get(path, token)` and `page(path, token, limit)`, what fix removes, what else it calls after. */
const CASES: { title: string; pair: string; get: keyof Api; page: keyof Api; gone: RegExp; more?: (a: Api, token: string) => Promise<unknown>; moreSent?: string[] }[] = [
  { title: "url + (has query ? '&' : '?') + 'oauth_token=' + t, also through `var sep`", pair: 'separator-choice', get: 'apiGet', page: 'apiPage', gone: /var sep\b/,
    more: (a, t) => a.apiDelete('/me/favorites/1', t), moreSent: ['/me/favorites/1'] },
  { title: '`${path}${separator}oauth_token=${t}` in a template literal', pair: 'separator-template', get: 'scFetch', page: 'scPage', gone: /const separator\b/ },
];

for (const c of CASES) {
  describe(c.title, () => {
    const env = strictMockWithUser(CLIENT);
    const code = readFileSync(join(PAIRS, `${c.pair}.input.js`), 'utf8');

    it("rejected by the strict mock before fix; after fix the header, the caller's query kept, the separator variable gone", async () => {
      const before = load(code, env.mock, []);
      await expect(before[c.get]('/me', env.token)).rejects.toThrow('401');
      expect(env.mock.stats.rejections).toEqual({ oauth_token_in_query: 1 });

      const r = fixText(code, { filename: '/srv/sc-feed/lib/api.js', rules: allRules });
      expect(r.text).toBe(readFileSync(join(PAIRS, `${c.pair}.output.js`), 'utf8'));
      expect(r.remaining).toEqual([]);
      expect(r.text).not.toMatch(c.gone); // read by nothing after the fix
      expect(fixText(r.text, { filename: '/srv/sc-feed/lib/api.js', rules: allRules }).text).toBe(r.text);

      env.mock.stats.reset();
      const sent: string[] = [];
      const after = load(r.text, env.mock, sent);
      expect(await after[c.get]('/me', env.token)).toMatchObject({ id: expect.any(Number) });
      await after[c.get]('/me/tracks?limit=2', env.token);
      await after[c.page]('/me/tracks', env.token, 1);
      await after[c.page]('/me/tracks?linked_partitioning=true', env.token, 1);
      await c.more?.(after, env.token);
      expect(sent).toEqual(['/me', '/me/tracks?limit=2', '/me/tracks?limit=1', '/me/tracks?linked_partitioning=true&limit=1', ...(c.moreSent ?? [])]);
      expect(env.mock.stats.rejections).toEqual({});
    });
  });
}
