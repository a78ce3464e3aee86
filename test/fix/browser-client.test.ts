/**
 * The browser client_id rewrite (src/fix/browser-client.ts) beyond the pairs: one module and one
 * note per project, the module in the app's style, and the places where it must not rewrite.
 */
import { describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createRequire } from 'node:module';
import { allRules } from '../../rules/index.js';
import { fixFiles } from '../../src/fix/apply.js';
import { browserModuleText, SHELL_ENDPOINT, withStreamSrc } from '../../src/fix/browser-client.js';
import { createProjectContext } from '../../src/engine/project.js';

const SEARCH = "export async function search(q) {\n  const res = await fetch(`https://api.soundcloud.com/tracks?q=${q}&client_id=${CLIENT_ID}`);\n  return res.json();\n}\n";

async function fixProject(files: Record<string, string>, tokenEndpoint?: string) {
  const dir = mkdtempSync(join(tmpdir(), 'sc-browser-client-'));
  try {
    for (const [rel, text] of Object.entries(files)) { mkdirSync(join(dir, rel, '..'), { recursive: true }); writeFileSync(join(dir, rel), text); }
    const sources = Object.keys(files).filter((f) => !f.endsWith('.json'));
    const { results } = await fixFiles({ files: sources.map((p) => ({ path: p, text: files[p]! })), rules: allRules, cwd: dir, dry: true, project: createProjectContext({ root: dir }), ...(tokenEndpoint ? { tokenEndpoint } : {}) });
    return results;
  } finally { rmSync(dir, { recursive: true, force: true }); }
}

const REACT = JSON.stringify({ dependencies: { react: '^18.2.0' } });

