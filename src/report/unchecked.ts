/** Files that name SoundCloud but could not be checked (syntax error, invalid UTF-8, minified): every format warns about them. */
import type { ScanResult, SkippedFile } from '../scan/types.js';

export const uncheckedFiles = (result: Pick<ScanResult, 'skipped'>): SkippedFile[] => result.skipped.filter((s) => s.soundcloud);

/** One sentence for the warning. */
export const uncheckedMessage = (s: SkippedFile): string => `could not check ${s.file} (it mentions SoundCloud): ${s.reason}`;
