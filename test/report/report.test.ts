import { afterAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import ajvFormats from 'ajv-formats';

// CommonJS: module.exports is the plugin, with itself as .default
const addFormats = (ajvFormats as unknown as { default: (ajv: Ajv) => Ajv }).default;
import { runScan } from '../../src/scan/run.js';
import { formatResult, FORMATS, forecastFix } from '../../src/report/index.js';
import { redact, looksLikeSecret } from '../../src/report/redact.js';
import { escapeData, escapeProperty, formatGithub } from '../../src/report/github.js';
import { toSarif } from '../../src/report/sarif.js';
import { cleanup, REPO, tempDir, testRules, writeTree } from '../cli/helpers.js';

afterAll(cleanup);

const SECRET = 'f3k29dkq0xm3n4b5v6c7x8z9a0s1d2Q7';
const TOKEN = '1-138878-53859839-ee6b1fa4ff2b73a9c';
const SRC = [
  '// SoundCloud client',
  `const config = { client_id: 'abc', client_secret: '${SECRET}' };`,
  `const url = 'https://api.soundcloud.com/me?oauth_token=${TOKEN}';`,
  'legacyCall();',
  '',
].join('\n');

const scanSecrets = async () => {
  const d = tempDir();
  writeTree(d, { 'src/app.js': SRC });
  return runScan({ cwd: d, rules: testRules, noConfig: true, withDocs: true });
};

describe('redaction', () => {
  it('masks secrets and tokens in code lines and messages, keeping at most 2 characters', () => {
    expect(redact(`clientSecret: "${SECRET}"`)).toBe('clientSecret: "f3«redacted»"');
    expect(redact(`fetch('/me?oauth_token=${TOKEN}')`)).toBe("fetch('/me?oauth_token=1-«redacted»')");
    expect(redact(`headers: { Authorization: 'OAuth ${TOKEN}' }`)).toBe("headers: { Authorization: 'OAuth 1-«redacted»' }");
    expect(redact("const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U'")).toBe("const jwt = 'ey«redacted»'");
    expect(redact("password = 'hunter22'")).toBe("password = 'hu«redacted»'");
    expect(redact(`const k = "${SECRET}";`)).toBe('const k = "f3«redacted»";');
    expect(redact(`Client secret ${SECRET} leaked`, { bare: true })).toBe('Client secret f3«redacted» leaked');
  });

  it('leaves URLs, identifiers, placeholders and grant types alone', () => {
    for (const s of [
      "const tokenUrl = 'https://secure.soundcloud.com/oauth/token';",
      "grant_type: 'password'",
      "response_type: 'token'",
      "token_type: 'bearer'",
      'const accessToken = await getToken();',
      "fetch(`https://api.soundcloud.com/me?oauth_token=${token}`)",
      "import { useSoundCloudPlayer } from './hooks/useSoundCloudPlayerWithLongName';",
      'const secret = process.env.SC_CLIENT_SECRET;',
    ]) expect(redact(s)).toBe(s);
    expect(looksLikeSecret('https://api.soundcloud.com/tracks')).toBe(false);
    const msg = 'Legacy token endpoint api.soundcloud.com/oauth2/token: use https://secure.soundcloud.com/oauth/token.';
    expect(redact(msg, { bare: true })).toBe(msg);
    expect(redact('see src/components/player/SoundCloudPlayer2.tsx', { bare: true })).toBe('see src/components/player/SoundCloudPlayer2.tsx');
  });

  it('no format ever prints the secret or the token', async () => {
    const r = await scanSecrets();
    expect(r.findings.map((f) => f.ruleId)).toEqual(['test-secret', 'test-query-token', 'test-legacy']);
    expect(r.findings[0]!.message).toContain(SECRET); // the engine's message carries it...
    for (const format of FORMATS) {
      const out = formatResult(r, format, { color: format === 'pretty', toolVersion: '0.1.0' });
      expect(out, format).not.toContain(SECRET);
      expect(out, format).not.toContain(TOKEN);
      expect(out, format).not.toContain(SECRET.slice(2, 12));
      expect(out, format).not.toContain(TOKEN.slice(2, 12));
      expect(out, format).toContain('«redacted»');
    }
  });
});

describe('redaction: consistent, and never our own text', () => {
  it('a client id in a URL is masked like one in an object', () => {
    const id = 'Xy7fK2pQ9mZ4vB8nL3wR6tY1uE5oI0aS';
    const inUrl = redact(`fetch('https://api.soundcloud.com/tracks?client_id=${id}&limit=5')`);
    const inObject = redact(`const c = { client_id: '${id}' };`);
    expect(inUrl).toBe("fetch('https://api.soundcloud.com/tracks?client_id=Xy«redacted»&limit=5')");
    expect(inObject).toBe("const c = { client_id: 'Xy«redacted»' };");
    // a short, word-like id is left alone in both places
    expect(redact("fetch('https://api.soundcloud.com/tracks?client_id=abc')")).toContain('client_id=abc');
    expect(redact("const c = { client_id: 'abc' };")).toContain("'abc'");
  });

  it('the messages of every rule come out unchanged (code_challenge_method stays)', async () => {
    const { loadRules } = await import('../../src/scan/rules.js');
    const rules = await loadRules();
    let n = 0;
    for (const r of rules) {
      for (const m of Object.values(r.meta.messages ?? {})) {
        expect(redact(m, { bare: true }), `${r.meta.docs.scMigrate.id}: ${m}`).toBe(m);
        n++;
      }
    }
    expect(n).toBeGreaterThan(20);
    expect(redact('PKCE (code_challenge + code_challenge_method=S256 + state)', { bare: true })).toContain('code_challenge_method=S256');
    // while a secret after a name= is still masked
    expect(redact('sent client_secret_value=f3k29dkq0xm3n4b5v6c7x8z9a0s1d2Q7 in the body', { bare: true })).toContain('client_secret_value=f3«redacted»');
  });
});

describe('SARIF', () => {
  const validator = () => {
    const schema = JSON.parse(readFileSync(join(REPO, 'node_modules/@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8')) as Record<string, unknown>;
    // The schema is draft-04 (`id`); ajv 8 reads it as draft-07 once the keywords are renamed.
    delete schema.$schema;
    schema.$id = schema.id;
    delete schema.id;
    // formats (uri, date-time...) are validated, not ignored with a warning
    const ajv = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false, validateFormats: true });
    addFormats(ajv);
    return ajv.compile(schema);
  };

  it('validates against the official SARIF 2.1.0 schema, with rules, help, regions and fixes', async () => {
    const r = await scanSecrets();
    const log = toSarif(r, { toolVersion: '0.1.0' });
    const validate = validator();
    const ok = validate(log);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
    expect(validate({ version: '2.1.0', runs: [{ tool: { driver: {} } }] })).toBe(false); // the schema bites
    // and so do its formats: a driver informationUri that is no URI
    const badUri = structuredClone(log) as Record<string, any>;
    badUri.runs[0].tool.driver.informationUri = 'not a uri';
    expect(validate(badUri)).toBe(false);
    expect(JSON.stringify(validate.errors)).toMatch(/format/);
    const run = (log.runs as Record<string, any>[])[0]!;
    expect(run.tool.driver.rules.map((x: { id: string }) => x.id)).toEqual(['test-query-token', 'test-legacy', 'test-secret']);
    const rule = run.tool.driver.rules[0];
    expect(rule).toMatchObject({ shortDescription: { text: expect.any(String) }, fullDescription: { text: expect.any(String) }, help: { text: expect.any(String), markdown: expect.any(String) }, helpUri: expect.stringMatching(/^https:/), defaultConfiguration: { level: 'error' } });
    const res = run.results.find((x: { ruleId: string }) => x.ruleId === 'test-query-token');
    expect(res.locations[0].physicalLocation).toMatchObject({ artifactLocation: { uri: 'src/app.js', uriBaseId: '%SRCROOT%' }, region: { startLine: 3, startColumn: 13 } });
    expect(res.partialFingerprints['scMigrate/v1']).toMatch(/^[0-9a-f]{32}$/);
    // The query-token fix would copy the token: left out rather than leaked.
    expect(res.fixes).toBeUndefined();
  });

  it('includes fixes where an edit exists, and reads rules/<id>/README.md for help.markdown', async () => {
    const d = tempDir();
    writeTree(d, { 'a.js': "// soundcloud\nconst u = 'https://api.soundcloud.com/me?oauth_token=x&q=1';\n" });
    const r = await runScan({ cwd: d, rules: testRules, noConfig: true });
    const log = toSarif(r);
    const res = (log.runs as any[])[0].results[0];
    expect(res.fixes[0].artifactChanges[0]).toEqual({
      artifactLocation: { uri: 'a.js', uriBaseId: '%SRCROOT%' },
      replacements: [{ deletedRegion: { startLine: 2, startColumn: 11, endLine: 2, endColumn: 60 }, insertedContent: { text: "'https://api.soundcloud.com/me&q=1'" } }],
    });
    expect(validator()(log)).toBe(true);
    const withDoc = toSarif({ ...r, rules: r.rules.map((x) => ({ ...x, docsMarkdown: '# Doc\n\nBefore/after' })) });
    expect((withDoc.runs as any[])[0].tool.driver.rules[0].help.markdown).toBe('# Doc\n\nBefore/after');
  });

  it('partialFingerprints stay the same when lines are inserted above', async () => {
    const d = tempDir();
    writeTree(d, { 'src/app.js': SRC });
    const before = await runScan({ cwd: d, rules: testRules, noConfig: true });
    writeFileSync(join(d, 'src/app.js'), '// a new header\n\nimport x from "y";\n' + SRC);
    const after = await runScan({ cwd: d, rules: testRules, noConfig: true });
    const fps = (r: typeof before) => (toSarif(r).runs as any[])[0].results.map((x: any) => x.partialFingerprints['scMigrate/v1']);
    expect(after.findings.map((f) => f.line)).toEqual(before.findings.map((f) => f.line + 3));
    expect(fps(after)).toEqual(fps(before));
    writeFileSync(join(d, 'src/app.js'), SRC.replace('legacyCall();', 'legacyCall(1);'));
    const edited = await runScan({ cwd: d, rules: testRules, noConfig: true });
    expect(fps(edited)[2]).not.toEqual(fps(before)[2]);
  });
});

