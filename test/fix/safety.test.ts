/** fix never breaks code (issue 11): names, imports, dependencies, env names, redirects, browser or server, BOM. */
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { allRules } from '../../rules/index.js';
import { runtimeOf } from '../../src/engine/analysis/browser.js';
import { lintText } from '../../src/engine/linter.js';
import { parseFile } from '../../src/engine/parse.js';
import { fixFiles, fixText } from '../../src/fix/apply.js';
import { runFixCommand } from '../../src/fix/command.js';
import { addDependency, appEnvNames, freeModulePath, importProblems, readsRedirect } from '../../src/fix/safety.js';
import { clientModuleText } from '../../src/fix/rewrites.js';
import { parse as acornParse } from 'acorn';
import ts from 'typescript';

const sink = () => { let s = ''; return { write: (x: string) => { s += x; }, get text() { return s; } }; };
function tmp(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'sc-safety-'));
  for (const [p, t] of Object.entries(files)) { mkdirSync(join(dir, p, '..'), { recursive: true }); writeFileSync(join(dir, p), t); }
  return dir;
}
const git = (dir: string) => {
  const g = (...a: string[]) => execFileSync('git', a, { cwd: dir, stdio: 'ignore' });
  g('init', '-q', '.'); g('add', '-A'); g('-c', 'user.email=t@t', '-c', 'user.name=t', 'commit', '-qm', 'init');
};
const SERVER = "const axios = require('axios');\nconst { CLIENT_ID } = require('./config');\n\nexports.search = async (q) => axios.get('https://api.soundcloud.com/tracks', { params: { q, client_id: CLIENT_ID } });\n";

describe('a generated module never takes an existing name', () => {
  it('an app with its own soundcloud-client.js gets a new module and no import of its own file', async () => {
    const own = "// the app's own client\nmodule.exports = { get: (u) => fetch(u) };\n";
    const dir = tmp({ 'soundcloud-client.js': own, 'search.js': SERVER, 'config.js': 'exports.CLIENT_ID = process.env.SC_CLIENT_ID;\n', 'package.json': '{ "name": "app" }\n' });
    try {
      const files = ['search.js'].map((p) => ({ path: p, text: readFileSync(join(dir, p), 'utf8') }));
      const { results } = await fixFiles({ files, rules: allRules, cwd: dir });
      expect(results.filter((r) => r.status === 'failed')).toEqual([]);
      expect(readFileSync(join(dir, 'soundcloud-client.js'), 'utf8')).toBe(own);
      expect(readFileSync(join(dir, 'search.js'), 'utf8')).toContain("require('./sc-migrate-soundcloud-client.js')");
      expect(readdirSync(dir)).toContain('sc-migrate-soundcloud-client.js');
    } finally { rmSync(dir, { recursive: true, force: true }); }
  });
  it('freeModulePath: reuses an earlier sc-migrate module, skips any taken name under any extension', () => {
    const files: Record<string, string> = { '/p/soundcloud-client.ts': 'app', '/p/sc-migrate-soundcloud-client.js': '// Created by sc-migrate: x' };
    expect(freeModulePath('/p', 'soundcloud-client', '.js', (p) => files[p])).toBe('/p/sc-migrate-soundcloud-client.js');
    files['/p/sc-migrate-soundcloud-client.js'] = 'the app again';
    expect(freeModulePath('/p', 'soundcloud-client', '.js', (p) => files[p])).toBe('/p/soundcloud-client-2.js');
  });
  it('an added import that does not resolve, or resolves to the file itself, is a problem', () => {
    const exists = (p: string) => p === '/a/x.ts' || p === '/a/self.js';
    expect(importProblems('/a/f.ts', '', "import { a } from './x.js';\n", exists)).toEqual([]);
    expect(importProblems('/a/f.ts', '', "import { a } from './missing.js';\n", exists)).toEqual(["the added import './missing.js' does not resolve"]);
    expect(importProblems('/a/self.js', '', "const { a } = require('./self.js');\n", exists)).toEqual(["the added import './self.js' is the file itself"]);
    // imports that were there before are not the fix's
    expect(importProblems('/a/f.ts', "import './missing.js';\n", "import './missing.js';\nx();\n", exists)).toEqual([]);
  });
});

