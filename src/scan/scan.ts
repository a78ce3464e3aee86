/**
 * The scan pipeline, reusable by `scan`, `baseline`, `fix` and the hooks:
 *
 *   list files -> read as Buffers (size, binary, UTF-8 checks) -> text prefilter (no decoding
 *   beyond latin1, no parsing) -> candidates decoded strictly and parsed -> rules (worker
 *   threads when there are many candidates) -> fingerprints -> changed-lines / baseline filters.
 *
 * Memory stays bounded on large trees: the first pass keeps the bytes of candidate files only up
 * to a budget (the rest is read again when its turn comes), and on one thread each candidate is
 * decoded, analysed, fingerprinted and dropped before the next (only files with findings keep
 * their text, for the reporters). `--timing` numbers are recorded on the way (engine/timing.ts).
 */
import { join, resolve } from 'node:path';
import { passesGates } from '../engine/create-rule.js';
import { devProxyTextIsSc, ENV_HOSTS_KEY, envFilesIn, envTrigger, readEnvHosts } from '../engine/env-files.js';
import { mayProxyToSc, PROXY_ROUTES_KEY, readProxyRoutes } from '../engine/proxy-routes.js';
import { gateFacts, mentionsSoundCloud, pageGroups, pageScriptFile, relativeSpecifiers, selectCandidates, type GateFacts } from '../engine/prefilter.js';
import { keepHandle, type Finding, type ScRule, type Severity } from '../engine/types.js';
import { createAnalyser, loadEngine, timingHook, type AnalyseInput, type AnalyseOutput } from './analyse.js';
import { addPhase, countGated, timed, timingEnabled } from '../engine/timing.js';
import type { DiscoveredFile } from './discover.js';
import { findRepoRoot, FOREIGN_REASON, FOREIGN_SOURCE_RE } from './discover.js';
import { AnalysisPool, defaultJobs, DEFAULT_WORKER_THRESHOLD } from './pool.js';
import { decodeUtf8, DEFAULT_MAX_FILE_SIZE, latin1Peek, looksBundled, looksMinified } from './read.js';
import { isCustomPlayerCopy, isSdkCopy } from '../engine/sdk-copy.js';
import { ruleInfo } from './rules.js';
import type { FileSource } from './source.js';
import { toPosixRelative } from './paths.js';
import { fingerprintFile, splitLines } from '../report/fingerprint.js';
import type { ScanFinding, ScanResult, SkippedFile } from './types.js';
import { inShard, type Shard } from './shard.js';
import { cacheSnapshot, limitHeapGrowth } from './heap.js';

export interface ScanFilesOptions {
  cwd: string;
  /** Project root for repo-relative paths and fingerprints; default git top level, else cwd. */
  root?: string;
  source: FileSource;
  /** Files to scan; default `source.list()`. */
  files?: DiscoveredFile[];
  /** Skipped while listing (merged into the result). */
  listSkipped?: SkippedFile[];
  /**
   * The rules, or a loader called only when some file names SoundCloud (loading the rules loads
   * the parser: trees without SoundCloud code never pay for it).
   */
  rules: readonly ScRule[] | (() => Promise<readonly ScRule[]>);
  severities?: Record<string, Severity>;
  maxFileSize?: number;
  /** `--no-ignore`: minified content is analysed too. */
  noIgnore?: boolean;
  /** Threads for analysis (1 = main thread only). Default: all cores. */
  jobs?: number;
  workerThreshold?: number;
  /**
   * Where workers load the rules from (`--rules-module`); `null` means the rules are not
   * loadable by module (e.g. built in a test), so no workers. Default: the built-in rules.
   */
  rulesModule?: string | null;
  /** Reporters get rule docs (SARIF help.markdown). */
  withDocs?: boolean;
  /** Findings keep their node and parse (Finding.handle): analysis stays in this thread. */
  keepNodes?: boolean;
  /** Called as files are read and analysed (the CLI's progress line). */
  progress?: (p: ScanProgress) => void;
  /** `--shard i/n`: report on this shard's files only (the whole tree still feeds the gate and project facts). */
  shard?: Shard;
}

