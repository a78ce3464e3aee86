/**
 * One marker per root cause (src/engine/markers.ts, src/fix/markers.ts): a finding of
 * no-client-id-auth has an origin when its client_id is declared elsewhere (browser code, or a URL
 * of unknown host) or its URL is the private API's; one marker there marks every finding that
 * shares it, in scan and in fix, also across files. Cases: rules/<id>/fixtures/fix/<case>/.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { allRules } from '../../rules/index.js';
import { lintText } from '../../src/engine/linter.js';
import { markerTags } from '../../src/engine/markers.js';
import { createProjectContext, SETTINGS_KEY } from '../../src/engine/project.js';
import type { Finding } from '../../src/engine/types.js';
import { fixText } from '../../src/fix/apply.js';
import { fixProject, projectFiles } from './pairs.js';
import { rootCauseCases } from './root-cause-cases.js';

/** Findings of a set of files (path -> text) linted as one project. */
function scanTexts(root: string, files: Map<string, string>): Finding[] {
  const project = createProjectContext({ root, read: (p) => files.get(p), files: () => [...files.keys()] });
  return [...files].filter(([p]) => /\.[jt]sx?$/.test(p)).flatMap(([filename, text]) =>
    lintText({ text, filename, rules: allRules, settings: { [SETTINGS_KEY]: { project } } }).findings.map((f) => ({ ...f, file: filename })));
}
const ofRule = (fs: Finding[], id: string) => fs.filter((f) => f.ruleId === id);

describe('origins (scan)', () => {
  const root = '/virtual/app';
  const files = (o: Record<string, string>) => new Map(Object.entries(o).map(([k, v]) => [join(root, k), v]));

  it('browser code: the client_id constant, also exported by another file', () => {
    const fs = scanTexts(root, files({
      'package.json': '{"dependencies":{"react":"^18.0.0"}}',
      'src/config.js': "export const CLIENT_ID = 'abc123';\n",
      'src/a.js': "import { CLIENT_ID } from './config';\nexport const a = () => fetch(`https://api.soundcloud.com/tracks?client_id=${CLIENT_ID}`);\n",
      'src/b.js': "import { CLIENT_ID } from './config';\nconst k = CLIENT_ID;\nexport const b = (u) => fetch('https://api.soundcloud.com/users/' + u + '?client_id=' + k);\n",
    }));
    const c = ofRule(fs, 'no-client-id-auth');
    expect(c).toHaveLength(2);
    for (const f of c) expect(f.origin).toEqual({ file: join(root, 'src/config.js'), line: 1, kind: 'value' });
  });

  it('server code on the public API: no origin (each request gets its token); a URL of unknown host: the parameter', () => {
    const fs = scanTexts(root, files({
      'src/a.js': "const ID = process.env.SC_ID;\nexports.a = async () => fetch(`https://api.soundcloud.com/tracks?client_id=${ID}`);\n"
        + "exports.next = async (page, id) => {\n  const r = await fetch(`${page.next_href}&client_id=${id}`);\n  return r.json();\n};\n",
    }));
    const [pub, next] = ofRule(fs, 'no-client-id-auth');
    expect(pub!.origin).toBeUndefined();
    expect(next!.origin).toMatchObject({ line: 3, kind: 'value', unknownHost: true });
  });

  it('the private API: the host literal the URL is built from (another file, or a URL builder of the function)', () => {
    const fs = scanTexts(root, files({
      'src/urls.js': "export const V2 = 'https://api-v2.soundcloud.com';\n",
      'src/a.js': "import { V2 } from './urls.js';\nexport const a = (id) => fetch(`${V2}/tracks/${id}?client_id=${id}`);\n",
      'src/b.js': "const base = 'https://api-v2.soundcloud.com';\nfunction build(path, q) { let u = path + '?'; for (const k in q) u += k + '=' + q[k] + '&'; return u; }\n"
        + "export function search(q, id) {\n  const url = build('/search', { q, client_id: id });\n  return fetch(base + url);\n}\n",
    }));
    const [a, b] = ofRule(fs, 'no-client-id-auth');
    expect(a).toMatchObject({ messageId: 'clientIdPrivate', origin: { file: join(root, 'src/urls.js'), line: 1, kind: 'private-api' } });
    expect(b).toMatchObject({ messageId: 'clientIdPrivate', origin: { file: join(root, 'src/b.js'), line: 1, kind: 'private-api' } });
  });

  it("a marker above the origin marks the finding, also in another file; another rule's marker does not", () => {
    const base = {
      'package.json': '{"dependencies":{"react":"^18.0.0"}}',
      'src/a.js': "import { CLIENT_ID } from './config';\nexport const a = () => fetch(`https://api.soundcloud.com/tracks?client_id=${CLIENT_ID}`);\n",
    };
    const marked = scanTexts(root, files({ ...base, 'src/config.js': "/* sc-migrate(no-private-api-v2, no-client-id-auth): x */\nexport const CLIENT_ID = 'abc123';\n" }));
    expect(ofRule(marked, 'no-client-id-auth')[0]).toMatchObject({ marked: true, fixKind: 'manual' });
    const other = scanTexts(root, files({ ...base, 'src/config.js': "/* sc-migrate(no-private-api-v2): x */\nexport const CLIENT_ID = 'abc123';\n" }));
    expect(ofRule(other, 'no-client-id-auth')[0]!.marked).toBeUndefined();
  });

  it('markerTags reads one rule or a list', () => {
    expect(markerTags('/* sc-migrate(no-private-api-v2, no-client-id-auth): x */')).toEqual(['no-private-api-v2', 'no-client-id-auth']);
    expect(markerTags('  <!-- sc-migrate(require-pkce): y -->')).toEqual(['require-pkce']);
    expect(markerTags('// sc-migrate-ignore-next-line no-client-id-auth')).toEqual([]);
  });
});