describe('github and markdown', () => {
  it('escapes workflow command data and properties', () => {
    expect(escapeData('50% done\r\nnext')).toBe('50%25 done%0D%0Anext');
    expect(escapeProperty('a:b,c%\n')).toBe('a%3Ab%2Cc%25%0A');
  });

  it('github: one annotation per finding with file, line, col, endLine and title', async () => {
    const r = await scanSecrets();
    const lines = formatGithub(r).trim().split('\n');
    expect(lines[1]).toBe('::error file=src/app.js,line=3,col=13,endLine=3,endColumn=92,title=sc-migrate test-query-token::oauth_token in the query string%3A send it in the Authorization header'.replace('%3A', ':'));
    expect(lines[2]).toMatch(/^::warning file=src\/app.js,line=4,/);
    expect(lines.at(-1)).toMatch(/^sc-migrate: 3 finding/);
  });

  it('markdown: counts by rule, a findings table with docs links, what fix would change', async () => {
    const d = tempDir();
    writeTree(d, { 'a.js': "// soundcloud\nconst u = 'https://api.soundcloud.com/me?oauth_token=x&q=1';\nlegacyCall(); // a | pipe\n" });
    const r = await runScan({ cwd: d, rules: testRules, noConfig: true });
    // what a fix run left: the legacy call (manual)
    const forecast = forecastFix(r.findings, [{ path: join(d, 'a.js'), changed: true, remaining: r.findings.filter((f) => f.ruleId === 'test-legacy') }]);
    const md = formatResult(r, 'markdown', { forecast, env: { GITHUB_SERVER_URL: 'https://github.com', GITHUB_REPOSITORY: 'o/r', GITHUB_SHA: 'abc' } });
    expect(md).toContain('| [`test-query-token`](https://example.test/test-query-token) | error | 1 | auto (1 automatic) |'.replace('https://example.test/test-query-token', r.rules[0]!.url));
    expect(md).toContain('**1** finding(s) fixed automatically in 1 file(s)');
    expect(md).toContain('**1** left for a person');
    expect(formatResult(r, 'markdown')).toContain('preview it with `sc-migrate fix --dry`'); // no dry run, no number
    expect(md).toContain('[a.js](https://github.com/o/r/blob/abc/a.js#L2)');
    expect(md).toMatch(/\*\*2 findings\*\* \(1 error, 1 warning\)/);
  });
});