/** Candidates from which a scan limits heap growth (a few hundred files parse in well under a second: nothing to gain). */
const HEAP_TUNING_FILES = 200;
/** Files a large scan analyses before its code cache is made (heap.ts cacheSnapshot). */
const CACHE_SNAPSHOT_FILES = 64;

export interface ScanProgress { phase: 'read' | 'analyse'; done: number; total: number }

/**
 * Bytes of candidate files kept from the first pass (beyond it they are read again later). Kept
 * at 32 MiB: with 4 MiB the dense real corpus (20 MiB) read again cost 150-500 ms of a scan and no
 * measurable peak RSS (the peak comes late in the analysis, when the buffers are long gone).
 */
const KEEP_BYTES = 32 * 1024 * 1024;

/** Reads, prefilters and analyses files. */
export async function scanFiles(opts: ScanFilesOptions): Promise<ScanResult> {
  const started = performance.now();
  const timing = timingEnabled();
  // Since the process started: loading the CLI, the config, the rules when eager.
  if (timing) addPhase('start-up', started);
  const cwd = resolve(opts.cwd);
  const root = opts.root ?? findRepoRoot(cwd) ?? cwd;
  const maxSize = opts.maxFileSize ?? DEFAULT_MAX_FILE_SIZE;
  let files = opts.files;
  const skipped: SkippedFile[] = [...(opts.listSkipped ?? [])];
  const recovered: SkippedFile[] = [];
  let ignored: SkippedFile[] | undefined;
  let envFiles: string[] | undefined;
  let foreign: DiscoveredFile[] | undefined;
  if (!files) {
    const listed = timed('discovery', () => opts.source.list());
    files = listed.files;
    skipped.push(...listed.skipped);
    ignored = listed.ignored;
    envFiles = listed.envFiles;
    foreign = listed.foreign;
  }
  // Env files naming a SoundCloud host (`API_END_POINT=https://api.soundcloud.com` in .env.example):
  // a file reading such a variable is a candidate as if it named the host (engine/env-files.ts).
  const envList = envFiles ?? envFilesIn(root);
  // (read once for both facts: vercel.json and netlify.toml set variables and rewrite paths)
  const envTexts = new Map<string, string | undefined>();
  const readEnvFile = (p: string): string | undefined => {
    if (!envTexts.has(p)) { let t: string | undefined; try { t = opts.source.readText(p); } catch { t = undefined; } envTexts.set(p, t); }
    return envTexts.get(p);
  };
  const envHosts = timed('prefilter', () => readEnvHosts(envList, readEnvFile));
  const envRe = envTrigger(envHosts);
  // Hosting rewrites of the app's paths to SoundCloud (vercel.json, netlify): engine/proxy-routes.ts
  const proxyRoutes = timed('prefilter', () => readProxyRoutes(envList, readEnvFile));
  envTexts.clear();
  // A Create React App whose dev server proxies to SoundCloud (or a host's rewrites that do): its
  // relative request URLs are SoundCloud's, so the files with URL-credential words are candidates
  // as in a tree naming it.
  // (a reader may throw on a file that is not there: an injected one, the staged source)
  let proxiedToSc = proxyRoutes.size > 0 || devProxyTextIsSc((() => { try { return opts.source.readText(join(root, 'package.json')); } catch { return undefined; } })());
  // (built when some file names SoundCloud: a tree without SoundCloud code never needs them)
  let byPath: Map<string, DiscoveredFile> | undefined;
  const mine = (abs: string) => inShard(toPosixRelative(root, abs), opts.shard);
  // CoffeeScript sources that name SoundCloud: the engine does not read them, so every format warns
  // (unless the JavaScript compiled from them sits beside them, and is scanned)
  if (foreign?.length) {
    const listedPaths = new Set(files.map((f) => f.path));
    for (const f of foreign) {
      if (!mine(f.path) || listedPaths.has(f.path.replace(FOREIGN_SOURCE_RE, '.js'))) continue;
      const r = opts.source.read(f.path, maxSize);
      if (r.ok && mentionsSoundCloud(r.buf.toString('latin1'))) skipped.push({ file: f.file, reason: FOREIGN_REASON, soundcloud: true });
    }
  }

  // 1. Read as Buffers, one at a time; cheap content checks; the text prefilter on a latin1 view
  //    (ASCII triggers, no UTF-8 decoding, no parsing). Files naming SoundCloud keep their bytes
  //    (up to KEEP_BYTES in all); the others keep just their relative imports (for the
  //    transitive gate).
  //    Once enough files name SoundCloud for worker threads to pay, they are spawned right away,
  //    so their start-up overlaps the rest of the reading.
  const bufs = new Map<string, Buffer>();
  let keptBytes = 0;
  let direct = 0;
  const gate = new Map<string, GateFacts>();
  // Files read without a skip reason: flags by index in the first pass, the set of their paths
  // once analysis needs it (project context, workers).
  const readOk = new Uint8Array(files.length);
  let readCount = 0;
  let present: Set<string> | undefined;
  const jobs = opts.jobs ?? defaultJobs();
  const threshold = opts.workerThreshold ?? DEFAULT_WORKER_THRESHOLD;
  const poolable = jobs > 1 && opts.source.onDisk && opts.rulesModule !== null && !opts.keepNodes;
  let pool: AnalysisPool | undefined;
  const findings: ScanFinding[] = [];
  let suppressed = 0;
  let workersUsed = 0;
  const sources = new Map<string, string>();
  let analysed = 0;
  let gated = 0;
  let readMs = 0;
  let gateMs = 0;
  const deferred: string[] = [];
  // Files naming SoundCloud that may configure a proxy to it in code (vite.config.ts, setupProxy.js): parsed for routes once the engine loads
  const proxyCode: string[] = [];

  let rules: readonly ScRule[] = typeof opts.rules === 'function' ? [] : opts.rules;
  // Bytes looked at and let go (most files) come through one reused buffer; kept ones are copied.
  const peek = opts.source.readTransient ?? opts.source.read;
  // The first pass: each file's bytes as a latin1 string, or its skip reason (read.ts).
  const peekText = opts.source.peekLatin1 ?? latin1Peek(peek);
  try {
    for (let i = 0; i < files.length; i++) {
      const f = files[i]!;
      opts.progress?.({ phase: 'read', done: i, total: files.length });
      const t0 = timing ? performance.now() : 0;
      const text = peekText(f.path, maxSize);
      const t1 = timing ? performance.now() : 0;
      if (timing) readMs += t1 - t0;
      if (typeof text !== 'string') { skipped.push({ file: f.file, reason: text.reason }); continue; }
      readOk[i] = 1;
      readCount++;
      // Until a file names SoundCloud, the other gate facts (imports, credential words) may never
      // be needed (a tree without SoundCloud code): files before the first hit are looked at
      // again only if one comes.
      if (!direct && !proxiedToSc && !mentionsSoundCloud(text) && !envRe?.test(text)) {
        deferred.push(f.path);
        if (timing) gateMs += performance.now() - t1;
        continue;
      }
      const g = gateFacts(text, f.path, envRe);
      if (g.direct) {
        direct++;
        if (mayProxyToSc(text)) proxyCode.push(f.path);
        if (keptBytes + text.length <= KEEP_BYTES) { bufs.set(f.path, Buffer.from(text, 'latin1')); keptBytes += text.length; }
        if (poolable && !pool && direct > threshold) {
          pool = new AnalysisPool(Math.min(jobs - 1, Math.ceil(files.length / threshold)), { cwd, ...(opts.rulesModule ? { rulesModule: opts.rulesModule } : {}) });
        }
      }
      if (g.direct || g.weak || g.imports.length || g.scripts) gate.set(f.path, g);
      if (timing) gateMs += performance.now() - t1;
    }
    if (direct || proxiedToSc) {
      for (const p of deferred) {
        const t0 = timing ? performance.now() : 0;
        const r = peek(p, maxSize);
        const t1 = timing ? performance.now() : 0;
        if (timing) readMs += t1 - t0;
        if (!r.ok) continue;
        const g = gateFacts(r.buf.toString('latin1'), p, envRe);
        if (g.weak || g.imports.length || g.scripts) gate.set(p, g);
        if (timing) gateMs += performance.now() - t1;
      }
    }
    deferred.length = 0;
    addPhase('read', readMs);
    addPhase('prefilter', gateMs);
    if (direct || proxiedToSc) {
      present = new Set(files.filter((_, i) => readOk[i]).map((f) => f.path));
      byPath = new Map(files.map((f) => [f.path, f]));
      const engine = await timed('load engine', loadEngine);
      if (typeof opts.rules === 'function') rules = await timed('load engine', opts.rules);
      const beforeExit = await timingHook();
      const resolver = engine.createProjectContext({ root, read: () => undefined, exists: (p) => present!.has(p) });
      // Dev-server and server proxies to SoundCloud written in code join the hosting rewrites (engine/dev-proxy.ts)
      if (proxyCode.length) {
        timed('prefilter', () => engine.addCodeRoutes(proxyRoutes, proxyCode, root, (p) => { const b = bufs.get(p); return b ? decodeUtf8(b) : opts.source.readText(p); }, (p, text) => engine.parseFile(text, p).ast));
        proxiedToSc ||= proxyRoutes.size > 0;
      }
      // 2. The transitive gate: files importing (through other files) a file that names SoundCloud,
      //    and files with URL-credential words once the tree talks to SoundCloud.
      // (`--shard`: the whole tree feeds the gate; only this shard's candidates are analysed.)
      const pages = timed('prefilter', () => pageGroups(gate, (page, src) => pageScriptFile(root, page, src, present!)));
      // (the candidates that name SoundCloud or import such code: selectCandidates's `linked`)
      const scLinked = new Set<string>();
      const candidates = timed('prefilter', () => [...selectCandidates(gate, (from, spec) => resolver.resolveImport(from, spec), pages, proxiedToSc, scLinked)].sort()).filter(mine);
      // For the rule gates below, each script of a page is linked to the page and its other
      // scripts like an import: they share their globals.
      const pageMates = new Map<string, string[]>();
      for (const members of pages) for (const m of members) (pageMates.get(m) ?? pageMates.set(m, []).get(m)!).push(...members.filter((x) => x !== m));
      gate.clear();

      // 3. Strict decoding and the minified check, for candidates only.
      const known = new Map<string, string>();
      // Rule gates: a candidate is parsed when it has a word of some rule (passesGates) or imports
      // (or shares a page with), through files of the tree, one that has (a request whose key fragment is a config module's
      // constant reports where the request is). `cut`: the answer met a file already on the path.
      // SC_MIGRATE_GATES=0 parses every candidate (to check a gate change against a scan without them).
      const gates = process.env.SC_MIGRATE_GATES !== '0';
      const worded = new Map<string, boolean>();
      const wordsIn = (p: string, text: string | undefined, path: Set<string>): { yes: boolean; cut: boolean } => {
        const memo = worded.get(p);
        if (memo !== undefined) return { yes: memo, cut: false };
        if (text === undefined) {
          const b = bufs.get(p);
          if (b) text = b.toString('latin1');
          else { const r = peek(p, maxSize); if (!r.ok) { worded.set(p, false); return { yes: false, cut: false }; } text = r.buf.toString('latin1'); }
        }
        if (passesGates(text, rules)) { worded.set(p, true); return { yes: true, cut: false }; }
        let cut = false;
        path.add(p);
        const linked = relativeSpecifiers(text).map((spec) => resolver.resolveImport(p, spec));
        for (const q of pageMates.has(p) ? [...linked, ...pageMates.get(p)!] : linked) {
          if (!q || !present!.has(q)) continue;
          if (path.has(q)) { cut = true; continue; }
          const r = wordsIn(q, undefined, path);
          if (r.yes) { path.delete(p); worded.set(p, true); return r; }
          cut ||= r.cut;
        }
        path.delete(p);
        if (!cut) worded.set(p, false);
        return { yes: false, cut };
      };
      // A candidate that could not be analysed: a warning when it names SoundCloud or imports such code.
      const skip = (p: string, reason: string, warn = true): void => { skipped.push({ file: byPath!.get(p)!.file, reason, soundcloud: warn && scLinked.has(p) }); };
      const decode = (p: string): AnalyseInput | undefined => {
        const t0 = timing ? performance.now() : 0;
        const f = byPath!.get(p)!;
        let buf = bufs.get(p);
        if (buf) bufs.delete(p);
        else { const r = peek(p, maxSize); buf = r.ok ? r.buf : undefined; } // decoded right away
        const text = buf && decodeUtf8(buf);
        let input: AnalyseInput | undefined;
        if (text === undefined) skip(p, 'invalid UTF-8');
        // None of the words any enabled rule needs (rule gates): no rule can report here, no parse.
        else if (gates && !wordsIn(p, text, new Set()).yes) gated++;
        else if (!opts.noIgnore && looksMinified(text)) skip(p, 'minified (very long lines; --no-ignore to scan it)');
        else if (!opts.noIgnore && looksBundled(text)) skip(p, 'bundler output (webpack/Parcel/browserify/r.js; --no-ignore to scan it)');
        // third-party code of a known kind: the pages that load it are reported (no-deprecated-sdk), not its own lines
        else if (!opts.noIgnore && isSdkCopy(text)) skip(p, "a copy of SoundCloud's connect SDK (vendored; the pages that load it are reported; --no-ignore to scan it)", false);
        // (no rule reports the pages that load this one: the skip is a warning, saying what to do)
        else if (!opts.noIgnore && isCustomPlayerCopy(text)) skip(p, "a copy of SoundCloud's Custom Player jQuery plugin (vendored; it resolves and streams with ?consumer_key= alone, which SoundCloud refuses: replace it with the widget or your own player on sc-migrate/runtime; --no-ignore to scan it)");
        else input = { path: p, file: f.file, text };
        if (timing) addPhase('read', performance.now() - t0);
        return input;
      };
      // 5. Fingerprints and sources of files with findings.
      const collect = (out: AnalyseOutput, text: string) => {
        const f = byPath!.get(out.path)!;
        if (!out.ok) { skip(out.path, out.reason); return; }
        if (out.recovered) recovered.push({ file: f.file, reason: out.recovered });
        suppressed += out.suppressed;
        if (!out.findings.length) return;
        const t0 = timing ? performance.now() : 0;
        sources.set(out.path, text);
        const repoPath = toPosixRelative(root, out.path);
        const fps = fingerprintFile(out.findings, repoPath, splitLines(text));
        out.findings.forEach((fd: Finding, i) => findings.push(keepHandle({ ...fd, path: out.path, repoPath, fingerprint: fps[i]! }, fd)));
        if (timing) addPhase('report', performance.now() - t0);
      };

      // 4. Analysis.
      const main = createAnalyser(engine, {
        root, cwd, rules, ...(opts.severities ? { severities: opts.severities } : {}),
        // A module the project reads that is a candidate still to come is in `bufs` (its bytes, checked
        // by the first pass): decoded from there, not read from disk again (dense corpus: 4,364 of
        // the project's 5,316 reads).
        readText: (p) => { const b = bufs.get(p); return b ? decodeUtf8(b) : opts.source.readText(p); },
        exists: opts.source.exists, known,
        files: () => [...present!],
        ...(opts.keepNodes ? { keepNodes: true } : {}),
        ...(beforeExit ? { beforeExit } : {}),
      });
      main.project.cache.set(ENV_HOSTS_KEY, envHosts);
      main.project.cache.set(PROXY_ROUTES_KEY, proxyRoutes);
      // A large scan: its peak RSS would be set by garbage (src/scan/heap.ts).
      const large = candidates.length > HEAP_TUNING_FILES;
      if (large) { limitHeapGrowth(); engine.preferRawTransfer(); }
      if (poolable && !pool && candidates.length > threshold) {
        pool = new AnalysisPool(Math.min(jobs - 1, Math.ceil(candidates.length / threshold)), { cwd, ...(opts.rulesModule ? { rulesModule: opts.rulesModule } : {}) });
      }
      if (pool && candidates.length > threshold) {
        workersUsed = pool.size;
        // Project-wide facts once, here, for every thread (workers would each read the whole tree).
        const pf = await import('../engine/analysis/facts.js');
        const pr = await import('../engine/analysis/project-facts.js');
        pf.projectMentionsSoundCloud(main.project);
        pr.projectRenewsTokens(main.project);
        const cache = ['project-sc', 'renews', ENV_HOSTS_KEY, PROXY_ROUTES_KEY].filter((k) => main.project.cache.has(k)).map((k): [string, unknown] => [k, main.project.cache.get(k)]);
        // Texts are decoded as batches are taken and dropped once their findings are collected.
        await pool.run(candidates, {
          root,
          ruleIds: rules.map((r) => r.meta.docs.scMigrate.id),
          severities: opts.severities ?? {},
          maxFileSize: maxSize,
          files: [...present!],
          cache,
        }, main, {
          decode: (p) => { const input = decode(p); if (input && ++analysed === CACHE_SNAPSHOT_FILES && large) cacheSnapshot(); return input; },
          output: (out, input) => { collect(out, input.text); known.delete(input.path); },
        });
        // The same order as a single-threaded scan: findings by the final sort (stable: a file's
        // findings keep their order), sources by candidate.
        const bySource = new Map(sources);
        sources.clear();
        for (const p of candidates) { const t = bySource.get(p); if (t !== undefined) sources.set(p, t); }
      } else {
        // One file at a time: decode, analyse, fingerprint, drop.
        for (const [n, p] of candidates.entries()) {
          const input = decode(p);
          if (!input) continue;
          opts.progress?.({ phase: 'analyse', done: n, total: candidates.length });
          collect(main.analyse(input), input.text);
          if (++analysed === CACHE_SNAPSHOT_FILES && large) cacheSnapshot();
          known.delete(p);
        }
      }
    }
  } finally {
    await pool?.close();
  }
  countGated(gated);
  findings.sort(compareFindings);
  if (opts.shard) skipped.splice(0, skipped.length, ...skipped.filter((k) => mine(resolve(cwd, k.file))));
  skipped.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  recovered.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  const ruleInfos = rules.map((r) => ruleInfo(r, opts.severities, opts.withDocs));
  return {
    findings,
    skipped,
    rules: ruleInfos,
    sources,
    cwd,
    root,
    ...(opts.shard ? { shard: opts.shard } : {}),
    ...(ignored ? { ignored } : {}),
    ...(recovered.length ? { recovered } : {}),
    stats: {
      files: opts.shard ? files.filter((f) => mine(f.path)).length : files.length,
      read: opts.shard ? files.filter((f, i) => readOk[i] && mine(f.path)).length : readCount,
      analysed,
      skipped: skipped.length,
      findings: findings.length,
      errors: findings.filter((f) => f.severity === 'error').length,
      warnings: findings.filter((f) => f.severity === 'warning').length,
      suppressed,
      baselined: 0,
      unchanged: 0,
      workers: workersUsed,
      durationMs: performance.now() - started,
    },
  };
}

export function compareFindings(a: ScanFinding, b: ScanFinding): number {
  return (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) || a.line - b.line || a.column - b.column || a.ruleId.localeCompare(b.ruleId);
}

/** Replaces the findings of a result (after a filter) and recounts. */
export function withFindings(result: ScanResult, findings: ScanFinding[], extra: Partial<ScanResult['stats']> = {}): ScanResult {
  return {
    ...result,
    findings,
    stats: {
      ...result.stats,
      ...extra,
      findings: findings.length,
      errors: findings.filter((f) => f.severity === 'error').length,
      warnings: findings.filter((f) => f.severity === 'warning').length,
    },
  };
}
