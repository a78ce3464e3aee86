/**
 * Svelte components are scanned like Vue SFCs: their <script> blocks (the instance script, a
 * `context="module"` one, `lang="ts"`) are parsed in place, the markup and styles are blank, so
 * lines and columns are the component's. A component that only embeds the widget player (an
 * api.soundcloud.com URL handed to w.soundcloud.com/player/?url=) stays clean. A fix edits the
 * script only: the markup and styles are kept byte for byte, and a second run changes nothing.
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

const TRACKS = [
  '<script context="module">',
  "  export const prerender = false;",
  '</script>',
  '',
  '<script lang="ts">',
  "  import { onMount } from 'svelte';",
  '  export let user: string;',
  '  let tracks: { id: number; title: string }[] = [];',
  "  const clientId = import.meta.env.VITE_SC_CLIENT_ID;",
  '  onMount(async () => {',
  '    const res = await fetch(`http://api.soundcloud.com/users/${user}/tracks?client_id=${clientId}`);',
  '    tracks = await res.json();',
  '  });',
  '  $: count = tracks.length;',
  '</script>',
  '',
  '<h2>{count} tracks</h2>',
  '{#each tracks as t (t.id)}<p on:click={() => play(t)}>{@html t.title}</p>{/each}',
  '',
  '<style>',
  '  p { color: #f50; }',
  '</style>',
  '',
].join('\n');

const WIDGET = [
  '<script lang="ts">',
  "  const params = { url: 'https://api.soundcloud.com/playlists/123', auto_play: false };",
  "  const query = Object.entries(params).map(([k, v]) => `${k}=${encodeURIComponent(String(v))}`).join('&');",
  '</script>',
  '',
  '<iframe title="player" src={`https://w.soundcloud.com/player/?${query}`}></iframe>',
  '',
].join('\n');

describe('Svelte components', () => {
  it('are a supported file type, read like an SFC', () => {
    expect(languageOf('src/routes/+page.svelte')).toBe('vue');
    expect(languageOf('Player.SVELTE')).toBe('vue');
    expect(languageOf('src/lib/store.svelte.ts')).toBe('ts');
  });

  it('parses every script block in place and blanks the markup and styles', () => {
    const p = parseFile(TRACKS, 'Tracks.svelte');
    expect(p.text).toHaveLength(TRACKS.length);
    expect(p.text.split('\n')).toHaveLength(TRACKS.split('\n').length);
    expect(p.text).toContain('export const prerender = false;');
    expect(p.text).toContain('tracks?client_id=${clientId}');
    expect(p.text).not.toContain('{#each');
    expect(p.text).not.toContain('color: #f50');
    expect(p.ast.body.some((n) => n.type === 'ImportDeclaration')).toBe(true);
  });

  const dir = mkdtempSync(join(tmpdir(), 'scm-svelte-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'Tracks.svelte'), TRACKS);
  writeFileSync(join(dir, 'Widget.svelte'), WIDGET);

  it('reports a request in a component on its own line, and nothing for the embedded player', async () => {
    const scan = await runScan({ cwd: dir, noConfig: true, jobs: 1 });
    const found = scan.findings.map((f) => `${f.file}:${f.line} ${f.ruleId}`).sort();
    expect(found).toEqual(['Tracks.svelte:11 no-client-id-auth', 'Tracks.svelte:11 no-insecure-http']);
  });

  it('fixes inside the script block only, and a second fix changes nothing', () => {
    const opts = { filename: join(dir, 'Tracks.svelte'), rules: allRules, cwd: dir, markers: true };
    const once = fixText(TRACKS, opts);
    expect(once.status).not.toBe('failed');
    expect(once.text).toContain('https://api.soundcloud.com/users/');
    expect(once.text).not.toContain('?client_id=');
    const markup = (t: string) => t.slice(t.lastIndexOf('</script>'));
    expect(markup(once.text)).toBe(markup(TRACKS));
    expect(() => parseFile(once.text, 'Tracks.svelte')).not.toThrow();
    expect(fixText(once.text, opts).text).toBe(once.text);
  });
});
