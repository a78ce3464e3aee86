/**
 * Where the classic-page rewrite (src/fix/classic-pages.ts) must keep the marker: the page that
 * loads the script is not known for certain, or the request cannot wait for a token.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { allRules } from '../../rules/index.js';
import { fixFiles } from '../../src/fix/apply.js';

const dirs: string[] = [];
afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }); });

async function fix(files: Record<string, string>): Promise<Map<string, string>> {
  const dir = mkdtempSync(join(tmpdir(), 'sc-classic-'));
  dirs.push(dir);
  for (const [rel, text] of Object.entries(files)) { mkdirSync(dirname(join(dir, rel)), { recursive: true }); writeFileSync(join(dir, rel), text); }
  const { results } = await fixFiles({ files: Object.entries(files).map(([path, text]) => ({ path, text })), rules: allRules, cwd: dir, dry: true });
  return new Map(results.map((r) => [r.file, r.after]));
}

const SCRIPT = "function search(q) {\n  $.getJSON('https://api.soundcloud.com/tracks', { q: q, client_id: 'abc123def456' }).done(function (t) { show(t); });\n}\n";
const page = (src: string, attrs = '') => `<!doctype html>\n<html>\n<body>\n  <script src="js/jquery.js"></script>\n  <script${attrs} src="${src}"></script>\n</body>\n</html>\n`;

describe('classic pages: rewrite or marker', () => {
  it('a page loading the script by a relative src: rewritten, the client loaded before it', async () => {
    const out = await fix({ 'index.html': page('js/app.js'), 'js/app.js': SCRIPT });
    expect(out.get('js/app.js')).toContain("soundcloudBrowserClient.ajax({ url: 'https://api.soundcloud.com/tracks', data: { q: q }, dataType: 'json' }, 'abc123def456')");
    expect(out.get('index.html')).toContain('  <script src="js/soundcloud-browser-client.js"></script>\n  <script src="js/app.js"></script>');
    expect(out.get('js/soundcloud-browser-client.js')).toMatch(/^\/\/ Created by sc-migrate \(classic browser script\)/);
  });

  it('keeps the marker when no page, a root-relative src, or a module loads the script', async () => {
    for (const files of <Record<string, string>[]>[
      { 'js/app.js': SCRIPT },
      { 'index.html': page('/js/app.js'), 'js/app.js': SCRIPT },
      { 'index.html': page('js/app.js', ' type="module"'), 'js/app.js': SCRIPT },
      { 'index.html': page('js/app.js'), 'other.html': page('{{ static }}/app.js'), 'js/app.js': SCRIPT },
    ]) {
      const out = await fix(files);
      expect(out.get('js/app.js')).toContain('sc-migrate(no-client-id-auth)');
      expect(out.get('js/app.js')).not.toContain('soundcloudBrowserClient');
      expect([...out.keys()].some((k) => k.includes('soundcloud-browser-client'))).toBe(false);
    }
  });

  it('keeps the marker for JSONP, a synchronous XHR and a returned request', async () => {
    const out = await fix({
      'index.html': page('js/app.js'),
      'js/app.js': [
        "function a(q) { $.getJSON('https://api.soundcloud.com/tracks?callback=?', { q: q, client_id: 'abc123def456' }).done(function (t) { show(t); }); }",
        "function b(id) { var x = new XMLHttpRequest(); x.open('GET', 'https://api.soundcloud.com/tracks/' + id + '?client_id=abc123def456', false); x.send(); return x.responseText; }",
        "function c(id) { return $.getJSON('https://api.soundcloud.com/users/' + id + '?client_id=abc123def456'); }",
        '',
      ].join('\n'),
    });
    expect(out.get('js/app.js')).not.toContain('soundcloudBrowserClient');
    expect(out.get('index.html') ?? page('js/app.js')).toBe(page('js/app.js'));
  });
});
