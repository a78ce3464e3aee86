#!/usr/bin/env node
/**
 * `npm run eval:fix [-- --json] [-- --keep] [-- --token-endpoint=<url>] [-- <sc-migrate checkout>]`: `sc-migrate fix` on real code.
 * For every tree in $SC_EVAL_TREES (laid out by ../shared/eval/prepare.sh): copy it into a
 * temporary git repository, run `fix`, then check that every changed file parses, every added
 * relative import resolves (and never to the file itself), every added package import is in the
 * nearest package.json, no lockfile changed, a second run changes nothing, and `scan` afterwards
 * reports every remaining finding as marked, and the changed TypeScript files have no type error
 * they did not have before (scripts/eval-fix-types.mjs). Prints one table row per repository.
 * Needs a build (`npm run build`): it runs bin/sc-migrate.js and the built parser. Not part of `npm test`.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const args = process.argv.slice(2);
const json = args.includes('--json');
const keep = args.includes('--keep');
// `--token-endpoint=https://...`: handed to both fix runs (phone and desktop apps can then take the browser rewrite)
const tokenEndpoint = args.find((a) => a.startsWith('--token-endpoint='))?.slice('--token-endpoint='.length);
const fixArgs = tokenEndpoint ? ['--token-endpoint', tokenEndpoint] : [];
const root = resolve(args.find((a) => !a.startsWith('--')) ?? join(dirname(fileURLToPath(import.meta.url)), '..'));
const bin = join(root, 'bin', 'sc-migrate.js');
const treesDir = process.env.SC_EVAL_TREES ?? join(tmpdir(), 'sc-migrate-eval');
if (!existsSync(join(root, 'dist', 'src', 'engine', 'parse.js'))) { console.error(`eval:fix: no build in ${root} (npm run build)`); process.exit(2); }
if (!existsSync(treesDir)) { console.error(`eval:fix: no trees in ${treesDir} (set SC_EVAL_TREES; see ../shared/eval/README.md)`); process.exit(2); }
const { parseFile, languageOf } = await import(pathToFileURL(join(root, 'dist', 'src', 'engine', 'parse.js')).href);
/** Neither text parses as it is, and both read after the same repair (of their end, or of their :: bind operators). */
function sameRepair(before, after, abs) {
  const repair = (t) => { try { parseFile(t.replace(/^\uFEFF/, ''), abs); return undefined; } catch { try { const r = parseFile(t.replace(/^\uFEFF/, ''), abs, undefined, { recover: true }).extras.recovered; return r && `${r.bind ? 'bind' : 'end'}:${r.appended}`; } catch { return undefined; } } };
  const was = before && repair(before);
  return !!was && repair(after) === was;
}

