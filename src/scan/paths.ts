import { isAbsolute, relative, sep } from 'node:path';

/** `/`-separated path of `abs` relative to `base` (`.` segments never lead). */
export function toPosixRelative(base: string, abs: string): string {
  const rel = relative(base, abs);
  const out = sep === '/' ? rel : rel.split(sep).join('/');
  return out === '' ? '.' : out;
}

export function isInside(base: string, abs: string): boolean {
  const rel = relative(base, abs);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}