describe('one marker per root cause (fix)', () => {
  it("a file fixed before keeps its private API marker, which now names the client_id too (no second marker)", () => {
    const text = "/* sc-migrate(no-private-api-v2): private API, no migration: use api.soundcloud.com */\nconst V2 = 'https://api-v2.soundcloud.com';\n"
      + "export const a = (id, cid) => fetch(`${V2}/tracks/${id}?client_id=${cid}`);\n";
    const r = fixText(text, { filename: '/srv/v2.js', rules: allRules });
    expect(r.markers).toBe(0);
    expect(r.text.split('\n')[0]).toBe('/* sc-migrate(no-private-api-v2, no-client-id-auth): private API: use api.soundcloud.com */');
    expect(r.remaining.every((f) => f.marked)).toBe(true);
    expect(fixText(r.text, { filename: '/srv/v2.js', rules: allRules }).status).toBe('unchanged');
  });
});

for (const c of rootCauseCases()) {
  describe(`${c.rule}/fixtures/fix/${c.name}`, () => {
    it('fixFiles over the project gives output/; one marker per root cause; every finding left is marked', async () => {
      const after = await fixProject(c.input);
      const expected = projectFiles(c.output);
      expect([...after.keys()].sort()).toEqual(expected.map((f) => relative(c.output, f.path).split('\\').join('/')).sort());
      for (const [rel, r] of after) expect(r.after, rel).toBe(readFileSync(join(c.output, rel), 'utf8'));
      const left = scanTexts(c.output, new Map(expected.map((f) => [f.path, f.text])));
      expect(left.length).toBeGreaterThan(0);
      for (const f of left) expect(f.marked, `${relative(c.output, f.file)}:${f.line} ${f.ruleId}`).toBe(true);
      // markers written = distinct root causes of what is left (origin, else the statement; the private API's client_id joins its host)
      const markers = [...after.values()].reduce((n, r) => n + r.markers, 0);
      const causes = new Set(left.map((f) => {
        const rule = f.ruleId === 'no-client-id-auth' && f.origin?.kind === 'private-api' ? 'no-private-api-v2' : f.ruleId;
        const marker = readFileSync(f.origin?.file ?? f.file, 'utf8').split('\n').slice(0, (f.origin?.line ?? f.line) - 1).findLastIndex((l) => markerTags(l).includes(f.ruleId));
        return `${f.origin?.file ?? f.file}:${marker}|${rule}`;
      }));
      expect(markers).toBe(causes.size);
      if (c.rule === 'no-client-id-auth') expect(left.length).toBeGreaterThan(markers);
    });
    it('a second run changes nothing', async () => {
      const again = await fixProject(c.output);
      for (const [rel, r] of again) {
        expect(r.status, rel).not.toBe('changed');
        expect(r.markers, rel).toBe(0);
      }
    });
  });
}
