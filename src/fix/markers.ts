/**
 * Marker texts: `/* sc-migrate(<rule-id>): one action *\/`. Each rule's recipe is in its
 * `rules/<id>/fix.ts` (short: the rule's README.md holds the long recipe). Kept on one line so a
 * marker never splits anything; `scan` reports each remaining marked finding.
 */
import type { Finding } from '../engine/types.js';
import { fixesById, type MarkerPlace } from './providers.js';

/** The recipe of a marker at a place (browser or server is the file's, decided once by fix). */
export function markerText(ruleId: string, f: Finding, where: MarkerPlace): string {
  const r = fixesById.get(ruleId)?.marker;
  const text = typeof r === 'function' ? r(f, where) : r ?? f.message;
  return text.replace(/[\r\n]+/g, ' ');
}
