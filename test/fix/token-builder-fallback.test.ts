/**
 * Token URL builders that fall back to the app's client_id (src/fix/project-builders.ts, fallbackOf)
 * beyond the cross-file pair: all or nothing across the project, and no app token where no route
 * can serve one.
 */
import { describe, expect, it } from 'vitest';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { allRules } from '../../rules/index.js';
import { fixFiles } from '../../src/fix/apply.js';
import { CROSS_DIR } from './pairs.js';

const CASE = join(CROSS_DIR, 'token-builder-fallback', 'input');

async function fixCase(extra: Record<string, string>, tokenEndpoint?: string) {
  const dir = mkdtempSync(join(tmpdir(), 'sc-builder-fallback-'));
  try {
    cpSync(CASE, dir, { recursive: true });
    for (const [rel, text] of Object.entries(extra)) { mkdirSync(join(dir, rel, '..'), { recursive: true }); writeFileSync(join(dir, rel), text); }
    const walk = (d: string): string[] => readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(d, e.name)) : [join(d, e.name)]));
    const files = walk(dir).filter((p) => !p.endsWith('.json')).map((p) => ({ path: p.slice(dir.length + 1), text: readFileSync(p, 'utf8') }));
    const { results } = await fixFiles({ files, rules: allRules, cwd: dir, dry: true, ...(tokenEndpoint ? { tokenEndpoint } : {}) });
    return new Map(results.map((r) => [r.file.split('\\').join('/'), r]));
  } finally { rmSync(dir, { recursive: true, force: true }); }
}

describe('token builders with a client_id fallback', () => {
  it('a fallback builder whose URL also goes to an <audio> element: the client_id stays (one marker), the user token still moves to the header', async () => {
    const after = await fixCase({ 'src/pages/Preview.jsx': "import React from 'react';\nimport { publicLink } from '../net/links';\n\nexport const Preview = ({ id }) => <audio src={publicLink(`tracks/${id}/stream`, '?')} />;\n" });
    const links = after.get('src/net/links.js')!;
    expect(links.after).toContain('client_id=${SC_KEY}');
    expect(links.after).not.toContain('oauth_token');
    expect(links.after).toContain('export function authHeaders() {');
    expect(links.after).not.toContain('soundcloudAppToken');
    expect(after.get('src/store/charts.js')?.status).toBe('unchanged');
    expect(after.get('src/store/likes.js')!.after).toContain('fetch(link, { headers: authHeaders() })');
    expect([...after.values()].filter((r) => r.created)).toEqual([]);
    for (const r of after.values()) expect(r.remaining.filter((f) => !f.marked), r.file).toEqual([]);
  });

  it('a phone app given a token route it cannot ask: the user token still moves to the header, the client_id stays with its marker; given a full one, or none (the route left to set), both go', async () => {
    const pkg = { 'package.json': JSON.stringify({ dependencies: { react: '16.0.0', 'react-native': '0.61.0' } }) };
    const shell = await fixCase(pkg, '/api/soundcloud/token');
    const links = shell.get('src/net/links.js')!.after;
    expect(links).not.toContain('oauth_token');
    expect(links).toContain('client_id=${SC_KEY}');
    expect(links).toContain("export function authHeaders() {\n  const token = session.token();\n  return token ? { Authorization: `OAuth ${token}` } : {};\n}");
    expect(shell.get('src/store/likes.js')!.after).toContain('fetch(link, { headers: authHeaders() })');
    expect(shell.get('src/store/charts.js')?.status).toBe('unchanged');
    expect([...shell.values()].filter((r) => r.created)).toEqual([]);
    const routed = await fixCase(pkg, 'https://backend.example/sc/token');
    expect(routed.get('src/net/links.js')!.after).not.toMatch(/client_id|oauth_token/);
    expect(routed.get('src/net/soundcloud-browser-client.js')!.after).toContain("SOUNDCLOUD_TOKEN_ENDPOINT = 'https://backend.example/sc/token'");
    const unset = await fixCase(pkg);
    expect(unset.get('src/net/links.js')!.after).not.toMatch(/client_id|oauth_token/);
    expect(unset.get('src/net/soundcloud-browser-client.js')!.after).toContain("SOUNDCLOUD_TOKEN_ENDPOINT = '';");
  });
  it("a builder left with two identical returns becomes the one return, and its token read goes; not when the read may do more", async () => {
    const links = (session: string) => readFileSync(join(CASE, 'src/net/links.js'), 'utf8')
      .replace(/\n  return `\$\{link\}\$\{glue\}client_id=/, ' else {\n    return `${link}${glue}client_id=')
      .replace(/(client_id=\$\{SC_KEY\}`;)\n\}\n\nexport function pageLink/, '$1\n  }\n}\n\nexport function pageLink')
      .replace(/session\.token\(\);/g, `${session};`);
    const read = await fixCase({ 'src/net/links.js': links("localStorage.getItem('sc.session')") });
    const out = read.get('src/net/links.js')!.after!;
    expect(out).toContain('export function signLink(link, glue) {\n  return `${link}`;\n}\n');
    expect(out).not.toMatch(/client_id|oauth_token/);
    expect(out).toContain("export async function authHeaders() {\n  const token = localStorage.getItem('sc.session');");
    // the early-return form of the fixture (if (token) return A; return B;) collapses the same way
    const early = await fixCase({ 'src/net/links.js': readFileSync(join(CASE, 'src/net/links.js'), 'utf8').replace(/session\.token\(\);/g, "localStorage.getItem('sc.session');") });
    expect(early.get('src/net/links.js')!.after).toContain('export function signLink(link, glue) {\n  return `${link}`;\n}\n');
    // session.token() is the app's own function: the read stays, and so does the if
    const call = await fixCase({ 'src/net/links.js': links('session.token()') });
    expect(call.get('src/net/links.js')!.after).toContain('  const token = session.token();\n  if (token) {\n    return `${link}`;\n  } else {\n    return `${link}`;\n  }\n');
  });
});
