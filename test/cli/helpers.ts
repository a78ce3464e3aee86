/** Shared test helpers for the CLI, report and git tests: temp trees, test rules, captured main(). */
import { mkdtempSync, mkdirSync, readdirSync, statSync, writeFileSync, rmSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createRule } from '../../src/engine/create-rule.js';
import type { ScRule } from '../../src/engine/types.js';
import { main } from '../../src/cli/main.js';

export const REPO = fileURLToPath(new URL('../..', import.meta.url));

const made: string[] = [];
export function tempDir(prefix = 'scm-'): string {
  const d = realpathSync(mkdtempSync(join(tmpdir(), prefix)));
  made.push(d);
  return d;
}
export function cleanup(): void {
  for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true });
}

export function writeTree(root: string, files: Record<string, string | Buffer>): void {
  for (const [rel, content] of Object.entries(files)) {
    const p = join(root, rel);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, content);
  }
}

/** Error rule: a string literal holding `oauth_token=` (auto fix: drop the parameter). */
export const queryTokenRule: ScRule = createRule({
  id: 'test-query-token',
  description: 'Access token in the query',
  severity: 'error',
  fixKind: 'auto',
  messages: { q: 'oauth_token in the query string: send it in the Authorization header' },
  create(context) {
    return {
      Literal(node: { value: unknown; range: [number, number]; raw: string }) {
        if (typeof node.value === 'string' && node.value.includes('oauth_token=')) {
          context.report({ node: node as never, messageId: 'q', fix: (f) => f.replaceText(node, node.raw.replace(/[?&]oauth_token=[^&'"]*/, '')) });
        }
      },
    };
  },
});

/** Warning rule: a call of `legacyCall()`. */
export const legacyRule: ScRule = createRule({
  id: 'test-legacy',
  description: 'Legacy call',
  severity: 'warning',
  fixKind: 'manual',
  messages: { l: 'legacyCall() is deprecated' },
  create(context) {
    return {
      CallExpression(node: { callee: { type: string; name?: string } }) {
        if (node.callee.type === 'Identifier' && node.callee.name === 'legacyCall') context.report({ node: node as never, messageId: 'l' });
      },
    };
  },
});

/** Reports the secret it sees in its message (to test redaction of messages). */
export const secretRule: ScRule = createRule({
  id: 'test-secret',
  description: 'Hardcoded secret',
  severity: 'error',
  fixKind: 'suggest',
  messages: { s: 'Client secret "{{value}}" is written in code' },
  create(context) {
    return {
      Property(node: { key: { name?: string; value?: unknown }; value: { type: string; value?: unknown } }) {
        const k = node.key.name ?? node.key.value;
        if ((k === 'client_secret' || k === 'clientSecret') && node.value.type === 'Literal') {
          context.report({ node: node as never, messageId: 's', data: { value: String(node.value.value) } });
        }
      },
    };
  },
});

export const testRules: ScRule[] = [queryTokenRule, legacyRule, secretRule];

/** The same rules as an .mjs module (for --rules-module, worker threads and the real binary). */
export const RULES_MODULE_SOURCE = `
const mk = (id, severity, fixKind, messages, create) => ({
  meta: { type: 'problem', docs: { description: id, url: 'https://example.test/' + id, recommended: true, scMigrate: { id, severity, fixKind, scope: 'file' } }, messages, schema: [] },
  create,
});
export const allRules = [
  mk('test-query-token', 'error', 'auto', { q: 'oauth_token in the query string: send it in the Authorization header' }, (context) => ({
    Literal(node) {
      if (typeof node.value === 'string' && node.value.includes('oauth_token=')) {
        context.report({ node, messageId: 'q', fix: (f) => f.replaceText(node, node.raw.replace(/[?&]oauth_token=[^&'"]*/, '')) });
      }
    },
  })),
  mk('test-legacy', 'warning', 'manual', { l: 'legacyCall() is deprecated' }, (context) => ({
    CallExpression(node) { if (node.callee.type === 'Identifier' && node.callee.name === 'legacyCall') context.report({ node, messageId: 'l' }); },
  })),
];
`;

export function writeRulesModule(dir: string): string {
  const p = join(dir, 'test-rules.mjs');
  writeFileSync(p, RULES_MODULE_SOURCE);
  return p;
}

export interface Captured { code: number; stdout: string; stderr: string }

/** Runs main() in-process with captured output. */
export async function runMain(argv: string[], cwd: string, env: Record<string, string | undefined> = {}): Promise<Captured> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    cwd,
    env: { ...env },
    stdout: { write: (s: string) => { stdout += s; return true; }, isTTY: false },
    stderr: { write: (s: string) => { stderr += s; return true; }, isTTY: false },
  });
  return { code, stdout, stderr };
}

/** Sources of dist/ (src, rules, transforms; .ts) whose compiled .js is missing or older than the source. */
export function staleDist(repo = REPO): string[] {
  const stale: string[] = [];
  const visit = (dir: string): void => {
    let entries: import('node:fs').Dirent[];
    try { entries = readdirSync(join(repo, dir), { withFileTypes: true }); } catch { return; }
    for (const e of entries) {
      const rel = `${dir}/${e.name}`;
      if (e.isDirectory()) { if (e.name !== 'fixtures' && e.name !== 'node_modules') visit(rel); continue; }
      if (!/\.ts$/.test(e.name) || e.name.endsWith('.d.ts')) continue;
      const out = join(repo, 'dist', rel.replace(/\.ts$/, '.js'));
      let built = 0;
      try { built = statSync(out).mtimeMs; } catch { /* missing */ }
      if (built < statSync(join(repo, rel)).mtimeMs) stale.push(rel);
    }
  };
  for (const d of ['src', 'rules', 'transforms']) visit(d);
  return stale;
}

/** Before running the real binary (bin/sc-migrate.js -> dist/): builds dist/ when a source is newer than its output, and fails clearly if it is still stale. */
export function ensureBuilt(): void {
  if (!staleDist().length) return;
  try { execFileSync(process.execPath, [join(REPO, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { cwd: REPO, stdio: 'ignore' }); } catch { /* tsc exits 1 on type errors but still emits */ }
  // the shipped declarations as `npm run build` leaves them (test/runtime/dts-compat.test.ts reads them)
  execFileSync(process.execPath, [join(REPO, 'scripts/downlevel-dts.mjs')], { cwd: REPO, stdio: 'ignore' });
  // and the CLI bundle the bin prefers (scripts/bundle-cli.mjs; without it the bin runs dist/src)
  execFileSync(process.execPath, [join(REPO, 'scripts/bundle-cli.mjs')], { cwd: REPO, stdio: 'ignore' });
  const still = staleDist();
  if (still.length) {
    throw new Error(`dist/ is older than its sources (${still.slice(0, 5).join(', ')}${still.length > 5 ? ', ...' : ''}) and \`tsc -p tsconfig.build.json\` did not refresh it: run \`npm run build\` before the e2e tests.`);
  }
}

export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

export function initRepo(dir: string): void {
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'config', 'user.name', 'Test');
  git(dir, 'config', 'user.email', 'test@example.com');
  git(dir, 'config', 'commit.gpgsign', 'false');
}
