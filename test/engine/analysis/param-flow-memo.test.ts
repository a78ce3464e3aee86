/**
 * param-flow.ts: a helper's body is searched for serialisers once (not once per argument of each
 * call), and a helper that reaches itself still gets its finished answer. Counts walks, never time.
 */
import { describe, expect, it } from 'vitest';
import { lintText } from '../../../src/engine/index.js';
import { siteStats } from '../../../src/engine/analysis/param-flow.js';
import { allRules } from '../../../rules/index.js';
import { project } from './helpers.js';

function scan(files: Record<string, string>, file: string) {
  return lintText({ text: files[file]!, filename: file, displayPath: file, rules: allRules, settings: { 'sc-migrate': { project: project(files) } }, cwd: '/virtual' }).findings;
}

describe('serialisation sites of helpers', () => {
  it('walks a helper of four parameters once for all its calls and arguments', () => {
    const calls = Array.from({ length: 5 }, (_, i) => `send('/tracks/${i}', { oauth_token: t${i} }, opts, cb);`).join('\n');
    const files = {
      '/virtual/api.js': "import qs from 'qs';\nconst BASE = 'https://api.soundcloud.com';\nfunction send(path, params, opts, cb) { log(path, opts, cb); return fetch(BASE + path + '?' + qs.stringify(params)); }\n" + calls + '\n',
    };
    const before = siteStats.walks;
    const findings = scan(files, '/virtual/api.js');
    // the helper's body once (4 parameters x 5 calls asked), and no other body here has calls to follow
    expect(siteStats.walks - before).toBeLessThanOrEqual(2);
    expect(findings.filter((f) => f.ruleId === 'no-query-oauth-token').map((f) => f.line)).toEqual([4, 5, 6, 7, 8]);
  });

  it('still finds the query of helpers that call each other', () => {
    const files = {
      '/virtual/api.js': [
        "import qs from 'qs';",
        "const BASE = 'https://api.soundcloud.com';",
        'function a(p, n) { if (n > 0) return b(p, n - 1); return fetch(BASE + "/me?" + qs.stringify(p)); }',
        'function b(p, n) { return a(p, n); }',
        'b({ oauth_token: tok }, 2);',
        'a({ oauth_token: tok2 }, 1);',
        '',
      ].join('\n'),
    };
    const lines = scan(files, '/virtual/api.js').filter((f) => f.ruleId === 'no-query-oauth-token').map((f) => f.line);
    expect(lines).toContain(6);
  });

  it('follows no helper in a file that writes no credential key, and still finds the one that does', () => {
    const helper = "import qs from 'qs';\nconst BASE = 'https://api.soundcloud.com';\nfunction send(path, params) { return fetch(BASE + path + '?' + qs.stringify(params)); }\n";
    const without = { '/virtual/api.js': helper + "send('/tracks', { q: term, limit: 10 });\n" };
    let before = siteStats.walks;
    expect(scan(without, '/virtual/api.js')).toEqual([]);
    // no object key or `obj.key = v` named like a parameter a rule reads: no serialiser is looked for
    expect(siteStats.walks - before).toBe(0);
    const withKey = { '/virtual/api.js': helper + "const p = { q: term };\np.oauth_token = t;\nsend('/tracks', p);\n" };
    before = siteStats.walks;
    expect(scan(withKey, '/virtual/api.js').filter((f) => f.ruleId === 'no-query-oauth-token').map((f) => f.line)).toEqual([5]);
    expect(siteStats.walks - before).toBeGreaterThan(0);
  });

  it('follows no helper of a call whose arguments cannot hand over an object, and still follows the ones that can', () => {
    const files = {
      '/virtual/api.js': [
        "import qs from 'qs';",
        "const BASE = 'https://api.soundcloud.com';",
        'function note(text, n) { return fetch(BASE + "/notes?" + qs.stringify(text)); }',
        'function send(params) { return fetch(BASE + "/me?" + qs.stringify(params)); }',
        'const p = { client_id: id };',
        "note('saved', 3);",
        'note(`at ${when}`, () => 1);',
        'send.apply(this, [{ oauth_token: tok }]);',
        '',
      ].join('\n'),
    };
    const before = siteStats.walks;
    const findings = scan(files, '/virtual/api.js');
    // only `send` (through .apply): `note` is given a string, a template and a function
    expect(siteStats.walks - before).toBe(1);
    expect(findings.filter((f) => f.ruleId === 'no-query-oauth-token').map((f) => f.line)).toEqual([8]);
  });
});