/** The working tree's changes (`-z`: names as they are, not quoted when they hold spaces or non-ASCII). */
const changedFiles = (dir) => git(dir, 'status', '--porcelain', '-z', '--untracked-files=all').split('\0').filter(Boolean).map((l) => ({ code: l.slice(0, 2), file: l.slice(3) }));
const run = (cmd, argv, cwd) => spawnSync(cmd, argv, { cwd, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
const git = (cwd, ...a) => execFileSync('git', a, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
const sc = (cwd, ...a) => {
  const r = run(process.execPath, [bin, ...a], cwd);
  try { return JSON.parse(r.stdout); } catch { throw new Error(`sc-migrate ${a.join(' ')} in ${cwd}: exit ${r.status}\n${r.stderr.slice(0, 2000)}`); }
};
const scan = (cwd) => sc(cwd, 'scan', '.', '--format', 'json', '--fail-on', 'none', '-j', '1').findings;

const { statementLine } = await import(pathToFileURL(join(root, 'dist', 'src', 'engine', 'markers.js')).href);
const { addedImports, hasDependency, isBuiltin, nearestPackageJson, packageOf, resolveRelative } = await import(pathToFileURL(join(root, 'dist', 'src', 'fix', 'safety.js')).href);
const { addedTypeErrors } = await import('./eval-fix-types.mjs');
const { allRules } = await import(pathToFileURL(join(root, 'dist', 'rules', 'index.js')).href);
/** Rules whose fix kind is auto or suggest: the measure of sessions 1-9 (per rule), printed beside the per-finding one. */
const REWRITABLE = new Set(allRules.filter((r) => r.meta.docs.scMigrate.fixKind !== 'manual').map((r) => r.meta.docs.scMigrate.id));
const META = new Map(allRules.map((r) => [r.meta.docs.scMigrate.id, r.meta.docs.scMigrate]));
/**
 * The finding's own fix kind: its message's (rule meta `fixKinds`: the client_id of a private API
 * request is manual, it has no supported migration), else its rule's. Read from the message id,
 * not from `fix.kind`, which a marker turns into manual. The issue's measure counts by it.
 */
const ownKind = (f) => { const m = META.get(f.ruleId); return m?.fixKinds?.[f.messageId] ?? m?.fixKind ?? 'manual'; };
const rewritable = (f) => ownKind(f) !== 'manual';
const countBy = (fs) => fs.reduce((m, f) => m.set(f.ruleId, (m.get(f.ruleId) ?? 0) + 1), new Map());
const LOCKFILES = /(^|\/)(package-lock\.json|npm-shrinkwrap\.json|yarn\.lock|pnpm-lock\.yaml|bun\.lockb?)$/;

/**
 * The distinct root causes of the findings left (src/engine/markers.ts): a finding's origin when
 * it has one (the private API's host literal, the declaration its client_id comes from), else its
 * own statement (a literal credential: itself); per rule, except the client_id of a private API
 * request, whose root cause is the private API's.
 */
function rootCauses(dir, findings) {
  const parsed = new Map();
  const keys = new Set();
  for (const f of findings) {
    const rule = f.ruleId === 'no-client-id-auth' && f.origin?.kind === 'private-api' ? 'no-private-api-v2' : f.ruleId;
    if (f.origin) { keys.add(`${f.origin.file}:${f.origin.line}|${rule}`); continue; }
    // a literal credential is its own root cause (two secrets of one config object are two to rotate)
    if (rule === 'no-hardcoded-credentials') { keys.add(`${f.file}:${f.line}:${f.column}|${rule}`); continue; }
    const abs = join(dir, f.file);
    if (!parsed.has(abs)) {
      const text = readFileSync(abs, 'utf8').replace(/^\uFEFF/, '');
      let ast;
      try { ast = parseFile(text, abs).ast; } catch { ast = undefined; }
      parsed.set(abs, { ast, starts: text.split('\n').reduce((a, l) => (a.push(a[a.length - 1] + l.length + 1), a), [0]) });
    }
    const { ast, starts } = parsed.get(abs);
    const line = ast ? statementLine(ast, starts[f.line - 1] + f.column - 1, f.line) : f.line;
    keys.add(`${f.file}:${line}|${rule}`);
  }
  return keys;
}

function evalTree(name) {
  const dir = mkdtempSync(join(tmpdir(), `sc-evalfix-${name.replace(/[^\w.-]/g, '_')}-`));
  const row = { repo: name, before: 0, rewrites: 0, rwBefore: 0, rwDone: 0, ruleBefore: 0, ruleDone: 0, byRule: {}, markers: 0, rootCauses: 0, left: 0, unmarked: 0, broken: 0, typeErrors: 0, failed: 0, changed: 0, created: 0, problems: [] };
  try {
    cpSync(join(treesDir, name), dir, { recursive: true, filter: (s) => !/(^|\/)(\.git|node_modules)$/.test(s) });
    git(dir, 'init', '-q', '.');
    git(dir, 'add', '-A');
    git(dir, '-c', 'user.email=eval@sc-migrate', '-c', 'user.name=eval', '-c', 'commit.gpgsign=false', 'commit', '-qm', 'tree', '--allow-empty');
    const first = scan(dir);
    row.before = first.length;
    row.rwBefore = first.filter(rewritable).length;
    row.ruleBefore = first.filter((f) => REWRITABLE.has(f.ruleId)).length;
    const fixed = sc(dir, 'fix', '.', '--format', 'json', '-j', '1', ...fixArgs);
    row.markers = fixed.summary.markers;
    row.failed = fixed.summary.failed;
    row.created = fixed.summary.created;
    row.notes = fixed.results.flatMap((r) => (r.notes ?? []).map((n) => `${r.file}: ${n}`));
    for (const r of fixed.results) if (r.status === 'failed') row.problems.push(`fix failed: ${r.file}: ${String(r.error).split('\n')[0].slice(0, 160)}`);
    const status = changedFiles(dir);
    row.changed = status.length;
    const brokenFiles = new Set();
    const typeChecked = [];
    for (const { code, file } of status) {
      const abs = join(dir, file);
      if (LOCKFILES.test(file)) { brokenFiles.add(file); row.problems.push(`lockfile changed: ${file}`); continue; }
      if (code.includes('D')) { brokenFiles.add(file); row.problems.push(`deleted: ${file}`); continue; }
      const after = readFileSync(abs, 'utf8');
      const before = code === '??' ? '' : git(dir, 'show', `HEAD:${file}`);
      if (/(^|\/)package\.json$/.test(file)) {
        try { JSON.parse(after); } catch (e) { brokenFiles.add(file); row.problems.push(`package.json does not parse: ${file}`); }
        continue;
      }
      if (!languageOf(abs)) continue;
      try { parseFile(after.replace(/^\uFEFF/, ''), abs); } catch (e) {
        // a file that did not parse before either (its end lacks closing brackets): fix only marks it, and it
        // must still read with exactly the same end repair (src/engine/parse.ts, recover)
        if (!sameRepair(before, after, abs)) { brokenFiles.add(file); row.problems.push(`does not parse: ${file}: ${String(e.message).split('\n')[0].slice(0, 120)}`); }
        continue;
      }
      typeChecked.push({ abs, before, after });
      for (const spec of addedImports(before, after)) {
        if (spec.startsWith('.')) {
          const to = resolveRelative(abs, spec);
          if (!to) { brokenFiles.add(file); row.problems.push(`unresolved import '${spec}' in ${file}`); }
          else if (to === abs) { brokenFiles.add(file); row.problems.push(`imports itself: '${spec}' in ${file}`); }
        } else if (!isBuiltin(spec) && !/^[a-z]+:/.test(spec)) {
          const pkg = nearestPackageJson(abs, dir);
          if (!pkg || !hasDependency(readFileSync(pkg, 'utf8'), packageOf(spec))) { brokenFiles.add(file); row.problems.push(`'${packageOf(spec)}' (imported by ${file}) is not in ${pkg ? pkg.slice(dir.length + 1) : 'any package.json'}`); }
        }
      }
    }
    for (const { file, added } of addedTypeErrors(root, dir, typeChecked)) {
      const rel = file.slice(dir.length + 1);
      brokenFiles.add(rel);
      row.typeErrors += added.length;
      for (const m of added.slice(0, 3)) row.problems.push(`new type error in ${rel}: ${m.slice(0, 160)}`);
    }
    row.broken = brokenFiles.size;
    git(dir, 'add', '-A');
    git(dir, '-c', 'user.email=eval@sc-migrate', '-c', 'user.name=eval', '-c', 'commit.gpgsign=false', 'commit', '-qm', 'fix', '--allow-empty');
    const second = sc(dir, 'fix', '.', '--format', 'json', '-j', '1', ...fixArgs);
    const again = changedFiles(dir);
    if (again.length) row.problems.push(`second run changed ${again.length} file(s): ${again.slice(0, 3).map((c) => c.file).join(', ')}`);
    row.secondRun = again.length;
    if (second.summary.markers) row.problems.push(`second run added ${second.summary.markers} marker(s)`);
    git(dir, 'checkout', '-q', '--', '.');
    git(dir, 'clean', '-qfd');
    const after = scan(dir);
    row.left = after.length;
    row.unmarked = after.filter((f) => !f.fix?.marked).length;
    for (const f of after.filter((x) => !x.fix?.marked).slice(0, 5)) row.problems.push(`unmarked: ${f.ruleId} ${f.file}:${f.line}`);
    if (fixed.summary.left !== row.left) row.problems.push(`fix summary says ${fixed.summary.left} left, scan reports ${row.left}`);
    row.rootCauses = rootCauses(dir, after).size;
    if (row.markers > row.rootCauses) row.problems.push(`${row.markers} markers for ${row.rootCauses} root causes`);
    row.rewrites = row.before - row.left;
    row.rwDone = row.rwBefore - after.filter(rewritable).length;
    row.ruleDone = row.ruleBefore - after.filter((f) => REWRITABLE.has(f.ruleId)).length;
    const b = countBy(first); const a = countBy(after);
    const own = countBy(first.filter((f) => REWRITABLE.has(f.ruleId) && !rewritable(f)));
    for (const [k, v] of b) row.byRule[k] = { before: v, left: a.get(k) ?? 0, manual: own.get(k) ?? 0 };
  } catch (e) {
    row.problems.push(`error: ${String(e.message).split('\n').slice(0, 3).join(' | ')}`);
    row.error = true;
  } finally {
    if (!keep) rmSync(dir, { recursive: true, force: true }); else row.dir = dir;
  }
  return row;
}

const names = readdirSync(treesDir, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort();
const rows = names.map((n) => { const r = evalTree(n); if (!json) process.stderr.write(`${n}: done\n`); return r; });
const total = rows.reduce((t, r) => { for (const k of ['before', 'rewrites', 'rwBefore', 'rwDone', 'ruleBefore', 'ruleDone', 'markers', 'rootCauses', 'left', 'unmarked', 'broken', 'typeErrors', 'failed']) t[k] += r[k]; return t; }, { repo: '**total**', before: 0, rewrites: 0, rwBefore: 0, rwDone: 0, ruleBefore: 0, ruleDone: 0, markers: 0, rootCauses: 0, left: 0, unmarked: 0, broken: 0, typeErrors: 0, failed: 0 });
if (json) { console.log(JSON.stringify({ rows, total }, null, 2)); }
else {
  const cols = [['repo', 'repository'], ['before', 'findings before'], ['rewrites', 'rewrites'], ['rwShare', 'auto+suggest rewritten'], ['markers', 'markers'], ['rootCauses', 'root causes left'], ['left', 'findings left'], ['unmarked', 'left unmarked'], ['broken', 'broken files'], ['typeErrors', 'new type errors'], ['failed', 'fix failed']];
  console.log(`| ${cols.map((c) => c[1]).join(' | ')} |`);
  console.log(`|${cols.map((c, i) => (i ? '---:' : '---')).join('|')}|`);
  for (const r of [...rows, total]) r.rwShare = `${r.rwDone}/${r.rwBefore}`;
  for (const r of [...rows, total]) console.log(`| ${cols.map(([k]) => r[k]).join(' | ')} |`);
  const probs = rows.filter((r) => r.problems.length);
  if (probs.length) {
    console.log('\nProblems:');
    for (const r of probs) for (const p of r.problems) console.log(`- ${r.repo}: ${p}`);
  }
  const noted = rows.filter((r) => r.notes?.length);
  if (noted.length) {
    console.log('\nNotes of fix (no edit):');
    for (const r of noted) for (const n of r.notes) console.log(`- ${r.repo}: ${n}`);
  }
  const byRule = new Map();
  for (const r of rows) for (const [k, v] of Object.entries(r.byRule)) { const t = byRule.get(k) ?? { before: 0, left: 0, manual: 0 }; t.before += v.before; t.left += v.left; t.manual += v.manual; byRule.set(k, t); }
  console.log(`\nper rule (rewritten/before): ${[...byRule].sort().map(([k, v]) => `${k}${REWRITABLE.has(k) ? '' : ' (manual)'} ${v.before - v.left}/${v.before}${v.manual ? ` (${v.manual} manual by their own kind)` : ''}`).join('; ')}`);
  const pct = (done, of) => (of ? Math.round((100 * done) / of) : 0);
  console.log(`auto+suggest findings (each finding's own fix kind): ${total.rwDone} of ${total.rwBefore} resolved by a rewrite (${pct(total.rwDone, total.rwBefore)}%)`);
  console.log(`auto+suggest rules (each rule's fix kind, the measure before session 10): ${total.ruleDone} of ${total.ruleBefore} (${pct(total.ruleDone, total.ruleBefore)}%); `
    + `the ${total.ruleBefore - total.rwBefore} finding(s) between the two are manual by their own kind (api-v2 requests: no supported migration; credentials in browser code: a server, by a person)`);
  console.log(`markers ${total.markers} for ${total.rootCauses} root causes of the ${total.left} findings left (${total.markers <= total.rootCauses ? 'at most one marker per root cause' : 'MORE markers than root causes'})`);
  console.log(`\n"auto+suggest rewritten" counts each finding by its own fix kind (its message's, rule meta fixKinds; docs/fix.md);`);
  console.log(`"rewrites" = findings before - findings left (resolved by a rewrite); markers are counted by fix (one comment, also one naming two rules, is one marker);`);
  console.log(`"root causes left" = distinct origins of the findings left (the declaration or private API literal they come from, else their statement; per rule).`);
}
process.exitCode = rows.some((r) => r.broken || r.error || r.unmarked || r.secondRun || r.markers > r.rootCauses) ? 1 : 0;
