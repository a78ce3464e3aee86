/**
 * Astro components are scanned like SFCs: the frontmatter (TypeScript between the leading `---`
 * fences, run on the server at build or request time, where a top-level `return Astro.redirect()`
 * is allowed) and the <script> blocks are parsed in place; the markup is blank, so lines and
 * columns are the component's. A `---` line in the markup is no frontmatter. A fix edits the code
 * only, keeps the markup byte for byte, and a second run changes nothing.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { languageOf } from '../../src/engine/languages.js';
import { parseFile } from '../../src/engine/parse.js';
import { runScan } from '../../src/scan/run.js';
import { fixText } from '../../src/fix/apply.js';
import { allRules } from '../../rules/index.js';

const PAGE = [
  '---',
  "import Layout from '../layouts/Layout.astro';",
  'const clientId: string = import.meta.env.SOUNDCLOUD_CLIENT_ID;',
  'const res = await fetch(`http://api.soundcloud.com/users/42/tracks?client_id=${clientId}`);',
  "if (!res.ok) return Astro.redirect('/404');",
  'const tracks: { id: number; title: string }[] = await res.json();',
  '---',
  '<Layout title="Tracks">',
  '  <ul>{tracks.map((t) => <li data-id={t.id}>{t.title}</li>)}</ul>',
  '  <hr />',
  '  <script>',
  "    document.querySelector('ul')?.addEventListener('click', () => console.log('open'));",
  '  </script>',
  '</Layout>',
  '',
].join('\n');

// no frontmatter: a `---` in the markup is text
const EMBED = [
  '<h2>Listen</h2>',
  '---',
  '<iframe src="https://w.soundcloud.com/player/?url=https://api.soundcloud.com/tracks/1"></iframe>',
  '---',
  '',
].join('\n');

describe('Astro components', () => {
  it('are a supported file type, read like an SFC', () => {
    expect(languageOf('src/pages/index.astro')).toBe('vue');
    expect(languageOf('Card.ASTRO')).toBe('vue');
  });

  it('parse the frontmatter and script blocks in place and blank the markup', () => {
    const p = parseFile(PAGE, 'index.astro');
    expect(p.text).toHaveLength(PAGE.length);
    expect(p.text.split('\n')).toHaveLength(PAGE.split('\n').length);
    expect(p.text).toContain('tracks?client_id=${clientId}');
    expect(p.text).toContain("addEventListener('click'");
    expect(p.text).not.toContain('<Layout');
    expect(p.text).not.toContain('---');
    expect(p.ast.body.some((n) => n.type === 'ImportDeclaration')).toBe(true);
    expect(parseFile(EMBED, 'Embed.astro').ast.body).toHaveLength(0);
  });

  const dir = mkdtempSync(join(tmpdir(), 'scm-astro-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'index.astro'), PAGE);
  writeFileSync(join(dir, 'Embed.astro'), EMBED);

  it('reports a request of the frontmatter on its own line, and nothing for the embedded player', async () => {
    const scan = await runScan({ cwd: dir, noConfig: true, jobs: 1 });
    const found = scan.findings.map((f) => `${f.file}:${f.line} ${f.ruleId}`).sort();
    expect(found).toEqual(['index.astro:4 no-client-id-auth', 'index.astro:4 no-insecure-http']);
    expect(scan.skipped).toEqual([]);
  });

  it('fixes inside the frontmatter only, and a second fix changes nothing', () => {
    const opts = { filename: join(dir, 'index.astro'), rules: allRules, cwd: dir, markers: true };
    const once = fixText(PAGE, opts);
    expect(once.status).not.toBe('failed');
    expect(once.text).toContain('https://api.soundcloud.com/users/42');
    const markup = (t: string) => t.slice(t.indexOf('<Layout'));
    expect(markup(once.text)).toBe(markup(PAGE));
    expect(() => parseFile(once.text, 'index.astro')).not.toThrow();
    expect(fixText(once.text, opts).text).toBe(once.text);
  });
});
