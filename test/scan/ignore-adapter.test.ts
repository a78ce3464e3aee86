/**
 * Contract of src/scan/ignore-adapter.ts, the one place that uses the private `_rules` of the
 * `ignore` package: with the installed version the fast path is on and answers like the public
 * API; when the private API is missing or answers differently, the adapter falls back to the
 * public one (a user's scan stays right), and this test fails (an `ignore` update is noticed here).
 */
import ignore, { type Ignore } from 'ignore';
import { describe, expect, it } from 'vitest';
import { ignoreMode, privateRulesAgree, PROBE, testIgnore } from '../../src/scan/ignore-adapter.js';

describe('ignore adapter', () => {
  it('the installed `ignore` passes the probe: the private fast path is used', () => {
    expect(privateRulesAgree()).toBe(true);
    expect(ignoreMode()).toBe('private');
  });

  it('answers like the public API on gitignore cases (paths whose parents are not ignored)', () => {
    const patterns = ['node_modules', '*.min.js', '!keep.min.js', '/config/*.json', '!config/app.json', 'logs/', '**/tmp/**', 'a?c.ts', '[Tt]est*.js', 'doc/*.md', '!doc/README.md'];
    const ig = ignore().add(patterns.join('\n'));
    const paths = ['node_modules/', 'x/node_modules/', 'node_modules', 'app.min.js', 'x/keep.min.js', 'config/a.json', 'config/app.json', 'x/config/a.json',
      'logs/', 'logs', 'x/logs/', 'x/tmp/y.js', 'abc.ts', 'abbc.ts', 'test1.js', 'Test2.js', 'doc/a.md', 'doc/README.md', 'doc/x/a.md', 'src/main.ts'];
    for (const p of paths) {
      const pub = ig.test(p);
      expect({ p, ...testIgnore(ig, p) }).toMatchObject({ p, ignored: pub.ignored, unignored: pub.unignored });
    }
    for (const [p, ignored, unignored] of PROBE.cases) expect(testIgnore(ignore().add(PROBE.patterns), p), p).toMatchObject({ ignored, unignored });
  });

  it('falls back to the public API when the private rule list is missing or answers wrongly', () => {
    const real = (t: string) => ignore().add(t);
    // Only the public API (as if `ignore` renamed its private field).
    const without = (t: string) => { const ig = real(t); return { test: (p: string) => ig.test(p) } as unknown as Ignore; };
    const liar = (t: string) => { const ig = real(t); (ig as unknown as { _rules: unknown })._rules = { test: () => ({ ignored: false, unignored: false }) }; return ig; };
    const thrower = (t: string) => { const ig = real(t); (ig as unknown as { _rules: unknown })._rules = { test: () => { throw new Error('changed'); } }; return ig; };
    expect(privateRulesAgree(without)).toBe(false);
    expect(privateRulesAgree(liar)).toBe(false);
    expect(privateRulesAgree(thrower)).toBe(false);
    // An Ignore without the private list is still answered (by the public API).
    const ig: Ignore = without('*.log');
    expect(testIgnore(ig, 'a.log')).toMatchObject({ ignored: true });
    expect(testIgnore(ig, 'a.js')).toMatchObject({ ignored: false });
  });
});
