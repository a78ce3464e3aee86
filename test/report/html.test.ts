/**
 * `scan --format html -o report.html` in a real browser (Debian's chromium, headless, through
 * playwright-core): the page loads with no network request, shows the counts of the JSON report,
 * a code frame and the fix diff, and its rule and severity filters work. Skipped when
 * /usr/bin/chromium is absent (apt-get install -y chromium).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { cleanup, runMain, tempDir, writeRulesModule, writeTree } from '../cli/helpers.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`html report browser test skipped: no chromium at ${CHROMIUM} (apt-get install -y chromium)`);

afterAll(cleanup);

const SECRET = 'f3k29dkq0xm3n4b5v6c7x8z9a0s1d2Q7';

describe.skipIf(!hasChromium)('html report in headless chromium', () => {
  it('loads offline, shows the JSON counts, code frames and diffs, and filters by rule and severity', async () => {
    const d = tempDir();
    writeTree(d, {
      'src/api.js': `// soundcloud\nconst u = 'https://api.soundcloud.com/me?oauth_token=${SECRET}&q=1';\nlegacyCall();\n`,
      'lib/more.js': "// soundcloud\nconst v = 'https://api.soundcloud.com/tracks?oauth_token=abcd1234&x=2';\n",
    });
    const mod = writeRulesModule(tempDir());
    const json = JSON.parse((await runMain(['scan', '-f', 'json', '--rules-module', mod], d)).stdout);
    const r = await runMain(['scan', '--format', 'html', '-o', 'report.html', '--rules-module', mod], d);
    expect(r.stderr).toMatch(/report written to report\.html/);
    const html = readFileSync(join(d, 'report.html'), 'utf8');
    expect(html).not.toContain(SECRET);
    expect(html).not.toMatch(/<(?:link|img|script)[^>]+(?:src|href)=["']?https?:/i); // self-contained

    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    try {
      const page = await browser.newPage();
      const requests: string[] = [];
      page.on('request', (req) => { if (!req.url().startsWith('file:')) requests.push(req.url()); });
      await page.goto(pathToFileURL(join(d, 'report.html')).href);
      const text = async (sel: string) => (await page.locator(sel).textContent())?.trim();
      expect(await text('#count-findings')).toBe(String(json.stats.findings));
      expect(await text('#count-errors')).toBe(String(json.stats.errors));
      expect(await text('#count-warnings')).toBe(String(json.stats.warnings));
      expect(await page.locator('.finding:visible').count()).toBe(json.findings.length);
      // by rule and by directory
      expect(await page.locator('table').first().textContent()).toContain('test-query-token');
      expect(await page.locator('table').nth(1).textContent()).toMatch(/src[\s\S]*lib|lib[\s\S]*src/);
      // code frame, fix kind and the diff fix would apply
      const first = page.locator('.finding[data-rule="test-query-token"]').first();
      expect(await first.locator('.frame').textContent()).toMatch(/> +\d+ \|/);
      expect(await first.locator('.fix').textContent()).toMatch(/Fix kind: auto/);
      const diff = (await first.locator('.diff pre span').allTextContents()).join('\n');
    expect(diff).toMatch(/^-const [uv] = .*oauth_token=/m);
    expect(diff).toMatch(/^\+const [uv] = 'https:\/\/api\.soundcloud\.com\/(me|tracks)[^\n]*$/m);
    expect(diff.split('\n').filter((l) => l.startsWith('+')).join('\n')).not.toMatch(/oauth_token/);

      const byRule = (id: string) => json.findings.filter((f: { ruleId: string }) => f.ruleId === id).length;
      await page.selectOption('#filter-rule', 'test-query-token');
      expect(await page.locator('.finding:visible').count()).toBe(byRule('test-query-token'));
      expect(await text('#count-visible')).toBe(String(byRule('test-query-token')));
      await page.selectOption('#filter-rule', '');
      await page.selectOption('#filter-severity', 'warning');
      expect(await page.locator('.finding:visible').count()).toBe(json.stats.warnings);
      expect(await page.locator('.finding:visible').getAttribute('data-rule')).toBe('test-legacy');
      await page.selectOption('#filter-rule', 'test-query-token');
      expect(await page.locator('.finding:visible').count()).toBe(0);
      expect(requests).toEqual([]);
    } finally {
      await browser.close();
    }
  }, 120_000);
});
