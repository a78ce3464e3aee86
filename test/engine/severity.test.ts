/** Per-finding severity: a rule may report one finding below its own level (a deliberate use). */
import { describe, expect, it } from 'vitest';
import { allRules } from '../../rules/index.js';
import { lintText, ruleId } from '../../src/engine/index.js';
import { createRule } from '../../src/engine/create-rule.js';
import { reporter } from '../../src/engine/analysis/report.js';
import type { Node } from '../../src/engine/types.js';

const redirects = allRules.find((r) => ruleId(r) === 'no-disabled-redirects')!;
const lint = (text: string, severities?: Record<string, 'error' | 'warning'>) =>
  lintText({ text, filename: '/tmp/x.ts', rules: [redirects], ...(severities ? { severities } : {}) }).findings;

const DELIBERATE = `export async function streamUrl(id: string, token: string) {
  const res = await fetch(\`https://api.soundcloud.com/tracks/\${id}/stream\`, {
    headers: { Authorization: \`OAuth \${token}\` },
    redirect: 'manual',
  });
  if (res.status === 302) return res.headers.get('location');
  throw new Error('no redirect');
}
`;
const CARELESS = `export async function track(id: string, token: string) {
  const res = await fetch(\`https://api.soundcloud.com/tracks/\${id}\`, {
    headers: { Authorization: \`OAuth \${token}\` },
    redirect: 'manual',
  });
  return res.json();
}
`;

describe('per-finding severity', () => {
  it('a redirect handled on purpose (3xx status / Location read) is a warning (fix kind manual), no fix and no suggestion: removing the option would break the code that reads it', () => {
    const [f, ...rest] = lint(DELIBERATE);
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ messageId: 'deliberate', severity: 'warning', line: 4, fixKind: 'manual' });
    expect(f!.fix).toBeUndefined();
    expect(f!.suggestions ?? []).toEqual([]);
  });

  it('a redirect turned off without reading the 3xx stays an error with the automatic fix', () => {
    const [f] = lint(CARELESS);
    expect(f).toMatchObject({ messageId: 'disabled', severity: 'error', fixKind: 'auto' });
    expect(f!.fix).toBeDefined();
  });

  it('never raises a finding above the configured level', () => {
    const rule = createRule({
      id: 'test-lowered', description: 'x', severity: 'warning', fixKind: 'manual', messages: { m: 'm' },
      create(context) {
        const report = reporter(context);
        return { Program(n: Node) { report(n, 'm', undefined, null, undefined, 'error'); } };
      },
    });
    const out = lintText({ text: 'x;\n', filename: '/tmp/y.js', rules: [rule] }).findings;
    expect(out.map((f) => f.severity)).toEqual(['warning']);
    expect(lint(DELIBERATE, { 'no-disabled-redirects': 'warning' })[0]!.severity).toBe('warning');
  });
});