describe('the generated client module parses with the app\'s own (older) toolchain', () => {
  // a Discord bot pinning typescript ^3.1 (3.3 from its lockfile) emitted `client ?  ?  = ...` from
  // `client ??= ...` (TypeScript 4.0 syntax): the module no longer loaded (scripts/drivers/discord-stream.mjs)
  it('ES2020 at most in every shape (no logical assignment), types stripped for TypeScript', () => {
    for (const style of ['cjs', 'esm', 'ts'] as const) {
      for (const env of [{}, { clientId: 'SC_CLIENT_ID', clientSecret: 'SC_SECRET' }]) {
        let text = clientModuleText(style, '\n', env);
        expect(text).not.toMatch(/\?\?=|\|\|=|&&=/);
        if (style === 'ts') text = ts.transpileModule(text, { compilerOptions: { target: ts.ScriptTarget.ESNext, module: ts.ModuleKind.ESNext } }).outputText;
        expect(() => acornParse(text, { ecmaVersion: 2020, sourceType: style === 'cjs' ? 'script' : 'module' })).not.toThrow();
      }
    }
  });
});

describe('sc-migrate/runtime in the nearest package.json', () => {
  it('adds the dependency keeping indentation, order, line endings; never the lockfile; the summary names it', async () => {
    const pkg = '{\r\n    "name": "app",\r\n    "dependencies": {\r\n        "axios": "^1.6.0",\r\n        "zod": "^3.0.0"\r\n    }\r\n}\r\n';
    const lock = '{ "lockfileVersion": 3 }\n';
    const dir = tmp({ 'package.json': pkg, 'package-lock.json': lock, 'src/search.js': SERVER, 'src/config.js': 'exports.CLIENT_ID = "x";\n' });
    try {
      git(dir);
      const err = sink();
      const r = await runFixCommand({ cwd: dir, stdout: sink(), stderr: err });
      expect(r.summary.failed).toBe(0);
      expect(readFileSync(join(dir, 'package.json'), 'utf8')).toBe(pkg.replace('"axios": "^1.6.0",\r\n', `"axios": "^1.6.0",\r\n        "sc-migrate": "${JSON.parse(readFileSync(join(import.meta.dirname, '../../package.json'), 'utf8')).version.replace(/^/, '^')}",\r\n`));
      expect(readFileSync(join(dir, 'package-lock.json'), 'utf8')).toBe(lock);
      expect(r.summary.dependencies).toBe(1);
      expect(err.text).toMatch(/added sc-migrate to the dependencies of package\.json/);
    } finally { rmSync(dir, { recursive: true, force: true }); }
  });
  it('addDependency: new field, empty object, tabs, already there', () => {
    expect(addDependency('{\n\t"name": "a"\n}\n', 'sc-migrate', '^1.0.0')).toBe('{\n\t"name": "a",\n\t"dependencies": {\n\t\t"sc-migrate": "^1.0.0"\n\t}\n}\n');
    expect(addDependency('{\n  "dependencies": {}\n}', 'sc-migrate', '^1.0.0')).toBe('{\n  "dependencies": {\n    "sc-migrate": "^1.0.0"\n  }\n}');
    expect(addDependency('{\n  "dependencies": {\n    "b": "1",\n    "a": "1"\n  }\n}\n', 'sc-migrate', '^1')).toBe('{\n  "dependencies": {\n    "b": "1",\n    "a": "1",\n    "sc-migrate": "^1"\n  }\n}\n');
    expect(addDependency('not json', 'x', '1')).toBeUndefined();
  });
});

