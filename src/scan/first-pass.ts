/**
 * The first pass over a scan's files (read, content checks, text gate), one file at a time, as
 * a record: run on the main thread, or on the reader thread (reader.ts) while the main thread is
 * still walking the tree (reader-feed.ts). Both run this same code on the files in the same
 * order, so the records (and the scan) are the same either way.
 */
import { gateFacts, mentionsSoundCloud, type GateFacts } from '../engine/prefilter.js';
import type { Unreadable } from './read.js';

/**
 * Bytes of candidate files kept from the first pass (beyond it they are read again later). Kept
 * at 32 MiB: with 4 MiB the dense real corpus (20 MiB) read again cost 150-500 ms of a scan and no
 * measurable peak RSS (the peak comes late in the analysis, when the buffers are long gone).
 */
export const KEEP_BYTES = 32 * 1024 * 1024;

/** What the first pass has seen so far (the same on both threads: each advances it record by record). */
export interface PassState { direct: number; keptBytes: number }

/**
 * One file's record: a skip reason (string); `null` when it does not name SoundCloud and no file
 * before it did (its gate facts may never be needed: looked at again only if a later file names
 * SoundCloud); else its gate facts when the gate needs them, and its byte count when its bytes are kept.
 */
export type PassRecord = string | null | { g?: GateFacts; keep?: number };

/** The record of a file whose first-pass read gave `text` (latin1) or why it is skipped. Changes nothing. */
export function look(text: string | Unreadable, st: PassState): PassRecord {
  if (typeof text !== 'string') return text.reason;
  // Until a file names SoundCloud, the other gate facts (imports, credential words) may never
  // be needed (a tree without SoundCloud code).
  if (!st.direct && !mentionsSoundCloud(text)) return null;
  const g = gateFacts(text);
  const rec: { g?: GateFacts; keep?: number } = {};
  if (g.direct || g.weak || g.imports.length) rec.g = g;
  if (g.direct && st.keptBytes + text.length <= KEEP_BYTES) rec.keep = text.length;
  return rec;
}

/** The state after a file's record. */
export function advance(st: PassState, rec: PassRecord): void {
  if (rec === null || typeof rec === 'string') return;
  if (rec.g?.direct) st.direct++;
  if (rec.keep) st.keptBytes += rec.keep;
}

/**
 * A file's record made ahead of its turn (the state of the files before it not known yet): a skip
 * reason, `null` when it does not name SoundCloud (its gate facts are looked at later, as a deferred
 * file's, if any file names SoundCloud), or its gate facts with its text when `hold` (whether its
 * bytes are kept is decided in its turn, `inTurn`).
 */
export type AheadRecord = string | null | { g: GateFacts; length: number; text?: string };

export function lookAhead(text: string | Unreadable, hold: boolean): AheadRecord {
  if (typeof text !== 'string') return text.reason;
  if (!mentionsSoundCloud(text)) return null;
  return { g: gateFacts(text), length: text.length, ...(hold ? { text } : {}) };
}

/** The record `look` would have made in the file's turn, but for a deferral that changes no answer (see AheadRecord). */
export function inTurn(a: AheadRecord, st: PassState): PassRecord {
  if (a === null || typeof a === 'string') return a;
  return { g: a.g, ...(a.text !== undefined && st.keptBytes + a.length <= KEEP_BYTES ? { keep: a.length } : {}) };
}
