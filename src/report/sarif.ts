/**
 * SARIF 2.1.0 for GitHub code scanning and other viewers: full rule metadata, repo-relative
 * locations under %SRCROOT%, line-move-stable partialFingerprints, and `fixes` for findings with
 * an automatic edit (left out when the edit would copy a secret).
 */
import { pathToFileURL } from 'node:url';
import { redact } from './redact.js';
import { FINGERPRINT_VERSION, splitLines } from './fingerprint.js';
import { uncheckedMessage } from './unchecked.js';
import { relative, resolve } from 'node:path';
import type { RuleInfo, ScanFinding, ScanResult } from '../scan/types.js';
import { locator } from '../engine/lines.js';

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';

export interface SarifOptions {
  toolVersion?: string;
  informationUri?: string;
}

type Json = Record<string, unknown>;

const level = (s: 'error' | 'warning') => (s === 'error' ? 'error' : 'warning');

function ruleHelpText(r: RuleInfo): string {
  return `${r.description}\n\nSeverity: ${r.severity}. Fix: ${r.fixKind === 'auto' ? 'automatic (`sc-migrate fix`)' : r.fixKind === 'suggest' ? 'suggested rewrite (review it)' : 'manual'}.${r.fixKinds && Object.values(r.fixKinds).some((k) => k !== r.fixKind) ? ' Some findings have their own fix kind (the result\'s fixKind property), e.g. manual where no supported migration exists.' : ''}${r.scope === 'project' ? ' Project-level rule: looks across files.' : ''}\nDocs: ${r.url}`;
}

export function sarifRule(r: RuleInfo): Json {
  return {
    id: r.id,
    name: r.id.replace(/(^|-)([a-z])/g, (_, _d: string, ch: string) => ch.toUpperCase()),
    shortDescription: { text: r.description },
    fullDescription: { text: `${r.description} (sc-migrate rule ${r.id}; ${r.scope === 'project' ? 'project-level' : 'per-file'}, fix: ${r.fixKind}).` },
    helpUri: r.url,
    help: {
      text: ruleHelpText(r),
      markdown: r.docsMarkdown ?? `**${r.id}**: ${r.description}\n\nFix kind: \`${r.fixKind}\`. See [the rule documentation](${r.url}).`,
    },
    defaultConfiguration: { level: level(r.severity), enabled: true },
    properties: { tags: ['security', 'soundcloud', 'migration'], fixKind: r.fixKind, ...(r.fixKinds ? { fixKinds: r.fixKinds } : {}), scope: r.scope },
  };
}

/** Line/column (1-based) of an offset in text (the engine's line-start table). */
let located: { text: string; at: ReturnType<typeof locator> } | undefined;
function position(text: string, offset: number): { line: number; column: number } {
  if (located?.text !== text) located = { text, at: locator(text) };
  const { line, column } = located.at(offset);
  return { line, column: column + 1 };
}

function fixesOf(f: ScanFinding, text: string | undefined, artifactLocation: Json): Json[] | undefined {
  if (!f.fix?.edits.length || text === undefined) return undefined;
  const replacements: Json[] = [];
  for (const e of f.fix.edits) {
    const deleted = text.slice(e.range[0], e.range[1]);
    if (redact(e.text) !== e.text || redact(deleted) !== deleted) return undefined; // would copy a secret
    const a = position(text, e.range[0]);
    const b = position(text, e.range[1]);
    replacements.push({
      deletedRegion: { startLine: a.line, startColumn: a.column, endLine: b.line, endColumn: b.column },
      insertedContent: { text: e.text },
    });
  }
  return [{ description: { text: `sc-migrate fix: ${f.ruleId}` }, artifactChanges: [{ artifactLocation, replacements }] }];
}

/** A cwd-relative path as a root-relative one (SARIF URIs are under %SRCROOT%). */
const toRepoPath = (result: Pick<ScanResult, 'cwd' | 'root'>, file: string): string => relative(result.root, resolve(result.cwd, file)).split('\\').join('/');

export function toSarif(result: ScanResult, opts: SarifOptions = {}): Json {
  const ruleIndex = new Map(result.rules.map((r, i) => [r.id, i]));
  const lineCache = new Map<string, string[]>();
  const linesOf = (p: string) => {
    if (!lineCache.has(p)) { const t = result.sources.get(p); lineCache.set(p, t === undefined ? [] : splitLines(t)); }
    return lineCache.get(p)!;
  };
  const results = result.findings.map((f) => {
    const artifactLocation = { uri: encodeURI(f.repoPath), uriBaseId: '%SRCROOT%' };
    const lines = linesOf(f.path);
    const snippet = lines.slice(f.line - 1, Math.min(f.endLine, f.line + 9)).map((l) => redact(l)).join('\n');
    const fixes = fixesOf(f, result.sources.get(f.path), artifactLocation);
    const res: Json = {
      ruleId: f.ruleId,
      ...(ruleIndex.has(f.ruleId) ? { ruleIndex: ruleIndex.get(f.ruleId) } : {}),
      level: level(f.severity),
      message: { text: redact(f.message, { bare: true }) },
      locations: [{
        physicalLocation: {
          artifactLocation,
          region: { startLine: f.line, startColumn: f.column, endLine: f.endLine, endColumn: f.endColumn, ...(snippet ? { snippet: { text: snippet } } : {}) },
        },
      }],
      partialFingerprints: { [FINGERPRINT_VERSION]: f.fingerprint },
      properties: { fixKind: f.fixKind },
      ...(fixes ? { fixes } : {}),
    };
    return res;
  });
  const rootUri = pathToFileURL(result.root.endsWith('/') ? result.root : result.root + '/').href;
  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [{
      tool: {
        driver: {
          name: 'sc-migrate',
          ...(opts.toolVersion ? { version: opts.toolVersion, semanticVersion: opts.toolVersion } : {}),
          informationUri: opts.informationUri ?? 'https://github.com/sc-migrate/sc-migrate',
          rules: result.rules.map(sarifRule),
        },
      },
      originalUriBaseIds: { '%SRCROOT%': { uri: rootUri } },
      columnKind: 'utf16CodeUnits',
      results,
      invocations: [{
        executionSuccessful: true,
        // Files that mention SoundCloud but could not be checked first, as warnings with their location.
        toolExecutionNotifications: [...result.skipped].sort((a, b) => Number(!!b.soundcloud) - Number(!!a.soundcloud)).slice(0, 1000).map((s) => ({
          level: s.soundcloud ? 'warning' : 'note',
          message: { text: s.soundcloud ? uncheckedMessage(s) : `skipped ${s.file}: ${s.reason}` },
          ...(s.soundcloud ? { descriptor: { id: 'sc-migrate/file-not-checked' }, locations: [{ physicalLocation: { artifactLocation: { uri: encodeURI(toRepoPath(result, s.file)), uriBaseId: '%SRCROOT%' } } }] } : {}),
        })),
      }],
    }],
  };
}

export const formatSarif = (result: ScanResult, opts: SarifOptions = {}): string => JSON.stringify(toSarif(result, opts), null, 2) + '\n';
