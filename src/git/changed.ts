/**
 * `--changed-since REF`: the lines added or modified since REF (git diff -U0), per repo-relative
 * path. Untracked files count as entirely changed.
 */
import { git, unquoteGitPath } from './git.js';

export type ChangedLines = Map<string, Set<number> | 'all'>;

/** Parses `git diff -U0` output: new-side line numbers of every hunk, by new path. */
export function parseZeroContextDiff(diff: string): ChangedLines {
  const out: ChangedLines = new Map();
  let current: Set<number> | undefined;
  for (const line of diff.split('\n')) {
    if (line.startsWith('+++ ')) {
      const raw = line.slice(4).replace(/\t$/, '');
      if (raw === '/dev/null') { current = undefined; continue; }
      const p = unquoteGitPath(raw);
      const path = p.startsWith('b/') ? p.slice(2) : p;
      current = new Set();
      out.set(path, current);
      continue;
    }
    const m = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@/.exec(line);
    if (m && current) {
      const start = Number(m[1]);
      const count = m[2] === undefined ? 1 : Number(m[2]);
      for (let i = 0; i < count; i++) current.add(start + i);
    }
  }
  return out;
}

export interface ChangedOptions {
  /** Compare the index (for `--staged`) instead of the working tree. */
  staged?: boolean;
}

export function changedLinesSince(root: string, ref: string, opts: ChangedOptions = {}): ChangedLines {
  git(root, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]);
  const args = ['diff', '-U0', '--no-color', '--no-ext-diff', '--src-prefix=a/', '--dst-prefix=b/', '--diff-filter=ACMR', '-M'];
  if (opts.staged) args.push('--cached');
  args.push(ref, '--');
  const out = parseZeroContextDiff(git(root, args).toString('utf8'));
  if (!opts.staged) {
    for (const p of git(root, ['ls-files', '--others', '--exclude-standard', '-z']).toString('utf8').split('\0')) if (p) out.set(p, 'all');
  }
  return out;
}

/** Whether any line of [line, endLine] of `repoPath` changed. */
export function touchesChanged(changed: ChangedLines, repoPath: string, line: number, endLine = line): boolean {
  const c = changed.get(repoPath);
  if (!c) return false;
  if (c === 'all') return true;
  for (let l = line; l <= endLine; l++) if (c.has(l)) return true;
  return false;
}
