/**
 * The progress line of long scans: on stderr, only when stderr is a TTY, the output is for people
 * (pretty) and not in CI (`CI` set). One line, redrawn in place, erased when the scan ends.
 */
import type { ScanProgress } from '../scan/scan.js';

export interface ProgressLine {
  update(p: ScanProgress): void;
  done(): void;
}

const PHASE: Record<ScanProgress['phase'], string> = { read: 'reading', analyse: 'analysing' };

export function progressLine(
  stderr: { write(s: string): unknown; isTTY?: boolean; columns?: number },
  env: Record<string, string | undefined>,
  forPeople: boolean,
  intervalMs = 80,
): ProgressLine | undefined {
  if (!forPeople || !stderr.isTTY || (env.CI && env.CI !== 'false' && env.CI !== '0')) return undefined;
  let last = -Infinity;
  let phase = '';
  let drawn = false;
  const width = Math.max(20, (stderr.columns ?? 80) - 1);
  return {
    update(p) {
      const now = performance.now();
      if (now - last < intervalMs && p.phase === phase) return;
      last = now;
      phase = p.phase;
      const line = `sc-migrate: ${PHASE[p.phase]} ${p.done}/${p.total} files`.slice(0, width);
      stderr.write(`\r${line}\x1b[K`);
      drawn = true;
    },
    done() {
      if (drawn) stderr.write('\r\x1b[K');
      drawn = false;
    },
  };
}
