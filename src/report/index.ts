/** Reporters: pure functions from a ScanResult to text. */
import { formatGithub } from './github.js';
import { formatHtml } from './html.js';
import type { FixForecast } from './fixable.js';
import { formatJson } from './json.js';
import { formatMarkdown, blobUrlFromEnv } from './markdown.js';
import { formatPretty } from './pretty.js';
import { formatSarif } from './sarif.js';
import type { ScanResult } from '../scan/types.js';
import type { Format } from './formats.js';

export { FORMATS, type Format } from './formats.js';

export interface FormatOptions {
  color?: boolean;
  verbose?: boolean;
  toolVersion?: string;
  env?: Record<string, string | undefined>;
  /** What `fix` would change (a dry run the caller computes): pretty, markdown and html counts, html diffs. */
  forecast?: FixForecast;
}

export function formatResult(result: ScanResult, format: Format, opts: FormatOptions = {}): string {
  switch (format) {
    case 'pretty': return formatPretty(result, { color: opts.color ?? false, verbose: opts.verbose ?? false, ...(opts.forecast ? { forecast: opts.forecast } : {}) });
    case 'json': return formatJson(result);
    case 'sarif': return formatSarif(result, opts.toolVersion ? { toolVersion: opts.toolVersion } : {});
    case 'github': return formatGithub(result);
    case 'html': return formatHtml(result, { ...(opts.toolVersion ? { toolVersion: opts.toolVersion } : {}), ...(opts.forecast ? { forecast: opts.forecast } : {}) });
    case 'markdown': {
      const blobUrl = opts.env ? blobUrlFromEnv(opts.env) : undefined;
      return formatMarkdown(result, { ...(blobUrl ? { blobUrl } : {}), ...(opts.forecast ? { forecast: opts.forecast } : {}) });
    }
  }
}

export { forecastFix, type FixForecast, type PreviewHunk } from './fixable.js';
export { formatGithub, formatJson, formatMarkdown, formatPretty, formatSarif };
export { toJsonReport } from './json.js';
export { toSarif } from './sarif.js';
export { redact, mask, looksLikeSecret, REDACTED } from './redact.js';
export { fingerprintFile, normalizeLine, FINGERPRINT_VERSION } from './fingerprint.js';
export { codeFrame } from './pretty.js';
