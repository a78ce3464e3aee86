/**
 * A page loading a copy of the connect SDK kept in the tree (under any name, also in vendor/,
 * which discovery skips): the page's script tag is a no-deprecated-sdk finding, judged from the
 * copy's content. A namesake (another vendor's sdk.js) or an app bundle with the SDK inside is not.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isSdkCopy } from '../../src/engine/analysis/markup.js';
import { runScan } from '../../src/scan/run.js';

const fixtures = join(__dirname, '../../rules/no-deprecated-sdk/fixtures');
const sdk3 = readFileSync(join(fixtures, 'invalid/local-sdk-copy/js/lib/sc-connect.js'), 'utf8');
const sdk2 = readFileSync(join(fixtures, 'invalid/local-sdk2-copy/assets/soundcloud.js'), 'utf8');
const namesake = readFileSync(join(fixtures, 'valid/local-namesake-sdk/js/sdk.js'), 'utf8');
const bundle = readFileSync(join(fixtures, 'valid/app-bundle-with-sdk/bundle.js'), 'utf8');

describe('isSdkCopy', () => {
  it('knows SDK 3 (UMD, SC first) and SDK 1/2 (SC.Helper.merge with the connect host) by content', () => {
    expect(isSdkCopy(sdk3)).toBe(true);
    expect(isSdkCopy(sdk2)).toBe(true);
    // a license comment before the wrapper
    expect(isSdkCopy('/*! SoundCloud JavaScript SDK */\n' + sdk3)).toBe(true);
  });
  it('not a namesake, not an app bundle holding the SDK, not an app namespace called SC', () => {
    expect(isSdkCopy(namesake)).toBe(false);
    expect(isSdkCopy(bundle)).toBe(false);
    expect(isSdkCopy('window.SC = window.SC || {};\nSC.initialize = function () {};\n')).toBe(false);
    // SDK 2's global without its connect host
    expect(isSdkCopy(sdk2.replace('connect.soundcloud.com', 'example.com'))).toBe(false);
  });
});

describe('a page loading an SDK copy from a folder discovery skips', () => {
  const dir = mkdtempSync(join(tmpdir(), 'scm-sdk-copy-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const files: Record<string, string> = {
    '_layouts/default.html': '<html><head>\n<script src="/js/vendor/sc3.js"></script>\n<script src="/js/main.js"></script>\n</head></html>\n',
    'js/vendor/sc3.js': sdk3,
    'js/main.js': "SC.initialize({ client_id: 'abc123' });\nSC.get('/tracks').then(show);\n",
    'pay.html': '<html><head>\n<script src="/js/vendor/sdk.js"></script>\n</head></html>\n',
    'js/vendor/sdk.js': namesake,
  };
  for (const [name, text] of Object.entries(files)) {
    const p = join(dir, name);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, text);
  }

  it('reports the page that loads the copy, not the page that loads a namesake', async () => {
    const scan = await runScan({ cwd: dir, noConfig: true, jobs: 1 });
    const found = scan.findings.filter((f) => f.ruleId === 'no-deprecated-sdk').map((f) => `${f.file}:${f.line}`);
    expect(found).toContain('_layouts/default.html:2');
    expect(found.some((f) => f.startsWith('pay.html'))).toBe(false);
    // the copy itself is not scanned (vendor/)
    expect(scan.findings.some((f) => f.file.includes('vendor'))).toBe(false);
  });
});

describe("a copy of SoundCloud's Custom Player jQuery plugin", () => {
  const header = '/*\n*   SoundCloud Custom Player jQuery Plugin\n*   Author: someone at SoundCloud\n*   Copyright (c) 2010  SoundCloud Ltd.\n*   Licensed under the MIT license\n*/\n';
  const plugin = "(function ($) {\n  var domain = 'soundcloud.com';\n  var load = function (url, key, cb) {\n    $.getJSON('http://api.' + domain + '/resolve?url=' + url + '&format=json&consumer_key=' + key + '&callback=?', cb);\n  };\n  $.fn.scPlayer = function (opts) { return this.each(function () { load(this.href, opts.apiKey, function () {}); }); };\n})(jQuery);\n";
  const dir = mkdtempSync(join(tmpdir(), 'scm-sc-player-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  mkdirSync(join(dir, 'lib/player'), { recursive: true });
  writeFileSync(join(dir, 'lib/player/sc-player.js'), header + plugin);
  // the app's own file that names the plugin later on is the app's code
  writeFileSync(join(dir, 'app.js'), "// uses the SoundCloud Custom Player jQuery Plugin (SoundCloud Ltd)\nvar scPlayer = 1;\n$.getJSON('http://api.soundcloud.com/tracks?client_id=abc&callback=?', show);\n");

  it('is skipped as vendored with a warning that says what it does; --no-ignore scans it', async () => {
    const scan = await runScan({ cwd: dir, noConfig: true, jobs: 1 });
    expect(scan.findings.some((f) => f.file.includes('sc-player'))).toBe(false);
    expect(scan.findings.some((f) => f.file === 'app.js')).toBe(true);
    const skipped = scan.skipped.find((s) => s.file === 'lib/player/sc-player.js');
    expect(skipped?.reason).toMatch(/Custom Player jQuery plugin .*consumer_key/);
    expect(skipped?.soundcloud).toBe(true);
    const all = await runScan({ cwd: dir, noConfig: true, jobs: 1, noIgnore: true });
    expect(all.findings.some((f) => f.file === 'lib/player/sc-player.js' && f.ruleId === 'no-client-id-auth')).toBe(true);
  });
});
