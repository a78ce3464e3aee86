/** Small synchronous git helpers (the CLI is a short-lived process; git calls are few). */
import { execFileSync, spawnSync } from 'node:child_process';

export class GitError extends Error {
  constructor(message: string) { super(message); this.name = 'GitError'; }
}

export function git(cwd: string, args: string[], input?: string | Buffer): Buffer {
  const r = spawnSync('git', ['-c', 'core.quotePath=false', ...args], { cwd, input, maxBuffer: 1024 * 1024 * 1024, env: { ...process.env, GIT_OPTIONAL_LOCKS: '0' } });
  if (r.error) throw new GitError(`git ${args[0]} failed: ${r.error.message}`);
  if (r.status !== 0) throw new GitError(`git ${args.join(' ')}: ${r.stderr.toString().trim() || `exit ${r.status}`}`);
  return r.stdout;
}

/** The top level of the work tree containing `cwd`, or undefined outside a repository. */
export function gitTopLevel(cwd: string): string | undefined {
  try {
    return execFileSync('git', ['rev-parse', '--show-toplevel'], { cwd, stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim() || undefined;
  } catch {
    return undefined;
  }
}

export function requireTopLevel(cwd: string, feature: string): string {
  const top = gitTopLevel(cwd);
  if (!top) throw new GitError(`${feature} needs a git repository (none found at ${cwd})`);
  return top;
}

/** Unquotes a path as git prints it in diff headers (C-style quoting when it has special bytes). */
export function unquoteGitPath(p: string): string {
  if (!p.startsWith('"')) return p;
  const bytes: number[] = [];
  const body = p.slice(1, -1);
  const esc: Record<string, number> = { n: 10, t: 9, r: 13, '"': 34, '\\': 92, a: 7, b: 8, f: 12, v: 11 };
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c !== '\\') { bytes.push(...Buffer.from(c, 'utf8')); continue; }
    const n = body[++i]!;
    if (/[0-7]/.test(n)) { bytes.push(parseInt(body.slice(i, i + 3), 8)); i += 2; } else bytes.push(esc[n] ?? n.charCodeAt(0));
  }
  return Buffer.from(bytes).toString('utf8');
}