describe('no package.json above a file', () => {
  it('a rewrite that would import sc-migrate/runtime stays a marker, the https rewrite is made, and the notes say why', async () => {
    // an old bot installed by a shell script's `npm install a b c`: nothing could list sc-migrate
    const dir = tmp({ 'modules/sc/sc.js': SERVER.replace('https://', 'http://'), 'modules/sc/config.js': 'exports.CLIENT_ID = "abc";\n' });
    try {
      const files = ['modules/sc/sc.js'].map((p) => ({ path: p, text: readFileSync(join(dir, p), 'utf8') }));
      const { results } = await fixFiles({ files, rules: allRules, cwd: dir });
      const r = results.find((x) => x.file === 'modules/sc/sc.js')!;
      expect(results.some((x) => x.created)).toBe(false);
      expect(r.after).not.toMatch(/require\('sc-migrate|soundcloud-client/);
      expect(r.after).toContain("axios.get('https://api.soundcloud.com/tracks'");
      expect(r.after).toMatch(/\/\* sc-migrate\(no-client-id-auth\): /);
      expect(r.notes?.join('\n')).toMatch(/no package\.json above this file/);
    } finally { rmSync(dir, { recursive: true, force: true }); }
  });
});

describe("the app's own env names", () => {
  it('the client module reads SC_CLIENT_ID / SC_CLIENT_SECRET when the app does, and the summary says so', async () => {
    const dir = tmp({ 'package.json': '{ "name": "app" }\n', 'search.js': SERVER, 'config.js': 'exports.CLIENT_ID = process.env.SC_CLIENT_ID;\nexports.SECRET = process.env.SC_CLIENT_SECRET;\n' });
    try {
      const files = ['search.js'].map((p) => ({ path: p, text: readFileSync(join(dir, p), 'utf8') }));
      const { results } = await fixFiles({ files, rules: allRules, cwd: dir });
      const mod = results.find((r) => r.created)!;
      expect(mod.after).toContain('createClientFromEnv({ clientId: process.env.SC_CLIENT_ID, clientSecret: process.env.SC_CLIENT_SECRET, ...overrides })');
      expect(mod.env).toEqual(['SC_CLIENT_ID', 'SC_CLIENT_SECRET']);
      expect(() => parseFile(mod.after, join(dir, mod.file))).not.toThrow();
    } finally { rmSync(dir, { recursive: true, force: true }); }
  });
  it('appEnvNames ignores the defaults and unrelated names', () => {
    expect(appEnvNames(['process.env.PORT; process.env.SOUNDCLOUD_CLIENT_ID; import.meta.env.VITE_SC_CLIENT_ID'])).toEqual({ clientId: 'VITE_SC_CLIENT_ID' });
  });
  it("appEnvNames never takes another service's credentials; a SoundCloud name first, then a generic one", () => {
    // a Gatsby build reading Spotify's pair and SoundCloud's key (the client id in the API's OAuth 1 years' name)
    expect(appEnvNames(['process.env.GATSBY_SPOTIFY_CLIENT_ID; process.env.GATSBY_SPOTIFY_CLIENT_SECRET; process.env.GATSBY_SOUNDCLOUD_API_KEY']))
      .toEqual({ clientId: 'GATSBY_SOUNDCLOUD_API_KEY' });
    expect(appEnvNames(['process.env.DISCORD_CLIENT_ID; process.env.DISCORD_CLIENT_SECRET'])).toEqual({});
    expect(appEnvNames(['process.env.CLIENT_ID; process.env.SC_CLIENT_ID; process.env.REACT_APP_CLIENT_SECRET'])).toEqual({ clientId: 'SC_CLIENT_ID', clientSecret: 'REACT_APP_CLIENT_SECRET' });
  });
});

describe('deliberate redirects', () => {
  it('reading the 3xx status or the Location header keeps redirect: manual', () => {
    const src = "async function f(u) {\n  const r = await fetch(u, { redirect: 'manual' });\n  return r.headers.get('Location');\n}\n";
    const p = parseFile(src, '/x.js');
    expect(readsRedirect(p.ast, src, src.indexOf('redirect'))).toBe(true);
    const plain = "async function f(u) {\n  const r = await fetch(u, { redirect: 'manual' });\n  return r.json();\n}\n";
    expect(readsRedirect(parseFile(plain, '/x.js').ast, plain, plain.indexOf('redirect'))).toBe(false);
  });
});

describe('markers never hide their own finding; scan reports every marked finding', () => {
  it('a PKCE exchange marker leaves require-pkce reported (marked)', () => {
    const file = join(import.meta.dirname, '../../fixtures/transforms/require-pkce/exchange-marker.input.js');
    const r = fixText(readFileSync(file, 'utf8'), { filename: file, rules: allRules });
    expect(r.markers).toBe(1);
    const after = lintText({ text: r.text, filename: file, rules: allRules }).findings.filter((f) => f.ruleId === 'require-pkce');
    expect(after).toHaveLength(1);
    expect(after[0]).toMatchObject({ marked: true, fixKind: 'manual' });
  });
  it("fix's count of findings left equals what scan reports afterwards, all marked", async () => {
    const dir = tmp({
      'package.json': '{ "name": "app", "dependencies": { "react": "18.0.0" } }\n',
      'src/player.jsx': readFileSync(join(import.meta.dirname, '../../fixtures/transforms/markers-place/jsx-children.input.jsx'), 'utf8'),
      'src/api.js': "export const CHARTS = 'https://api-v2.soundcloud.com/charts';\nexport const get = (id, t) => fetch('http://api.soundcloud.com/tracks/' + id + '?oauth_token=' + t);\n",
    });
    try {
      git(dir);
      const r = await runFixCommand({ cwd: dir, stdout: sink(), stderr: sink() });
      const { runScan } = await import('../../src/scan/run.js');
      const scan = await runScan({ cwd: dir, paths: ['.'] });
      const findings = [...scan.findings ?? []] as { marked?: boolean }[];
      expect(findings.length).toBe(r.summary.left);
      expect(findings.length).toBeGreaterThan(0);
      expect(findings.every((f) => f.marked)).toBe(true);
    } finally { rmSync(dir, { recursive: true, force: true }); }
  });
});

describe('a URL that may be api-v2 gets no app token', () => {
  it('a loop over the callers\' URLs, one of them api-v2: the client_id stays with its marker; with api URLs only it goes', () => {
    const text = "import axios from 'axios';\n\nasync function firstOf(urls, clientId) {\n  for (const url of urls) {\n    try {\n      return await axios.get(url, { params: { client_id: clientId }, timeout: 10000 });\n    } catch (e) {\n      // the next one\n    }\n  }\n  return undefined;\n}\n\n"
      + "export const track = (id, cid) => firstOf([`https://api-v2.soundcloud.com/tracks/${id}`, `https://api.soundcloud.com/tracks/${id}`], cid);\n";
    const both = fixText(text, { filename: '/srv/app/lib/tracks.js', rules: allRules });
    expect(both.text).toContain('axios.get(url, { params: { client_id: clientId }, timeout: 10000 })');
    expect(both.text).not.toContain('soundcloudAccessToken');
    expect(both.text).toMatch(/sc-migrate\(no-client-id-auth\)/);
    const api = fixText(text.replace('`https://api-v2.soundcloud.com/tracks/${id}`, ', ''), { filename: '/srv/app/lib/tracks.js', rules: allRules });
    expect(api.text).toContain('axios.get(url, { headers: { Authorization: `OAuth ${await soundcloudAccessToken()}` }, timeout: 10000 })');
  });
});

describe('browser or server, once per file', () => {
  it('a jQuery page is browser code; an Express server in a React repository is server code', () => {
    const pkg = { root: '/r', readFile: (p: string) => (p === '/r/package.json' ? '{ "dependencies": { "react": "18", "express": "4" } }' : undefined) };
    expect(runtimeOf('/r/js/search.js', "$(document).ready(function () { $.getJSON(url) });", pkg)).toBe('browser');
    expect(runtimeOf('/r/server/index.js', "const express = require('express');\nconst app = express();\n", pkg)).toBe('server');
    expect(runtimeOf('/r/src/api.js', 'export const get = (u) => fetch(u);', { root: '/r', readFile: () => '{ "dependencies": { "react": "18" } }' })).toBe('browser');
    expect(runtimeOf('/r/pages/api/tracks.ts', 'export default async function handler(req, res) {}', pkg)).toBe('server');
    // the SPA's modules in a repository whose Express server only serves the bundle; with Next or Electron they may run in Node
    expect(runtimeOf('/r/src/actions/tracks.js', "import axios from 'axios';\nexport const get = (u) => axios.get(u);", pkg)).toBe('browser');
    // outside the bundle's source folder, beside the server (routes/, lib/): a full-stack package's API helpers run in Node
    expect(runtimeOf('/r/lib/soundcloud.js', "import axios from 'axios';\nexport const get = (u) => axios.get(u);", pkg)).toBe('server');
    // AngularJS's global, and a script of an Express app's static folder, run in the browser
    const express = { root: '/r', readFile: (p: string) => (p === '/r/package.json' ? '{ "dependencies": { "express": "4" } }' : undefined) };
    expect(runtimeOf('/r/src/services/sc.js', "angular.module('sc', []).factory('sc', function ($http) { return { get: (u) => $http.get(u) }; });", express)).toBe('browser');
    expect(runtimeOf('/r/public/js/search.js', 'function search(q) { return fetch(API + q); }', express)).toBe('browser');
    expect(runtimeOf('/r/server/public/build.js', 'module.exports = 1;', express)).toBe('server');
    expect(runtimeOf('/r/lib/search.js', 'function search(q) { return fetch(API + q); }', express)).toBe('server');
    // an AngularJS app from npm (package `angular`) with an Express server: a service of the bundle's
    // client/ folder that names no framework (an IIFE handed Restangular) is browser code
    const ngjs = { root: '/r', readFile: (p: string) => (p === '/r/package.json' ? '{ "dependencies": { "angular": "1.6", "express": "4" } }' : undefined) };
    expect(runtimeOf('/r/src/website/client/services/sc.js', 'const Api = (function (restangular) { return { get: (p) => restangular.all(p).getList() }; });', ngjs)).toBe('browser');
    expect(runtimeOf('/r/src/server/index.js', 'const Api = (function (http) { return http; });', ngjs)).toBe('server');
    expect(runtimeOf('/r/lib/sc.js', "import angular from 'angular';\nexport default angular;", express)).toBe('browser');
    // Next.js inlines only NEXT_PUBLIC_ variables into the browser bundle: a module reading another is the server's
    const next = { root: '/r', readFile: (p: string) => (p === '/r/package.json' ? '{ "dependencies": { "next": "15", "react": "19" } }' : undefined) };
    expect(runtimeOf('/r/lib/sc.ts', 'const ID = process.env.SOUNDCLOUD_CLIENT_ID;\nexport const get = (u: string) => fetch(u + ID);', next)).toBe('server');
    expect(runtimeOf('/r/lib/sc-public.ts', 'const ID = process.env.NEXT_PUBLIC_SC_CLIENT_ID;\nexport const get = (u: string) => fetch(u + ID);', next)).toBe('browser');
    expect(runtimeOf('/r/src/sc.ts', "const ID = process.env['SC_ID'];\nexport const get = (u: string) => fetch(u + ID);", { root: '/r', readFile: () => '{ "dependencies": { "react": "19" } }' })).toBe('browser');
    // a browser extension: its toolchain in package.json, or the WebExtension API in the file
    const ext = { root: '/r', readFile: (p: string) => (p === '/r/package.json' ? '{ "devDependencies": { "@types/chrome": "0.0.140", "webpack": "5" } }' : undefined) };
    expect(runtimeOf('/r/src/background.ts', 'export async function download(u: string) { return fetch(u); }', ext)).toBe('browser');
    expect(runtimeOf('/r/lib/bg.js', 'chrome.runtime.onMessage.addListener((m) => fetch(m.url));', express)).toBe('browser');
    expect(runtimeOf('/r/src/background.ts', 'export async function download(u: string) { return fetch(u); }', { root: '/r', readFile: () => '{ "dependencies": { "webpack": "5" } }' })).toBe('server');
    const withDep = (other: string) => ({ root: '/r', readFile: (p: string) => (p === '/r/package.json' ? `{ "dependencies": { "react": "18", "express": "4", "${other}": "1" } }` : undefined) });
    const tracks = "import axios from 'axios';\nexport const get = (u) => axios.get(u);";
    expect(runtimeOf('/r/src/actions/tracks.js', tracks, withDep('next'))).toBe('server');
    // an Electron app: its renderer modules (the BrowserWindow page's bundle) are browser code, its
    // main process is Node (electron-vue's src/main/, Vue CLI Electron Builder's src/background.js,
    // a module opening windows or handling the app's lifecycle), and so is anything outside the bundle folder
    for (const shell of ['electron', 'electron-prebuilt', 'nw']) {
      expect(runtimeOf('/r/src/actions/tracks.js', tracks, withDep(shell))).toBe('browser');
      expect(runtimeOf('/r/src/main/index.js', tracks, withDep(shell))).toBe('server');
      expect(runtimeOf('/r/src/background.js', tracks, withDep(shell))).toBe('server');
      expect(runtimeOf('/r/src/window.js', "import { app, BrowserWindow } from 'electron';\nexport const open = () => new BrowserWindow({});", withDep(shell))).toBe('server');
      expect(runtimeOf('/r/main.js', tracks, withDep(shell))).toBe('server');
    }
    // an Electron app that also renders on a server (Next): still server by default
    const both = { root: '/r', readFile: (p: string) => (p === '/r/package.json' ? '{ "dependencies": { "react": "18", "express": "4", "electron": "30", "next": "14" } }' : undefined) };
    expect(runtimeOf('/r/src/actions/tracks.js', tracks, both)).toBe('server');
    // Angular built by webpack: @angular/* (platform-server too) among the devDependencies, express in
    // dependencies serves the bundle; the server renders only with the renderer among its dependencies
    const ng = (renderer: 'dependencies' | 'devDependencies') => ({ root: '/r', readFile: (p: string) => (p === '/r/package.json'
      ? JSON.stringify({ dependencies: { express: '4', ...(renderer === 'dependencies' ? { '@angular/platform-server': '4' } : {}) }, devDependencies: { '@angular/core': '4', ...(renderer === 'devDependencies' ? { '@angular/platform-server': '4' } : {}) } })
      : undefined) });
    const config = 'declare const SOUNDCLOUD_CLIENT_ID;\nexport const CLIENT_ID = SOUNDCLOUD_CLIENT_ID;\n';
    expect(runtimeOf('/r/src/app/app-config.ts', config, ng('devDependencies'))).toBe('browser');
    expect(runtimeOf('/r/src/app/app-config.ts', config, ng('dependencies'))).toBe('server');
  });
  it("a bundler's port of a built-in, an <audio> player, a page bundle without a UI framework: browser code", () => {
    const pkgOf = (json: string) => ({ root: '/r', readFile: (p: string) => (p === '/r/package.json' ? json : undefined) });
    const vue = pkgOf('{ "dependencies": { "vue": "2", "querystring": "0.2.0", "axios": "0.18" } }');
    const qs = "import axios from 'axios'\nimport querystring from 'querystring'\nexport const get = (o) => axios.get(`${API}?${querystring.stringify(o)}`)\n";
    expect(runtimeOf('/r/src/api/index.ts', qs, vue)).toBe('browser');
    // the built-in itself (not a dependency), or under node:, still says server
    expect(runtimeOf('/r/src/api/index.ts', qs, pkgOf('{ "dependencies": { "vue": "2", "axios": "0.18" } }'))).toBe('server');
    expect(runtimeOf('/r/src/api/index.ts', qs.replace("'querystring'", "'node:querystring'"), vue)).toBe('server');
    // a Flux store: EventEmitter of the bundler's events port, and the DOM
    const store = "var EventEmitter = require('events').EventEmitter;\nfunction open() { document.getElementById('x').classList.add('on'); }\n";
    expect(runtimeOf('/r/js/stores/tracks.js', store, pkgOf('{}'))).toBe('browser');
    expect(runtimeOf('/r/js/stores/tracks.js', "var EventEmitter = require('events').EventEmitter;\n", pkgOf('{}'))).toBe('server');
    expect(runtimeOf('/r/js/stores/tracks.js', store.replace("'events'", "'fs'"), pkgOf('{}'))).toBe('server');
    const plain = 'export class Player {\n  constructor() { this.el = new Audio(); }\n  load(u) { return fetch(u); }\n}\n';
    expect(runtimeOf('/r/lib/player.js', plain, pkgOf('{}'))).toBe('browser');
    const load = 'export const load = (u) => fetch(u);\n';
    const webpack = pkgOf('{ "devDependencies": { "webpack": "4", "webpack-dev-server": "3", "html-webpack-plugin": "3" } }');
    expect(runtimeOf('/r/src/js/load.js', load, webpack)).toBe('browser');
    expect(runtimeOf('/r/lib/load.js', load, webpack)).toBe('server');
    expect(runtimeOf('/r/src/js/load.js', load, pkgOf('{ "dependencies": { "express": "4" }, "devDependencies": { "webpack-dev-server": "3" } }'))).toBe('server');
    expect(runtimeOf('/r/src/js/load.js', load, pkgOf('{ "devDependencies": { "webpack": "4" } }'))).toBe('server');
  });
  it('the marker of a jQuery page says browser, and no secret is moved to the environment there', () => {
    const file = join(import.meta.dirname, '../../fixtures/transforms/markers-place/jquery-page.input.js');
    const r = fixText(readFileSync(file, 'utf8'), { filename: file, rules: allRules, suggestions: true });
    expect(r.text).toContain('sc-migrate(no-client-id-auth): browser code');
    expect(r.text).not.toContain('process.env');
  });
});

describe('BOM', () => {
  it('the CLI path keeps a UTF-8 BOM', async () => {
    const dir = tmp({ 'a.js': "\uFEFFconst API = 'http://api.soundcloud.com';\nfetch(API + '/tracks');\n" });
    try {
      git(dir);
      await runFixCommand({ cwd: dir, stdout: sink(), stderr: sink() });
      const out = readFileSync(join(dir, 'a.js'), 'utf8');
      expect(out).toBe("\uFEFFconst API = 'https://api.soundcloud.com';\nfetch(API + '/tracks');\n");
    } finally { rmSync(dir, { recursive: true, force: true }); }
  });
});

describe('hard-coded values', () => {
  it('two different secrets are never moved to the same environment variable', () => {
    const src = "const axios = require('axios');\nexports.keys = {\n  soundcloud: { clientSecret: 'a8f3k29dk3l20s9f8g7h6j5k4l3m2n1b' },\n  soundcloudStaging: { clientSecret: 'z9y8x7w6v5u4t3s2r1q0p9o8n7m6l5k4' },\n};\nexports.get = () => axios.get('https://api.soundcloud.com/me');\n";
    const r = fixText(src, { filename: '/srv/app/keys.js', rules: allRules });
    expect(r.text).not.toContain('process.env');
    expect(r.text).toContain('sc-migrate(no-hardcoded-credentials)');
  });

  it("another provider's secret beside SoundCloud's is left alone; SoundCloud's moves to the environment", () => {
    const src = "const axios = require('axios');\nexports.keys = {\n  spotify: { secretApi: 'a8f3k29dk3l20s9f8g7h6j5k4l3m2n1b' },\n  soundcloud: { clientSecret: 'z9y8x7w6v5u4t3s2r1q0p9o8n7m6l5k4' },\n};\nexports.get = () => axios.get('https://api.soundcloud.com/me');\n";
    const r = fixText(src, { filename: '/srv/app/keys.js', rules: allRules });
    expect(r.text).toContain("spotify: { secretApi: 'a8f3k29dk3l20s9f8g7h6j5k4l3m2n1b' }");
    expect(r.text).toContain('soundcloud: { clientSecret: process.env.SOUNDCLOUD_CLIENT_SECRET }');
  });

  it("a provider table's SoundCloud appSecret moves to SOUNDCLOUD_CLIENT_SECRET; entries of services it does not know stay", () => {
    const src = "module.exports = {\n  wunderlist: { clientSecret: '9c1e7b3a5d8f2e6b4a0c9d7e1f3b5a8c' },\n  soundcloud: { appId: 'abc', appSecret: 'b8e2d6f4a0c9e7b1d3f5a8c2e6b4d0f9' },\n};\n";
    const r = fixText(src, { filename: '/srv/app/config/providers.js', rules: allRules });
    expect(r.text).toContain("wunderlist: { clientSecret: '9c1e7b3a5d8f2e6b4a0c9d7e1f3b5a8c' }");
    expect(r.text).toContain('appSecret: process.env.SOUNDCLOUD_CLIENT_SECRET');
  });
});

describe('marker lines', () => {
  it('stay under 100 characters also when deeply indented (the action is kept)', () => {
    const deep = ' '.repeat(14);
    const src = `function a() {\n  if (x) {\n    if (y) {\n      if (z) {\n        if (w) {\n          if (v) {\n${deep}fetch('https://api-v2.soundcloud.com/charts?kind=top');\n          }\n        }\n      }\n    }\n  }\n}\n`;
    const r = fixText(src, { filename: '/srv/charts.js', rules: allRules });
    const line = r.text.split('\n').find((l) => l.includes('sc-migrate(no-private-api-v2)'))!;
    expect(line.length).toBeLessThan(100);
    expect(line).toContain('use api.soundcloud.com');
  });
});

describe("hard-coded values keep the app's env names", () => {
  it('process.env.X || literal loses the literal; a name the app reads for the secret is used', () => {
    const a = "const axios = require('axios');\nconst secret = process.env.SC_CLIENT_SECRET || 'a8f3k29dk3l20s9f8g7h6j5k4l3m2n1b';\nexports.get = () => axios.get('https://api.soundcloud.com/me');\n";
    expect(fixText(a, { filename: '/srv/app/a.js', rules: allRules }).text).toContain('const secret = process.env.SC_CLIENT_SECRET;\n');
    const b = "const axios = require('axios');\nconst id = process.env.SC_CLIENT_ID;\nconst clientSecret = 'a8f3k29dk3l20s9f8g7h6j5k4l3m2n1b';\nconst other = process.env.SC_CLIENT_SECRET;\nexports.get = () => axios.get('https://api.soundcloud.com/me');\n";
    expect(fixText(b, { filename: '/srv/app/b.js', rules: allRules }).text).toContain("const clientSecret = process.env.SC_CLIENT_SECRET;\n");
  });

  it('TypeScript keeps the string type (`as string`, parenthesized inside an expression); JS gets none', () => {
    const head = "import axios from 'axios';\n";
    const tail = "export const get = () => axios.get('https://api.soundcloud.com/me');\n";
    const fix = (body: string, filename = '/srv/app/keys.ts') => fixText(head + body + tail, { filename, rules: allRules, suggestions: true });
    const cases: [string, string][] = [
      ["export const keys = { secretApi: 'a8f3k29dk3l20s9f8g7h6j5k4l3m2n1b' };\n", 'export const keys = { secretApi: process.env.SOUNDCLOUD_CLIENT_SECRET as string };'],
      ["const secret = process.env.SC_CLIENT_SECRET || 'a8f3k29dk3l20s9f8g7h6j5k4l3m2n1b';\n", 'const secret = process.env.SC_CLIENT_SECRET as string;'],
      ["const clientSecret = cond ? 'a8f3k29dk3l20s9f8g7h6j5k4l3m2n1b' : 'x';\n", "const clientSecret = cond ? (process.env.SOUNDCLOUD_CLIENT_SECRET as string) : 'x';"],
    ];
    for (const [body, line] of cases) {
      const r = fix(body);
      expect(r.text.split('\n')[1]).toBe(line);
      expect(fixText(r.text, { filename: '/srv/app/keys.ts', rules: allRules, suggestions: true }).status).toBe('unchanged');
    }
    expect(fix(cases[0]![0], '/srv/app/keys.js').text).toContain('secretApi: process.env.SOUNDCLOUD_CLIENT_SECRET };');
  });
});
