import { afterAll, describe, expect, it } from 'vitest';
import { mkdirSync, symlinkSync, writeFileSync, readFileSync, readdirSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { runScan } from '../../src/scan/run.js';
import { discoverFiles } from '../../src/scan/discover.js';
import { looksBundled, looksMinified } from '../../src/scan/read.js';
import { EXTENSIONS } from '../../src/engine/parse.js';
import { SUPPORTED_EXTENSIONS } from '../../src/engine/languages.js';
import { cleanup, runMain, tempDir, testRules, writeRulesModule, writeTree } from './helpers.js';
import { allRules } from '../../rules/index.js';

afterAll(cleanup);

const BAD = "const u = 'https://api.soundcloud.com/me?oauth_token=abc';\n";
const scan = (cwd: string, extra: Partial<Parameters<typeof runScan>[0]> = {}) => runScan({ cwd, rules: testRules, noConfig: true, ...extra });

describe('discovery', () => {
  it('honours nested .gitignore, .sc-migrateignore, default ignored folders and minified names', () => {
    const d = tempDir();
    writeTree(d, {
      '.gitignore': 'generated/\n*.gen.js\n',
      '.sc-migrateignore': 'legacy/**\n',
      'src/a.js': BAD,
      'src/.gitignore': 'local.js\n!keep.gen.js\n',
      'src/local.js': BAD,
      'src/keep.gen.js': BAD,
      'src/other.gen.js': BAD,
      'generated/x.js': BAD,
      'legacy/old.js': BAD,
      'node_modules/pkg/index.js': BAD,
      'dist/bundle.js': BAD,
      'build/x.js': BAD,
      'coverage/x.js': BAD,
      '.next/x.js': BAD,
      'vendor/x.js': BAD,
      'public/app.min.js': BAD,
      'README.md': 'soundcloud',
    });
    const files = discoverFiles({ cwd: d }).files.map((f) => f.file).sort();
    expect(files).toEqual(['src/a.js', 'src/keep.gen.js']);
    const all = discoverFiles({ cwd: d, noIgnore: true }).files.map((f) => f.file);
    expect(all).toEqual(expect.arrayContaining(['node_modules/pkg/index.js', 'dist/bundle.js', 'public/app.min.js', 'generated/x.js', 'src/local.js']));
  });

  it('applies config ignore globs relative to the config folder', () => {
    const d = tempDir();
    writeTree(d, { 'src/a.js': BAD, 'src/fixtures/b.js': BAD });
    const files = discoverFiles({ cwd: d, ignore: ['src/fixtures/'], ignoreBase: d }).files.map((f) => f.file);
    expect(files).toEqual(['src/a.js']);
  });

  it('keeps its extension table in step with the parser', () => {
    expect([...SUPPORTED_EXTENSIONS].sort()).toEqual(Object.keys(EXTENSIONS).sort());
  });
});

describe('bad input never crashes the scan', () => {
  it('lists each problem file under skipped with a reason and still scans the rest', async () => {
    const d = tempDir();
    const minified = 'var a="soundcloud";' + 'function x(){return 1};'.repeat(5 * 1024 * 1024 / 23);
    writeTree(d, {
      'ok.js': BAD,
      'syntax.js': "const x = 'soundcloud' +;\n",
      'binary.js': Buffer.from([0x73, 0x6f, 0x75, 0x6e, 0x64, 0x00, 0x01, 0x02]),
      'big.js': `// soundcloud\n${'x'.repeat(3 * 1024 * 1024)}\n`,
      'min/app.js': minified,
      'utf8.js': Buffer.concat([Buffer.from("const s = 'soundcloud"), Buffer.from([0xc3, 0x28]), Buffer.from("';\n")]),
      'empty.js': '',
      'bom.js': '\uFEFF// SoundCloud client\r\nconst a = 1;\r\n\r\nconst u = "https://api.soundcloud.com/me?oauth_token=abc";\r\n',
    });
    mkdirSync(join(d, 'loop'));
    symlinkSync('..', join(d, 'loop', 'up'));
    mkdirSync(join(d, 'dir.js')); // a directory named like a file: not a file, not a crash
    execFileSync('mkfifo', [join(d, 'pipe.js')]);

    const r = await scan(d, { maxFileSize: 2 * 1024 * 1024 });
    const reason = (f: string) => r.skipped.find((s) => s.file === f)?.reason ?? '';
    expect(reason('syntax.js')).toMatch(/syntax error/);
    expect(reason('binary.js')).toMatch(/binary/);
    expect(reason('big.js')).toMatch(/too large/);
    expect(reason('min/app.js')).toMatch(/too large|minified/);
    expect(reason('utf8.js')).toBe('invalid UTF-8');
    expect(reason('empty.js')).toBe('empty');
    expect(reason('loop/up')).toBe('symlink loop');
    expect(reason('pipe.js')).toBe('not a regular file');
    expect(r.findings.map((f) => `${f.file}:${f.line}:${f.column}`)).toEqual(['bom.js:4:11', 'ok.js:1:11']);
  });

  it('skips a file nested deeper than the call stack with its own reason, not as a syntax error', async () => {
    const d = tempDir();
    // generated code: a URL inside thousands of nested arrays / calls / object literals (short lines, so not "minified")
    const deep = (open: string, close: string, n: number) => `const x = ${`${open}\n`.repeat(n)}'https://api.soundcloud.com/me?oauth_token=t'${`\n${close}`.repeat(n)};\nfetch(x);\n`;
    writeTree(d, { 'ok.js': BAD, 'arrays.js': deep('[', ']', 20000), 'calls.js': deep('f(', ')', 20000), 'objects.js': deep('{ a:', '}', 20000) });
    const r = await scan(d, { maxFileSize: 2 * 1024 * 1024 });
    for (const f of ['arrays.js', 'calls.js', 'objects.js']) expect(r.skipped.find((s) => s.file === f)?.reason).toBe('too deeply nested (call stack exceeded)');
    expect(r.findings.map((f) => f.file)).toEqual(['ok.js']);
  });

  it('skips a 5 MB minified bundle as minified when the size limit allows it', async () => {
    const d = tempDir();
    writeTree(d, { 'app.js': 'var a="soundcloud";' + 'function x(){return 1};'.repeat(5 * 1024 * 1024 / 23) });
    const r = await scan(d, { maxFileSize: 10 * 1024 * 1024 });
    expect(r.skipped).toEqual([{ file: 'app.js', soundcloud: true, reason: expect.stringMatching(/^minified/) }]);
    expect(looksMinified('a\n'.repeat(5000))).toBe(false);
  });

  it('warns about a skipped file only when it names SoundCloud or imports such code, not for its credential words alone', async () => {
    const d = tempDir();
    // a monorepo: one package names SoundCloud; another holds a scraped page's minified script with
    // `redirect` in it (picked for its words: the project talks to SoundCloud) and a minified module
    // that imports the SoundCloud one
    const min = (extra: string) => 'function show(e){for(var t=[],n=0;20>n;n++)t.push(e.items[n]);return t.length}'.repeat(16) + extra + '\n';
    writeTree(d, {
      'packages/sc/index.js': "export const isSc = (u) => u.includes('soundcloud.com');\n",
      'packages/pages/fixture.js': min('location.redirect=1;'),
      'packages/pages/uses-sc.js': "import { isSc } from '../sc/index.js';" + min('isSc(location.href);'),
    });
    const r = await scan(d);
    expect(r.skipped.map((s) => [s.file, !!s.soundcloud]).sort()).toEqual([['packages/pages/fixture.js', false], ['packages/pages/uses-sc.js', true]]);
  });

  it('skips a small one-line minified build without .min in its name, not a small file with a long string', async () => {
    const d = tempDir();
    // minifier output: 1,000+ characters of code on one line, almost no whitespace
    const body = 'function show(e){for(var t=[],n=0;20>n;n++)t.push(e.items[n]);return t.length}'.repeat(16);
    const minified = body + 'SC.initialize({client_id:"abc123"});SC.get("/tracks",{q:"x"},show);fetch("https://api.soundcloud.com/tracks?client_id=abc123");\n';
    // hand-written: a long data: URI in a string, readable code around it
    const readable = `const icon = "data:image/png;base64,${'QUJD'.repeat(400)}";\n${BAD}`;
    writeTree(d, { 'Player.js': minified, 'icon.js': readable });
    const r = await scan(d);
    expect(r.skipped).toEqual([{ file: 'Player.js', soundcloud: true, reason: expect.stringMatching(/^minified/) }]);
    expect(new Set(r.findings.map((f) => f.file))).toEqual(new Set(['icon.js']));
    expect(looksMinified(minified)).toBe(true);
    expect(looksMinified(readable)).toBe(false);
    expect(looksMinified('function f(a, b) { return a + b; }\n'.repeat(60))).toBe(false);
  });

  it('skips a development bundle (bundler runtime at the top, readable lines) beside its sources', async () => {
    const d = tempDir();
    const parcel = '// modules are defined as an array\nparcelRequire = (function (modules, cache, entry, globalName) {\n  return modules;\n})({"src/a.js":[function(require,module,exports) {\n' + BAD + '},{}]});\n';
    const webpack = '/******/ (function(modules) { // webpackBootstrap\n/******/ \tvar installedModules = {};\n/******/ })([\n/* 0 */\n(function(module, exports) {\n' + BAD + '})\n]);\n';
    const browserify = '(function(){function r(e,n,t){function o(i,f){if(!n[i]){if(!e[i]){var c="function"==typeof require&&require;}}}return o}return r})()({1:[function(require,module,exports){\n' + BAD + '},{}]},{},[1]);\n';
    writeTree(d, { 'src/a.js': BAD, 'ext/inject.js': parcel, 'public/app.js': webpack, 'static/main.js': browserify });
    const r = await scan(d);
    expect(r.findings.map((f) => f.file)).toEqual(['src/a.js']);
    expect(r.skipped.map((s) => `${s.file}: ${s.reason}`).sort()).toEqual(['ext/inject.js', 'public/app.js', 'static/main.js'].map((f) => `${f}: bundler output (webpack/Parcel/browserify/r.js; --no-ignore to scan it)`));
    expect(looksBundled(BAD)).toBe(false);
  });

  it('skips a copy of the connect SDK kept in the tree (SDK 1.1 and 2) without a warning, and reports the page that loads it', async () => {
    const d = tempDir();
    // the head of the SDK 1.1 concatenated script: its global, its own http base, its implicit-grant login
    const sdk11 = [
      'window.SC = window.SC || {};',
      'SC.Helper = { merge: function (a, b) { for (var k in b) a[k] = b[k]; return a; } };',
      'window.SC = SC.Helper.merge(SC || {}, {',
      '  options: { baseUrl: "http://connect.soundcloud.com", site: "soundcloud.com" },',
      '  connect: function (o) { return this.options.site + "/connect?response_type=code_and_token&scope=non-expiring&client_id=" + o.client_id; },',
      '  get: function (path) { return fetch("http://api.soundcloud.com" + path + "?oauth_token=" + this.accessToken()); },',
      '});',
      '',
    ].join('\n');
    const page = '<html><head><script src="j/soundcloud-sdk.js"></script></head><body></body></html>\n';
    writeTree(d, { 'index.html': page, 'j/soundcloud-sdk.js': sdk11 });
    const r = await scan(d, { rules: allRules });
    expect(r.findings.map((f) => `${f.file}:${f.line} ${f.ruleId}`)).toEqual(['index.html:1 no-deprecated-sdk']);
    expect(r.skipped).toEqual([{ file: 'j/soundcloud-sdk.js', soundcloud: false, reason: expect.stringMatching(/^a copy of SoundCloud's connect SDK/) }]);
  });

  it('skips RequireJS optimiser output (modules named by r.js, or almond first), not hand-written AMD modules', async () => {
    const d = tempDir();
    const named = (id: string, body: string) => `define('${id}',[\n  'jquery'\n], function ($) {\n${body}\n});\n`;
    const rjs = named('templates', 'return {};') + named('models/track', 'return {};') + named('views/player', BAD);
    const almond = '(function () {\n/**\n * almond 0.2.6 Copyright (c) 2011-2012, The Dojo Foundation All Rights Reserved.\n */\nvar requirejs, require, define;\n' + named('app', BAD) + '}());\n';
    // a hand-written module: anonymous, or one module that names itself
    const own = `define(['jquery'], function ($) {\n${BAD}\n});\n`;
    const ownNamed = named('player', BAD);
    writeTree(d, { 'js/app.js': rjs, 'js/app-almond.js': almond, 'src/player.js': own, 'src/named.js': ownNamed });
    const r = await scan(d);
    expect([...new Set(r.findings.map((f) => f.file))].sort()).toEqual(['src/named.js', 'src/player.js']);
    expect(r.skipped.map((s) => `${s.file}: ${s.reason}`).sort()).toEqual(['js/app-almond.js', 'js/app.js'].map((f) => `${f}: bundler output (webpack/Parcel/browserify/r.js; --no-ignore to scan it)`));
  });

  it('skips a minified webpack UMD build that was pretty-printed again (a library copied into the app)', async () => {
    const d = tempDir();
    // the shape of a minifier's webpack runtime, re-indented: no `// webpackBootstrap` comment left
    const umd = [
      '!function (root, factory) {',
      '    if ("object" == typeof exports) module.exports = factory();',
      '    else root.Lib = factory();',
      '}(this, function () {',
      '    return function (mods) {',
      '        function req(id) {',
      '            if (cache[id]) return cache[id].exports;',
      '            var m = cache[id] = { exports: {}, id: id, loaded: !1 };',
      '            return mods[id].call(m.exports, m, m.exports, req), m.loaded = !0, m.exports',
      '        }',
      '        var cache = {};',
      '        return req.m = mods, req.c = cache, req.p = "", req(0)',
      '    }([function (t, e, n) {',
      BAD,
      '    }])',
      '});',
      '',
    ].join('\n');
    writeTree(d, { 'src/a.js': BAD, 'lib/sdk-9.9.9.js': umd });
    const r = await scan(d);
    expect(r.findings.map((f) => f.file)).toEqual(['src/a.js']);
    expect(r.skipped).toEqual([{ file: 'lib/sdk-9.9.9.js', soundcloud: true, reason: expect.stringMatching(/^bundler output/) }]);
    // an app's own loader that calls handlers with exports-like names is not a bundle
    expect(looksBundled('function load(h) {\n  return h.run.call(ctx.exports, ctx, ctx.exports, load);\n}\n')).toBe(false);
    expect(looksBundled('const cfg = { m: 1 };\nstore.m = cfg, store.c = cfg;\n')).toBe(false);
  });

  it('reports an unreadable file (EACCES via an injected reader)', async () => {
    const d = tempDir();
    writeTree(d, { 'a.js': BAD, 'secret.js': BAD });
    const r = await scan(d, {
      read: (p, max) => {
        if (p.endsWith('secret.js')) return { ok: false, reason: 'unreadable: EACCES' };
        return { ok: true, buf: readFileSync(p) };
      },
    });
    expect(r.skipped).toEqual([{ file: 'secret.js', reason: 'unreadable: EACCES' }]);
    expect(r.findings).toHaveLength(1);
  });

  it('an empty tree and an empty file are fine', async () => {
    const d = tempDir();
    expect((await scan(d)).findings).toEqual([]);
    writeTree(d, { 'e.ts': '' });
    const r = await scan(d);
    expect(r.findings).toEqual([]);
    expect(r.skipped).toEqual([{ file: 'e.ts', reason: 'empty' }]);
  });
});

describe('prefilter and cross-file gate', () => {
  it('in a tree that talks to SoundCloud, a file with URL-credential words is analysed too', async () => {
    const d = tempDir();
    writeTree(d, {
      'config.js': "export const API = 'https://api.soundcloud.com';\n",
      'selectors.js': "export const next = (href, t) => `${href}&oauth_token=${t}`;\n",
    });
    const r = await scan(d);
    expect(r.stats.analysed).toBe(2);
    // the same words in a tree without SoundCloud: nothing is parsed
    const e = tempDir();
    writeTree(e, { 'selectors.js': "export const next = (href, t) => `${href}&oauth_token=${t}`;\n" });
    const r2 = await scan(e);
    expect(r2.stats.analysed).toBe(0);
  });

  it('parses only files naming SoundCloud or importing them', async () => {
    const d = tempDir();
    writeTree(d, {
      'config.js': "export const API = 'https://api.soundcloud.com';\n",
      'client.js': "import { API } from './config.js';\nexport const x = 'q?oauth_token=1';\n",
      'unrelated.js': "export const y = 'q?page=1';\n",
      'broken.js': 'this is not javascript (((\n',
    });
    const r = await scan(d);
    expect(r.stats.analysed).toBe(2);
    expect(r.findings.map((f) => f.file)).toEqual(['client.js']);
    expect(r.skipped).toEqual([]);
  });

  it('the classic scripts of a page are analysed together (one global scope)', async () => {
    const d = tempDir();
    writeTree(d, {
      'index.html': '<script src="js/keys.js"></script>\n<script src="/js/model.js?v=2"></script>\n<script src="https://cdn.example.com/x.js"></script>\n',
      'js/keys.js': "Postfix = '?client_id=' + 'abc';\nvar API = 'https://api.soundcloud.com';\n",
      'js/model.js': 'var url = base + Postfix;\n',
      'js/other.js': 'var y = 1;\n',
    });
    const r = await scan(d);
    expect(r.stats.analysed).toBe(3);
  });
});

describe('worker pool', () => {
  it('gives the same findings with worker threads as on the main thread', async () => {
    const d = tempDir();
    const files: Record<string, string> = {};
    for (let i = 0; i < 60; i++) files[`src/f${i}.js`] = `// soundcloud\nconst u${i} = 'https://api.soundcloud.com/t?oauth_token=${i}';\nlegacyCall();\n`;
    writeTree(d, files);
    const mod = writeRulesModule(tempDir());
    const one = await runScan({ cwd: d, rulesModule: mod, noConfig: true, jobs: 1 });
    const pooled = await runScan({ cwd: d, rulesModule: mod, noConfig: true, jobs: 2, workerThreshold: 10 });
    expect(pooled.stats.workers).toBeGreaterThan(0);
    expect(one.stats.workers).toBe(0);
    expect(pooled.findings.map((f) => [f.file, f.line, f.ruleId, f.fingerprint])).toEqual(one.findings.map((f) => [f.file, f.line, f.ruleId, f.fingerprint]));
    expect(one.findings).toHaveLength(120);
  });
});

describe('scan command', () => {
  const setup = () => {
    const d = tempDir();
    writeTree(d, { 'src/a.js': BAD + 'legacyCall();\n', 'src/b.ts': '// soundcloud\nlegacyCall();\n' });
    return { d, mod: writeRulesModule(tempDir()) };
  };

  it('json: only JSON on stdout, cwd-relative / paths, 1-based positions, exit 1 on errors', async () => {
    const { d, mod } = setup();
    const r = await runMain(['scan', '--format', 'json', '--rules-module', mod], d);
    expect(r.code).toBe(1);
    const j = JSON.parse(r.stdout);
    expect(Object.keys(j)).toEqual(['findings', 'skipped', 'stats']);
    expect(j.findings[0]).toMatchObject({ ruleId: 'test-query-token', severity: 'error', file: 'src/a.js', line: 1, column: 11, endLine: 1, endColumn: 58, fix: { kind: 'auto', automatic: true } });
    expect(Object.keys(j.findings[0]).slice(0, 9)).toEqual(['ruleId', 'severity', 'message', 'file', 'line', 'column', 'endLine', 'endColumn', 'fix']);
    const sub = await runMain(['scan', '--format', 'json', '--rules-module', mod, '.'], join(d, 'src'));
    expect(JSON.parse(sub.stdout).findings[0].file).toBe('a.js');
  });

  it('--fail-on, --no-fail, --rule, --disable-rule', async () => {
    const { d, mod } = setup();
    const base = ['scan', '--format', 'json', '--rules-module', mod];
    expect((await runMain([...base, '--rule', 'test-legacy'], d)).code).toBe(0);
    expect((await runMain([...base, '--rule', 'test-legacy', '--fail-on', 'warning'], d)).code).toBe(1);
    expect((await runMain([...base, '--fail-on', 'none'], d)).code).toBe(0);
    expect((await runMain([...base, '--no-fail'], d)).code).toBe(0);
    const only = JSON.parse((await runMain([...base, '--disable-rule', 'test-query-token'], d)).stdout);
    expect(new Set(only.findings.map((f: { ruleId: string }) => f.ruleId))).toEqual(new Set(['test-legacy']));
  });

  it('unknown rule ids and bad flags are usage errors (exit 2) with a clear message', async () => {
    const { d, mod } = setup();
    const r = await runMain(['scan', '--rules-module', mod, '--rule', 'test-legasy'], d);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown rule id "test-legasy".*did you mean "test-legacy"/);
    expect((await runMain(['scan', '--format', 'xml'], d)).code).toBe(2);
    expect((await runMain(['scan', '--fail-on', 'info'], d)).code).toBe(2);
    expect((await runMain(['scan', 'missing-dir'], d)).code).toBe(2);
    expect((await runMain(['scan', '--max-file-size', 'big'], d)).code).toBe(2);
    expect((await runMain(['fix', '--rules-module', mod, '--rule', 'no-such-rule'], d)).code).toBe(2);
  });

  it('config files: json, mjs, package.json key, --config, --no-config, invalid config', async () => {
    const { d, mod } = setup();
    const base = ['scan', '--format', 'json', '--rules-module', mod];
    writeFileSync(join(d, 'sc-migrate.config.json'), JSON.stringify({ rules: { 'test-query-token': 'warning' }, ignore: ['src/b.ts'] }));
    let j = JSON.parse((await runMain(base, d)).stdout);
    expect(j.findings.map((f: { ruleId: string; severity: string; file: string }) => `${f.file} ${f.ruleId} ${f.severity}`)).toEqual(['src/a.js test-query-token warning', 'src/a.js test-legacy warning']);
    expect((await runMain(base, d)).code).toBe(0);
    expect(JSON.parse((await runMain([...base, '--no-config'], d)).stdout).findings).toHaveLength(3);

    writeFileSync(join(d, 'alt.config.mjs'), "export default { rules: { 'test-legacy': 'off' } };\n");
    j = JSON.parse((await runMain([...base, '--config', 'alt.config.mjs'], d)).stdout);
    expect(j.findings.map((f: { ruleId: string }) => f.ruleId)).toEqual(['test-query-token']);

    const p = tempDir();
    writeTree(p, { 'package.json': JSON.stringify({ name: 'x', 'sc-migrate': { rules: { 'test-query-token': 'off' } } }), 'a.js': BAD });
    expect(JSON.parse((await runMain(base, p)).stdout).findings).toEqual([]);

    writeFileSync(join(d, 'bad.json'), JSON.stringify({ rules: { 'no-such-rule': 'error' } }));
    const bad = await runMain([...base, '--config', 'bad.json'], d);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/unknown rule id "no-such-rule"/);
    writeFileSync(join(d, 'bad2.json'), JSON.stringify({ rules: { 'test-legacy': 'loud' } }));
    expect((await runMain([...base, '--config', 'bad2.json'], d)).stderr).toMatch(/invalid setting "loud"/);
    writeFileSync(join(d, 'bad3.json'), '{ nope');
    expect((await runMain([...base, '--config', 'bad3.json'], d)).code).toBe(2);
  });

  it('--output writes the report atomically and leaves no temp files', async () => {
    const { d, mod } = setup();
    const r = await runMain(['scan', '--format', 'sarif', '--output', 'out/report.sarif', '--rules-module', mod], d);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(JSON.parse(readFileSync(join(d, 'out/report.sarif'), 'utf8')).version).toBe('2.1.0');
    expect(readdirSync(join(d, 'out'))).toEqual(['report.sarif']);
  });

  it('pretty: code frame, summary by rule, no colours when not a TTY or with NO_COLOR', async () => {
    const { d, mod } = setup();
    const r = await runMain(['scan', '--rules-module', mod], d);
    expect(r.stdout).toContain('src/a.js');
    expect(r.stdout).toMatch(/> 1 \| const u = /);
    expect(r.stdout).toMatch(/\^{10,}/);
    expect(r.stdout).toMatch(/Findings by rule/);
    expect(r.stdout).toMatch(/3 problems \(1 error, 2 warnings\)/);
    expect(r.stdout).toMatch(/Scanned 2 files \(2 analysed\), 0 skipped in/);
    expect(r.stdout).not.toMatch(/\x1b\[/);
    const forced = await runMain(['scan', '--rules-module', mod, '--color'], d);
    expect(forced.stdout).toMatch(/\x1b\[/);
    const nc = await runMain(['scan', '--rules-module', mod], d, { NO_COLOR: '1', FORCE_COLOR: '1' });
    expect(nc.stdout).not.toMatch(/\x1b\[/);
  });

  it('rules: table and json', async () => {
    const { d } = setup();
    const t = await runMain(['rules'], d);
    expect(t.code).toBe(0);
    expect(t.stdout).toMatch(/^RULE\s+SEVERITY\s+FIX\s+DESCRIPTION/);
    const j = JSON.parse((await runMain(['rules', '--format', 'json'], d)).stdout);
    expect(Array.isArray(j)).toBe(true);
  });
});

describe('scan --verbose', () => {
  it('lists on stderr what ignore rules left out, with the rule source, in pretty format only', async () => {
    const d = tempDir();
    writeTree(d, {
      '.gitignore': 'generated/\n',
      '.sc-migrateignore': 'legacy.js\n',
      'src/a.js': BAD,
      'generated/x.js': BAD,
      'legacy.js': BAD,
    });
    const mod = writeRulesModule(d);
    const pretty = await runMain(['scan', '--verbose', '--rules-module', mod], d);
    expect(pretty.stderr).toMatch(/left out by ignore rules/);
    expect(pretty.stderr).toMatch(/generated\/.*\.gitignore/);
    expect(pretty.stderr).toMatch(/legacy\.js.*\.sc-migrateignore/);
    expect(pretty.stdout).not.toMatch(/left out by ignore rules/);
    const quiet = await runMain(['scan', '--rules-module', mod], d);
    expect(quiet.stderr).not.toMatch(/left out by ignore rules/);
    const json = await runMain(['scan', '--verbose', '--format', 'json', '--rules-module', mod], d);
    expect(json.stderr).not.toMatch(/left out by ignore rules/);
  });
});
