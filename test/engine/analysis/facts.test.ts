/** facts.ts: the per-file facts rules filter (parameters, where they go, SoundCloud context). */
import { describe, expect, it } from 'vitest';
import { createRule, lintText } from '../../../src/engine/index.js';
import { fileFacts, isScParam, type FileFacts } from '../../../src/engine/analysis/facts.js';
import { startOf } from '../../../src/engine/offsets.js';
import { project } from './helpers.js';

/** Runs fileFacts on a file of an in-memory project. */
let text = '';
function factsOf(files: Record<string, string>, file: string): FileFacts {
  text = files[file]!;
  let out: FileFacts | undefined;
  const rule = createRule({ id: 'facts-probe', description: 'probe', severity: 'warning', fixKind: 'manual', messages: { x: 'x' }, create: (context) => ({ 'Program:exit'() { out = fileFacts(context); } }) });
  lintText({ text: files[file]!, filename: file, displayPath: file, rules: [rule], settings: { 'sc-migrate': { project: project(files) } }, cwd: '/virtual' });
  return out!;
}

const lineOf = (offset: number) => text.slice(0, offset).split('\n').length;
const params = (f: FileFacts) => f.params.map((p) => ({ name: p.name, where: p.where, line: lineOf(startOf(p.report)), sc: isScParam(p, f) }));

describe('fileFacts', () => {
  it('finds parameters written in URL text, with where they go', () => {
    const f = factsOf({ '/virtual/a.js': "fetch('https://api.soundcloud.com/me?oauth_token=' + t);\nfetch('https://secure.soundcloud.com/oauth/token', { method: 'POST', body: 'grant_type=client_credentials' });\n" }, '/virtual/a.js');
    expect(f.directSc).toBe(true);
    expect(f.params.map((p) => [p.name, p.where, p.url.kind])).toEqual([['oauth_token', 'query', 'sc'], ['grant_type', 'body', 'sc']]);
  });

  it('follows a parameter object through a helper of another file into the query, reported at its key', () => {
    const files = {
      '/virtual/build.js': 'export function build(path, params) { let u = path + "?"; for (const k in params) u += `${k}=${params[k]}&`; return u; }\n',
      '/virtual/api.js': "import { build } from './build';\nconst BASE = 'https://api.soundcloud.com';\nexport const me = (t) => fetch(BASE + build('/me', {\n  oauth_token: t,\n}));\n",
    };
    const f = factsOf(files, '/virtual/api.js');
    expect(params(f)).toContainEqual({ name: 'oauth_token', where: 'query', line: 4, sc: true });
  });

  it('reads mutations of a parameter object', () => {
    const f = factsOf({ '/virtual/a.js': "import qs from 'qs';\nconst p = { limit: 1 };\np.client_id = ID;\nfetch('https://api.soundcloud.com/tracks?' + qs.stringify(p));\n" }, '/virtual/a.js');
    expect(params(f)).toContainEqual({ name: 'client_id', where: 'query', line: 3, sc: true });
  });

  it('is not SoundCloud context for a module of another service that imports shared code', () => {
    const files = {
      '/virtual/shared.js': "// timeouts of the soundcloud and other clients\nexport const TIMEOUT = 1;\n",
      '/virtual/spotify.js': "import { TIMEOUT } from './shared';\nfetch(spotifyUrl + '?code=' + c, { timeout: TIMEOUT });\n",
    };
    const f = factsOf(files, '/virtual/spotify.js');
    expect(f.otherProvider).toBe(true);
    expect(f.scContext).toBe(false);
    // the same file without the other service's name is SoundCloud context through its import
    expect(factsOf({ ...files, '/virtual/spotify.js': "import { TIMEOUT } from './shared';\nfetch(url, { timeout: TIMEOUT });\n" }, '/virtual/spotify.js').scContext).toBe(true);
  });

  it('skips strings that send nothing: allow-lists and comparisons', () => {
    const f = factsOf({ '/virtual/a.js': "const csp = { connectSrc: ['https://api.soundcloud.com/?client_id=x'] };\nif (u === 'https://api.soundcloud.com/me?oauth_token=1') go();\n" }, '/virtual/a.js');
    expect(f.params).toEqual([]);
  });

  it('keeps every string with sent(), and as `strings` only the sent ones', () => {
    const f = factsOf({ '/virtual/a.js': "if (u === 'https://api.soundcloud.com/me') go();\nfetch('https://api.soundcloud.com/tracks');\n" }, '/virtual/a.js');
    expect(f.allStrings.map((s) => [lineOf(startOf(s.node)), s.sent()])).toEqual([[1, false], [2, true]]);
    expect(f.strings.map((s) => lineOf(startOf(s.node)))).toEqual([2]);
  });

  it("reads a script's own undeclared globals from the assignments its walk collected", () => {
    // assigned once (inside a function, or on window) and read unbound: its value is sent; assigned twice: no value
    const code = "function init() { KEY = 'client_id=abc'; twice = 'oauth_token=1'; }\nwindow.TOKEN = 'oauth_token=t';\ntwice = 'x';\n"
      + "fetch('https://api.soundcloud.com/tracks?' + KEY);\nfetch('https://api.soundcloud.com/me?' + TOKEN);\nfetch('https://api.soundcloud.com/me?' + twice);\n";
    const f = factsOf({ '/virtual/a.js': code }, '/virtual/a.js');
    expect(f.params.filter((p) => p.request).map((p) => [p.name, p.value, lineOf(startOf(p.request!.call))])).toEqual([['client_id', 'abc', 4], ['oauth_token', 't', 5]]);
  });
});
