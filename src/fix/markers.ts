/**
 * Marker texts: `/* sc-migrate(<rule-id>): one action *\/`. Each rule's recipe is in its
 * `rules/<id>/fix.ts` (short: the rule's README.md holds the long recipe). Kept on one line so a
 * marker never splits anything; `scan` reports each remaining marked finding.
 */
import type { Finding } from '../engine/types.js';
import { fixesById } from './providers.js';

const BROWSER_RE = /\.(vue|html?|jsx|tsx)$/i;

/** The recipe of a marker; `browser`: the file runs in a browser (no secret may live there). */
export function markerText(ruleId: string, f: Finding, file: string, browser = false): string {
  const r = fixesById.get(ruleId)?.marker;
  const text = typeof r === 'function' ? r(f, { file, browser: browser || BROWSER_RE.test(file) }) : r ?? f.message;
  return text.replace(/[\r\n]+/g, ' ');
}
