/**
 * `scan --timing`: the per-phase and per-rule table goes to stderr, the report on stdout is the
 * same as without it. (No timed assertion: only that every phase and rule is accounted for.)
 */
import { afterAll, describe, expect, it } from 'vitest';
import { cleanup, runMain, tempDir, writeTree } from './helpers.js';
import { allRules } from '../../rules/index.js';
import { enableTiming, formatTiming, settleTiming } from '../../src/engine/timing.js';

afterAll(cleanup);

describe('scan --timing', () => {
  it('prints phases and every rule to stderr; the report does not change', async () => {
    const d = tempDir();
    writeTree(d, {
      'src/player.js': "const CLIENT_ID = 'abc';\nexport const load = (id) => fetch(`https://api.soundcloud.com/tracks/${id}?client_id=${CLIENT_ID}`);\n",
      'src/util.js': 'export const add = (a, b) => a + b;\n',
    });
    const plain = await runMain(['scan', '--format', 'json', '--no-config'], d);
    const timed = await runMain(['scan', '--format', 'json', '--no-config', '--timing'], d);
    expect(timed.code).toBe(plain.code);
    const strip = (s: string) => { const j = JSON.parse(s); delete j.stats.durationMs; return j; };
    expect(strip(timed.stdout)).toEqual(strip(plain.stdout));
    expect(plain.stderr).not.toContain('Phase');
    for (const phase of ['start-up', 'discovery', 'read', 'prefilter', 'parse', 'facts', 'rules', 'walk', 'report', 'GC', 'total (wall)']) {
      expect(timed.stderr.split('\n').some((l) => l.startsWith(phase) && l.includes('|')), phase).toBe(true);
    }
    expect(timed.stderr).toContain('files analysed: 1');
    for (const r of allRules) expect(timed.stderr).toContain(r.meta.docs.scMigrate.id);
  });

  it('counts the GC pauses of a run that never gave up the event loop (Node queues their entries for a later turn)', async () => {
    enableTiming();
    let keep: { i: number }[] | undefined = [];
    for (let i = 0; i < 3e6; i++) keep.push({ i }); // well past the young generation: scavenges
    keep = undefined;
    await settleTiming();
    const m = /GC \((\d+) pauses/.exec(formatTiming());
    expect(Number(m?.[1])).toBeGreaterThan(0);
  });
});