describe('browser client_id rewrite', () => {
  it('two files in two folders: one module, imported by both, and one note naming the route', async () => {
    const results = await fixProject({
      'package.json': REACT,
      'src/config.js': "export const CLIENT_ID = 'a281614d7f34dc30b665dfcaa3ed7505';\n",
      'src/api/tracks.js': `import { CLIENT_ID } from '../config';\n\n${SEARCH}`,
      'src/views/users.js': "import { CLIENT_ID } from '../config';\n\nexport const user = (id) => fetch(`https://api.soundcloud.com/users/${id}?client_id=${CLIENT_ID}`).then((r) => r.json());\n",
    }, 'https://backend.example/sc/token');
    expect(results.filter((r) => r.status === 'failed')).toEqual([]);
    const created = results.filter((r) => r.created);
    expect(created.map((r) => r.file)).toEqual(['src/api/soundcloud-browser-client.js']);
    expect(created[0]!.after).toContain("export const SOUNDCLOUD_TOKEN_ENDPOINT = 'https://backend.example/sc/token';");
    expect(created[0]!.env ?? []).toEqual([]);
    expect(results.flatMap((r) => r.notes ?? [])).toEqual([expect.stringMatching(/^browser requests now get app tokens from your backend: serve POST https:\/\/backend\.example\/sc\/token there with createTokenEndpoint/)]);
    expect(results.find((r) => r.file === 'src/api/tracks.js')!.after).toContain("import { soundcloudAccessToken } from './soundcloud-browser-client';");
    expect(results.find((r) => r.file === 'src/views/users.js')!.after).toContain("import { soundcloudAccessToken } from '../api/soundcloud-browser-client';");
    for (const r of results) if (!r.created && r.file.endsWith('.js') && r.file !== 'src/config.js') expect(r.remaining, r.file).toEqual([]);
  });

  it('the module follows the app: quotes, semicolons, indentation; TypeScript types; never a secret or process.env', () => {
    const js = browserModuleText('esm', 'import a from "a"\nfunction f() {\n    return "x"\n}\nconst b = "y"\nconst c = "z"\n');
    expect(js).toContain('import { SoundCloudClient } from "sc-migrate/runtime/browser"\n');
    expect(js).toContain('\n    const id = clientId || ""\n');
    expect(js).not.toMatch(/;\n/);
    const ts = browserModuleText('ts', "import a from 'a';\nconst b = 'y';\n");
    expect(ts).toContain('export function soundcloudAccessToken(clientId: string | undefined): Promise<string> {');
    for (const t of [js, ts]) expect(t).not.toMatch(/process\.env|clientSecret|client_secret/);
  });

  it('no rewrite where the route cannot serve the code: a Nuxt (server-rendered) module, an Electron app given a relative route, a file that already has the server module', async () => {
    for (const [pkg, endpoint] of [[{ dependencies: { vue: '^2.6.0', nuxt: '^2.0.0', express: '^4.0.0' } }, undefined], [{ dependencies: { react: '^16.0.0' }, devDependencies: { electron: '^9.0.0' } }, '/api/soundcloud/token']] as const) {
      const results = await fixProject({ 'package.json': JSON.stringify(pkg), 'utils/api.js': `const CLIENT_ID = 'a281614d7f34dc30b665dfcaa3ed7505';\n${SEARCH}` }, endpoint);
      const api = results.find((r) => r.file === 'utils/api.js')!;
      expect(api.after).not.toContain('soundcloud-browser-client');
      expect(api.remaining.map((f) => f.ruleId)).toContain('no-client-id-auth');
      expect(api.remaining.every((f) => f.marked)).toBe(true);
    }
    const mixed = await fixProject({ 'package.json': REACT, 'src/a.js': `import { soundcloudAccessToken } from '../server/soundcloud-client.js';\nconst CLIENT_ID = 'x';\nwindow.t = soundcloudAccessToken;\n${SEARCH}` });
    expect(mixed.filter((r) => r.status === 'failed')).toEqual([]);
    expect(mixed.find((r) => r.file === 'src/a.js')!.after).not.toContain('soundcloud-browser-client');
  });

  it('a phone or desktop shell: given a route it cannot ask, the marker asks for a full URL; given one (fix --token-endpoint https://...), the rewrite; given none, the rewrite with the route left for the app to set', async () => {
    const files = {
      'package.json': JSON.stringify({ dependencies: { react: '16.0.0', 'react-native': '0.45.1', axios: '^0.16.2' } }),
      'src/config.js': "const CLIENT_ID = 'a281614d7f34dc30b665dfcaa3ed7505';\nexport { CLIENT_ID };\n",
      'src/stores/likes.js': "import axios from 'axios';\nimport { CLIENT_ID } from '../config';\n\nexport async function liked(user) {\n  const res = await axios.get(`https://api.soundcloud.com/users/${user}/favorites?client_id=${CLIENT_ID}`);\n  return res.data;\n}\n",
    };
    for (const endpoint of ['/api/soundcloud/token', 'http://backend.example/token']) {
      const results = await fixProject(files, endpoint);
      expect(results.filter((r) => r.created)).toEqual([]);
      expect(results.find((r) => r.file === 'src/stores/likes.js')!.after).not.toContain('soundcloud-browser-client');
      expect(results.find((r) => r.file === 'src/config.js')!.after).toContain('/* sc-migrate(no-client-id-auth): app shell: rerun fix with --token-endpoint <backend URL> */\nconst CLIENT_ID');
    }
    for (const endpoint of ['https://backend.example/soundcloud/token', 'http://localhost:3000/token']) {
      const results = await fixProject(files, endpoint);
      expect(results.filter((r) => r.status === 'failed')).toEqual([]);
      const created = results.filter((r) => r.created);
      expect(created.map((r) => r.file)).toEqual(['src/stores/soundcloud-browser-client.js']);
      expect(created[0]!.after).toContain(`export const SOUNDCLOUD_TOKEN_ENDPOINT = '${endpoint}';`);
      const likes = results.find((r) => r.file === 'src/stores/likes.js')!;
      expect(likes.after).toContain("axios.get(`https://api.soundcloud.com/users/${user}/favorites`, { headers: { Authorization: `OAuth ${await soundcloudAccessToken(CLIENT_ID)}` } });");
      expect(likes.remaining).toEqual([]);
      expect(results.find((r) => r.file === 'src/config.js')?.after ?? '').not.toContain('sc-migrate(');
    }
    // no --token-endpoint: the same rewrite; the module's route is an empty constant that the note says to set
    // (no guessed URL), and until it is set the token requests reject with that message before any request
    const unset = await fixProject(files);
    expect(unset.filter((r) => r.status === 'failed')).toEqual([]);
    const created = unset.filter((r) => r.created);
    expect(created.map((r) => r.file)).toEqual(['src/stores/soundcloud-browser-client.js']);
    expect(created[0]!.after).toContain("export const SOUNDCLOUD_TOKEN_ENDPOINT = '';");
    expect(created[0]!.after).toContain("  if (!SOUNDCLOUD_TOKEN_ENDPOINT) return Promise.reject(new Error('SOUNDCLOUD_TOKEN_ENDPOINT is not set (your backend token route)'));\n  return soundcloudClient(clientId).getAccessToken();");
    expect(created[0]!.notes).toEqual([expect.stringMatching(/^TODO: set SOUNDCLOUD_TOKEN_ENDPOINT in this module to the full URL of your backend's token route/)]);
    expect(unset.find((r) => r.file === 'src/stores/likes.js')!.after).toContain('await soundcloudAccessToken(CLIENT_ID)');
    expect(unset.find((r) => r.file === 'src/stores/likes.js')!.remaining).toEqual([]);
    expect(unset.find((r) => r.file === 'src/config.js')?.after ?? '').not.toContain('sc-migrate(');
  });

  it('a shell module with its route unset rejects without a request; set, it asks that route', async () => {
    const text = browserModuleText('esm', "import a from 'a';\n", SHELL_ENDPOINT);
    const dir = mkdtempSync(join(tmpdir(), 'sc-shell-module-'));
    try {
      const runtime = pathToFileURL(join(process.cwd(), 'src', 'runtime', 'browser.ts')).href;
      const asked: string[] = [];
      const load = async (route: string) => {
        const file = join(dir, `m${asked.length}-${route ? 'set' : 'unset'}.mjs`);
        writeFileSync(file, text.replace("'sc-migrate/runtime/browser'", `'${runtime}'`).replace("SOUNDCLOUD_TOKEN_ENDPOINT = ''", `SOUNDCLOUD_TOKEN_ENDPOINT = '${route}'`));
        return import(pathToFileURL(file).href) as Promise<{ soundcloudAccessToken(id: string): Promise<string>; soundcloudStreamUrl(t: number, id: string): Promise<string> }>;
      };
      const fetchWas = globalThis.fetch;
      globalThis.fetch = (async (url: string) => { asked.push(String(url)); return new Response(JSON.stringify({ access_token: 'app-token', token_type: 'bearer', expires_in: 3600 }), { status: 200, headers: { 'content-type': 'application/json' } }); }) as typeof fetch;
      try {
        const unsetModule = await load('');
        await expect(unsetModule.soundcloudAccessToken('id')).rejects.toThrow('SOUNDCLOUD_TOKEN_ENDPOINT is not set');
        await expect(unsetModule.soundcloudStreamUrl(1, 'id')).rejects.toThrow('SOUNDCLOUD_TOKEN_ENDPOINT is not set');
        expect(asked).toEqual([]);
        const setModule = await load('https://backend.example/sc/token');
        await expect(setModule.soundcloudAccessToken('id')).resolves.toBe('app-token');
        expect(asked).toEqual(['https://backend.example/sc/token']);
      } finally { globalThis.fetch = fetchWas; }
    } finally { rmSync(dir, { recursive: true, force: true }); }
  });

  it('a CommonJS module of a bundled app (browserify, ES2015): a CommonJS browser module, required; an ES5 file or a script that only exports itself keeps its marker', async () => {
    const BROWSERIFY = JSON.stringify({ dependencies: { jquery: '^3.0.0' }, devDependencies: { browserify: '^16.0.0' } });
    const results = await fixProject({
      'package.json': BROWSERIFY,
      'src/config.js': "module.exports = { clientId: 'a281614d7f34dc30b665dfcaa3ed7505' };\n",
      'src/api.js': "var config = require('./config');\n\nfunction search(q) {\n  return fetch(`https://api.soundcloud.com/tracks?q=${q}&client_id=${config.clientId}`).then((r) => r.json());\n}\n\nmodule.exports = { search: search };\n",
      'src/legacy.js': "var $ = require('jquery');\nvar KEY = 'a281614d7f34dc30b665dfcaa3ed7505';\n\nmodule.exports = function (id) {\n  return fetch('https://api.soundcloud.com/users/' + id + '?client_id=' + KEY).then(function (r) { return r.json(); });\n};\n",
      'src/umd.js': "(function (root) {\n  const search = (q) => fetch(`https://api.soundcloud.com/tracks?q=${q}&client_id=${root.SC_ID}`);\n  if (typeof module !== 'undefined') module.exports = search; else root.search = search;\n})(this);\n",
    });
    expect(results.filter((r) => r.status === 'failed')).toEqual([]);
    const created = results.filter((r) => r.created);
    expect(created.map((r) => r.file)).toEqual(['src/soundcloud-browser-client.js']);
    const mod = created[0]!.after!;
    expect(mod).toContain("const { SoundCloudClient } = require('sc-migrate/runtime/browser');");
    expect(mod).toContain("const SOUNDCLOUD_TOKEN_ENDPOINT = exports.SOUNDCLOUD_TOKEN_ENDPOINT = '/api/soundcloud/token';");
    expect(mod).toContain('exports.soundcloudAccessToken = soundcloudAccessToken;');
    expect(mod).not.toMatch(/^(import|export)\s/m);
    const api = results.find((r) => r.file === 'src/api.js')!;
    expect(api.after).toContain("var soundcloudAccessToken = require('./soundcloud-browser-client').soundcloudAccessToken;");
    expect(api.remaining).toEqual([]);
    for (const f of ['src/legacy.js', 'src/umd.js']) expect(results.find((r) => r.file === f)!.after, f).toContain('sc-migrate(no-client-id-auth)');
    // the same ES5 file in a project that compiles its code (webpack with Babel): the rewrite
    const compiled = await fixProject({
      'package.json': JSON.stringify({ dependencies: { react: '^0.14.7', webpack: '^1.9.10', 'babel-core': '^6.4.5', 'babel-loader': '^6.2.2' } }),
      'src/legacy.js': "var $ = require('jquery');\nvar KEY = 'a281614d7f34dc30b665dfcaa3ed7505';\n\nmodule.exports = function (id) {\n  return fetch('https://api.soundcloud.com/users/' + id + '?client_id=' + KEY).then(function (r) { return r.json(); });\n};\n",
    });
    const legacy = compiled.find((r) => r.file === 'src/legacy.js')!;
    expect(legacy.after).toContain("return soundcloudAccessToken(KEY).then((token) => fetch('https://api.soundcloud.com/users/' + id, { headers: { Authorization: 'OAuth ' + token } }))");
    expect(legacy.remaining).toEqual([]);
    // what it exports works: loaded as CommonJS with the runtime's CommonJS build, it asks the route for the app token
    const dir = mkdtempSync(join(tmpdir(), 'sc-cjs-module-'));
    const fetchWas = globalThis.fetch;
    try {
      const runtime = join(process.cwd(), 'dist', 'runtime', 'browser.cjs');
      const file = join(dir, 'client.cjs');
      writeFileSync(file, withStreamSrc(mod).replace("'sc-migrate/runtime/browser'", JSON.stringify(runtime)).replace("'/api/soundcloud/token'", "'https://backend.example/sc/token'"));
      const asked: string[] = [];
      globalThis.fetch = (async (url: string) => { asked.push(String(url)); return new Response(JSON.stringify({ access_token: 'app-token', token_type: 'bearer', expires_in: 3600 }), { status: 200, headers: { 'content-type': 'application/json' } }); }) as typeof fetch;
      const m = createRequire(file)(file) as { soundcloudAccessToken(id: string): Promise<string>; soundcloudStreamSrc(t: number): string; SOUNDCLOUD_STREAM_ROUTE: string };
      await expect(m.soundcloudAccessToken('id')).resolves.toBe('app-token');
      expect(asked).toEqual(['https://backend.example/sc/token']);
      expect(m.SOUNDCLOUD_STREAM_ROUTE).toBe('https://backend.example/sc/stream');
      expect(m.soundcloudStreamSrc(42)).toMatch(/^https:\/\/backend\.example\/sc\/stream\?/);
    } finally { globalThis.fetch = fetchWas; rmSync(dir, { recursive: true, force: true }); }
  });

  it('a browser extension has no same-origin backend either: its module leaves the route for the app to set (a WebExtension toolchain)', async () => {
    for (const [pkg, file, text] of [
      [{ devDependencies: { 'webextension-polyfill': '^0.10.0', webpack: '^5.0.0' } }, 'src/background.js', `const CLIENT_ID = 'a281614d7f34dc30b665dfcaa3ed7505';\nbrowser.runtime.onMessage.addListener(() => {});\n${SEARCH}`],
    ] as const) {
      const results = await fixProject({ 'package.json': JSON.stringify(pkg), [file]: text });
      const created = results.find((r) => r.created);
      expect(created?.after, file).toMatch(/SOUNDCLOUD_TOKEN_ENDPOINT = (exports\.SOUNDCLOUD_TOKEN_ENDPOINT = )?'';/);
      expect(results.flatMap((r) => r.notes ?? []), file).toEqual([expect.stringMatching(/^TODO: set SOUNDCLOUD_TOKEN_ENDPOINT/)]);
    }
  });
});
