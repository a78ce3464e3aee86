#!/usr/bin/env node
// `npm run bench`: `sc-migrate scan` side by side with ripgrep and with a bare single-threaded
// `typescript.createSourceFile` parse of the same files (bench/ts-parse.mjs), in one run,
// interleaved (scan, rg, parse, scan, rg, parse...) so that all three share the machine's load:
//   (a) a dense corpus of real SoundCloud client code (path in SC_BENCH_DENSE; built by
//       /work/shared/eval/prepare-dense.sh or the eval's prepare-dense.sh: every file is parsed),
//   (b) a large tree without SoundCloud code (payloadcms/payload; path in SC_BENCH_LARGE_TREE),
//   (c) the generated corpus (bench/gen-corpus.mjs, into a temporary folder of this run),
// then one file that grows (1 MB vs 5 MB of the same code) and the start-up of `scan --staged`
// on one staged file (the pre-commit path). The start-up and payload rows also measure Node's own
// floor (`node -e 0`) and run with and without NODE_EXTRA_CA_CERTS (see caVar below).
// Median of SC_BENCH_RUNS (default 5) runs: wall time, files/s, peak RSS (median and max), ratios. No assertions:
// the targets of issue 12 are printed as met / NOT met, with the load average of the machine.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, '..');
// SC_BENCH_BIN: another checkout's bin/sc-migrate.js (e.g. main, for a before/after table).
const bin = process.env.SC_BENCH_BIN ?? join(repo, 'bin/sc-migrate.js');
// SC_BENCH_BASE_BIN: a second checkout run interleaved with `bin` in the same loop (side by side
// under the same load): the table gets its wall and CPU time and the ratio.
const baseBin = process.env.SC_BENCH_BASE_BIN;
const RUNS = Number(process.env.SC_BENCH_RUNS ?? 5);
const CORPUS_FILES = Number(process.env.SC_BENCH_CORPUS_FILES ?? 5000);
// The command of issue 12.
const RG_ARGS = ['--hidden', '--no-ignore', '-l', '-e', 'soundcloud|client_id|oauth_token|grant_type', '-g', '*.{js,jsx,ts,tsx,mjs,cjs,mts,cts,vue,html}', '.'];
const SCAN_GLOB = '*.{js,jsx,ts,tsx,mjs,cjs,mts,cts,vue,html,htm}';
// Folders the scanner skips by default (src/scan/discover.ts): the bare parse skips them too.
const SKIP_DIR_RE = /(^|\/)(node_modules|bower_components|jspm_packages|vendor|web_modules|dist|build|out|coverage|\.nyc_output|lib-cov|\.next|\.nuxt|\.output|\.svelte-kit|\.vercel|\.netlify|\.turbo|\.cache|\.parcel-cache|\.yarn|\.pnpm-store|\.sc-migrate-cache|storybook-static|\.docusaurus|\.expo|\.angular)\//;
const MINIFIED_RE = /[.-]min\.[cm]?js$|\.bundle\.[cm]?js$|\.chunk\.[cm]?js$/i;

if (!existsSync(join(dirname(bin), '../dist/src/cli/main.js'))) {
  console.error('dist/ is missing: run `npm run build` first.');
  process.exit(2);
}
const hasTimeV = spawnSync('/usr/bin/time', ['-v', 'true']).status === 0;
const hasRg = spawnSync('rg', ['--version']).status === 0;
const load0 = loadavg();
// Node reads the file named by NODE_EXTRA_CA_CERTS at every process start (Node 20: about 0.1 s
// for a system bundle, in every run of every node process, ours or not). Some machines set it
// (this development machine does); users' rarely do. The start-up row and the payload row measure
// Node's own floor (`node -e 0`) and the scan both with the environment as it is and without that
// variable, interleaved; their targets are judged without it (what a user's machine sees), and the
// other is printed beside it.
const caVar = process.env.NODE_EXTRA_CA_CERTS;
const noCa = caVar === undefined ? undefined : { NODE_EXTRA_CA_CERTS: undefined };

/** process.env with `env` over it; a variable set to undefined is removed. */
function withEnv(env) {
  const out = { ...process.env, ...env };
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete out[k];
  return out;
}

/** Runs a command: wall seconds and peak RSS (KiB) of the process. */
function measure(cmd, args, cwd, env) {
  const opts = { cwd, encoding: 'utf8', maxBuffer: 1 << 30, ...(env ? { env: withEnv(env) } : {}) };
  const t0 = process.hrtime.bigint();
  let r;
  let rssKb;
  let cpu;
  if (hasTimeV) {
    r = spawnSync('/usr/bin/time', ['-v', cmd, ...args], opts);
    const m = /Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr);
    rssKb = m ? Number(m[1]) : undefined;
    // CPU seconds (user + system): steadier than wall time on a loaded machine.
    const u = /User time \(seconds\): ([\d.]+)/.exec(r.stderr);
    const sy = /System time \(seconds\): ([\d.]+)/.exec(r.stderr);
    if (u && sy) cpu = Number(u[1]) + Number(sy[1]);
  } else {
    // Fallback: a node child reports its child's resourceUsage (maxRSS of the largest child, KiB).
    const wrapper = `const {spawnSync}=require('child_process');const r=spawnSync(process.argv[1],process.argv.slice(2),{stdio:['ignore','pipe','pipe'],maxBuffer:1<<30});process.stdout.write(r.stdout);process.stderr.write(r.stderr);process.stderr.write('\\nMAXRSS '+process.resourceUsage().maxRSS+'\\n');process.exit(r.status??1)`;
    r = spawnSync(process.execPath, ['-e', wrapper, cmd, ...args], opts);
    const m = /MAXRSS (\d+)/.exec(r.stderr);
    rssKb = m ? Number(m[1]) : undefined;
  }
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  return { wall, rssKb, cpu, status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** The files the scanner lists: rg --files honours .gitignore like discovery does. */
function listFiles(tree) {
  if (!hasRg) return undefined;
  const r = spawnSync('rg', ['--files', '--no-require-git', '-g', SCAN_GLOB, '.'], { cwd: tree, encoding: 'utf8', maxBuffer: 1 << 30 });
  return r.stdout.split('\n').filter((f) => f && !SKIP_DIR_RE.test(f.slice(2)) && !MINIFIED_RE.test(f)).map((f) => join(tree, f));
}

const scanArgs = (extra = [], b = bin) => [b, 'scan', '.', '--format', 'json', '--fail-on', 'none', ...extra];

/** `floors`: also the scan (and base) without NODE_EXTRA_CA_CERTS, and `node -e 0` both ways. */
function bench(name, tree, floors = false) {
  const row = { name, tree, files: listFiles(tree) };
  const fl = { scanNoCa: [], baseNoCa: [], floor: [], floorNoCa: [] };
  const listFile = join(mkdtempSync(join(tmpdir(), 'sc-bench-')), 'files.txt');
  if (row.files) writeFileSync(listFile, row.files.join('\n') + '\n');
  const sc = [];
  const rg = [];
  const tsp = [];
  const base = [];
  for (let i = 0; i < RUNS; i++) {
    if (baseBin) { const b = measure(process.execPath, scanArgs([], baseBin), tree); if (b.status !== 0) { console.error(`base failed on ${tree}:\n${b.stderr}`); process.exit(2); } base.push(b); }
    const r = measure(process.execPath, scanArgs(), tree);
    if (r.status !== 0) { console.error(`sc-migrate failed on ${tree}:\n${r.stderr}`); process.exit(2); }
    const j = JSON.parse(r.stdout);
    row.stats = { ...j.stats, findingCount: j.findings.length };
    sc.push(r);
    if (hasRg) { const g = measure('rg', RG_ARGS, tree); rg.push(g); row.rgMatched = g.stdout.split('\n').filter(Boolean).length; }
    if (row.files) { const p = measure(process.execPath, [join(here, 'ts-parse.mjs'), listFile], tree); if (p.status !== 0) { console.error(p.stderr); process.exit(2); } tsp.push(p); row.tsParsed = Number(p.stdout.trim()); }
    if (floors) {
      fl.floor.push(measure(process.execPath, ['-e', '0'], tree).wall);
      if (noCa) {
        fl.floorNoCa.push(measure(process.execPath, ['-e', '0'], tree, noCa).wall);
        fl.scanNoCa.push(measure(process.execPath, scanArgs(), tree, noCa).wall);
        if (baseBin) fl.baseNoCa.push(measure(process.execPath, scanArgs([], baseBin), tree, noCa).wall);
      }
    }
  }
  if (floors) row.floors = Object.fromEntries(Object.entries(fl).filter(([, v]) => v.length).map(([k, v]) => [k, median(v)]));
  rmSync(dirname(listFile), { recursive: true, force: true });
  // Peak RSS: the median run's and the largest (under load V8's concurrent GC can fall behind and
  // let one run's heap grow well past the others').
  const sum = (rs) => (rs.length ? { wall: median(rs.map((r) => r.wall)), cpu: rs[0].cpu === undefined ? undefined : median(rs.map((r) => r.cpu)), rssMiB: median(rs.map((r) => r.rssKb ?? 0)) / 1024, rssMaxMiB: Math.max(...rs.map((r) => r.rssKb ?? 0)) / 1024 } : undefined);
  Object.assign(row, { sc: sum(sc), rg: sum(rg), ts: sum(tsp), base: sum(base) });
  return row;
}

const rows = [];
const dense = process.env.SC_BENCH_DENSE;
if (dense && existsSync(dense)) rows.push(bench('(a) dense real corpus', dense));
else console.log('(a) skipped: set SC_BENCH_DENSE to a dense corpus (prepare-dense.sh TREES DEST 20, from the eval scripts).');
const large = process.env.SC_BENCH_LARGE_TREE;
if (large && existsSync(large)) rows.push(bench('(b) payload, no SoundCloud code', large, true));
else console.log('(b) skipped: set SC_BENCH_LARGE_TREE to a tree of payloadcms/payload (e.g. git archive HEAD | tar -x -C /tmp/payload).');
// Outside the checkout: inside a git work tree the scanner lists files like git, and git ignores bench/.corpus.
// One folder per run: two benches at once (two checkouts) must not regenerate each other's files.
const runDir = mkdtempSync(join(tmpdir(), 'sc-migrate-bench-'));
const corpus = join(runDir, 'corpus');
const gen = spawnSync(process.execPath, [join(here, 'gen-corpus.mjs'), corpus, '--files', String(CORPUS_FILES), '--seed', '42'], { encoding: 'utf8' });
if (gen.status !== 0) { console.error(gen.stderr); process.exit(2); }
rows.push(bench(`(c) generated corpus`, corpus));

// One file that grows: the same kind of code (constants, calls, objects), 1 MB and 5 MB.
const growth = join(runDir, 'growth');
function oneFile(mb) {
  const dir = join(growth, `${mb}mb`);
  mkdirSync(dir, { recursive: true });
  let text = "import axios from 'axios';\nconst API = 'https://api.soundcloud.com';\n";
  for (let i = 0; text.length < mb * 1024 * 1024; i++) {
    text += `export const TRACK_${i} = { id: ${i}, path: '/tracks/${i}', limit: ${i % 50}, tags: ['a${i}', 'b'] };\n`
      + `export async function load${i}(token) {\n  const res = await axios.get(API + TRACK_${i}.path, { params: { oauth_token: token, limit: TRACK_${i}.limit } });\n  return res.data && res.data.collection ? res.data.collection.map((t) => ({ id: t.id, title: t.title })) : [];\n}\n`;
  }
  writeFileSync(join(dir, 'app.js'), text);
  return dir;
}
const growthRuns = { 1: [], 5: [] };
const baseGrowth = { 1: [], 5: [] };
const growthDirs = { 1: oneFile(1), 5: oneFile(5) };
let growthFindings = {};
for (let i = 0; i < RUNS; i++) {
  for (const mb of [1, 5]) {
    const r = measure(process.execPath, scanArgs(['--max-file-size', '10MB']), growthDirs[mb]);
    growthRuns[mb].push(r.wall);
    growthFindings[mb] = JSON.parse(r.stdout).stats.findings;
    if (baseBin) baseGrowth[mb].push(measure(process.execPath, scanArgs(['--max-file-size', '10MB'], baseBin), growthDirs[mb]).wall);
  }
}

// Start-up on one staged file (the pre-commit hook's path).
const stagedRepo = mkdtempSync(join(tmpdir(), 'sc-bench-staged-'));
const git = (...a) => spawnSync('git', a, { cwd: stagedRepo, encoding: 'utf8' });
git('init', '-q');
writeFileSync(join(stagedRepo, 'player.js'), "const CLIENT_ID = process.env.SC_CLIENT_ID;\nexport const load = (id) => fetch(`https://api.soundcloud.com/tracks/${id}?client_id=${CLIENT_ID}`);\n");
git('add', 'player.js');
const startup = { floor: [], scan: [], base: [], floorCa: [], scanCa: [], baseCa: [] };
let stagedFindings = 0;
const stagedArgs = (b) => [b, 'scan', '--staged', '--format', 'json', '--fail-on', 'none'];
for (let i = 0; i < RUNS; i++) {
  for (const [env, sfx] of noCa ? [[noCa, ''], [undefined, 'Ca']] : [[undefined, '']]) {
    startup[`floor${sfx}`].push(measure(process.execPath, ['-e', '0'], stagedRepo, env).wall);
    const r = measure(process.execPath, stagedArgs(bin), stagedRepo, env);
    if (r.status !== 0) { console.error(r.stderr); process.exit(2); }
    startup[`scan${sfx}`].push(r.wall);
    stagedFindings = JSON.parse(r.stdout).stats.findings;
    if (baseBin) startup[`base${sfx}`].push(measure(process.execPath, stagedArgs(baseBin), stagedRepo, env).wall);
  }
}
// The same hook as users run it: the readable report, whose fixable count is fix's dry run (a
// token URL handed to a wrapper of another staged file: fix's project pass loads ts-morph).
mkdirSync(join(stagedRepo, 'lib'));
writeFileSync(join(stagedRepo, 'lib/api.js'), 'export async function getJson(url) {\n  const res = await fetch(url);\n  return res.json();\n}\n');
writeFileSync(join(stagedRepo, 'me.js'), "import { getJson } from './lib/api.js';\nexport const me = (t) => getJson(`https://api.soundcloud.com/me?oauth_token=${t}`);\n");
git('add', 'lib/api.js', 'me.js');
const prettyArgs = (b) => [b, 'scan', '--staged', '--fail-on', 'none'];
const pretty = { scan: [], base: [] };
for (let i = 0; i < RUNS; i++) {
  const r = measure(process.execPath, prettyArgs(bin), stagedRepo, noCa);
  if (r.status !== 0 || !/fixable/.test(r.stdout)) { console.error(r.stdout, r.stderr); process.exit(2); }
  pretty.scan.push(r.wall);
  if (baseBin) pretty.base.push(measure(process.execPath, prettyArgs(baseBin), stagedRepo, noCa).wall);
}
rmSync(stagedRepo, { recursive: true, force: true });
rmSync(runDir, { recursive: true, force: true });
const load1 = loadavg();

const fmt = (n, d = 2) => (n === undefined || Number.isNaN(n) ? '-' : n.toFixed(d));
console.log(`sc-migrate bench (${bin}): median of ${RUNS} interleaved runs; ${availableParallelism()} cores; load average ${load0.map((l) => l.toFixed(2)).join(' ')} at start, ${load1.map((l) => l.toFixed(2)).join(' ')} at end; peak RSS via ${hasTimeV ? '/usr/bin/time -v' : 'process.resourceUsage in a child'}${hasRg ? '' : '; ripgrep not installed (apt-get install -y ripgrep)'}`);
console.log('');
const header = ['tree', 'files', 'analysed', 'findings', 'scan s', 'CPU s', ...(baseBin ? ['base s', 'base CPU s', 'x base'] : []), 'files/s', 'RSS MiB (max)', 'rg s', 'x rg', 'ts-parse s', 'ts RSS MiB', 'x ts-parse'];
const table = rows.map((r) => [
  r.name, String(r.stats.files), String(r.stats.analysed), String(r.stats.findingCount),
  fmt(r.sc.wall, 3), fmt(r.sc.cpu, 2), ...(baseBin ? [fmt(r.base?.wall, 3), fmt(r.base?.cpu, 2), r.base ? fmt(r.sc.wall / r.base.wall, 2) : '-'] : []), fmt(r.stats.files / r.sc.wall, 0), `${fmt(r.sc.rssMiB, 0)} (${fmt(r.sc.rssMaxMiB, 0)})`,
  r.rg ? fmt(r.rg.wall, 3) : '-', r.rg ? fmt(r.sc.wall / r.rg.wall, 1) : '-',
  r.ts ? fmt(r.ts.wall, 3) : '-', r.ts ? fmt(r.ts.rssMiB, 0) : '-', r.ts ? fmt(r.sc.wall / r.ts.wall, 2) : '-',
]);
const widths = header.map((h, i) => Math.max(h.length, ...table.map((t) => t[i].length)));
console.log(header.map((h, i) => h.padEnd(widths[i])).join('  '));
for (const t of table) console.log(t.map((c, i) => c.padEnd(widths[i])).join('  '));
console.log('');
const g1 = median(growthRuns[1]);
const g5 = median(growthRuns[5]);
const med = (k) => (startup[k].length ? median(startup[k]) : undefined);
const ms = (x) => (x === undefined ? '-' : `${fmt(x * 1000, 0)} ms`);
const minus = (a, b) => (a === undefined || b === undefined ? undefined : a - b);
// The target's basis: without the variable when it is set (see caVar above), else the environment as is.
const st = med('scan');
console.log(`one file: 1 MB ${fmt(g1, 3)} s, 5 MB ${fmt(g5, 3)} s (${fmt(g5 / g1, 2)}x; findings ${growthFindings[1]} / ${growthFindings[5]})`);
if (baseBin) console.log(`base (${baseBin}): one file 1 MB ${fmt(median(baseGrowth[1]), 3)} s, 5 MB ${fmt(median(baseGrowth[5]), 3)} s`);
console.log(`start-up, scan --staged on one staged file (findings ${stagedFindings}), median of ${RUNS} interleaved runs:`);
const startLine = (label, sfx) => console.log(`  ${label}: scan ${ms(med(`scan${sfx}`))}, node -e 0 ${ms(med(`floor${sfx}`))}, scan minus node ${ms(minus(med(`scan${sfx}`), med(`floor${sfx}`)))}`
  + (baseBin ? `; base ${ms(med(`base${sfx}`))} (minus node ${ms(minus(med(`base${sfx}`), med(`floor${sfx}`)))})` : ''));
if (noCa) {
  startLine('without NODE_EXTRA_CA_CERTS (the target is judged on this: users\' machines rarely set it)', '');
  startLine(`environment as is (NODE_EXTRA_CA_CERTS=${caVar}: Node reads it at every start)`, 'Ca');
} else {
  startLine('environment as is (NODE_EXTRA_CA_CERTS not set)', '');
}
console.log(`pre-commit as users run it (readable report with fix's forecast; 3 staged files, a cross-file rewrite): scan ${ms(median(pretty.scan))}`
  + (baseBin ? `; base ${ms(median(pretty.base))}` : ''));
for (const r of rows.filter((x) => x.floors)) {
  const f = r.floors;
  const rgS = r.rg?.wall;
  console.log(`${r.name.slice(0, 3)} payload scan, environment as is: ${fmt(r.sc.wall, 3)} s, node -e 0 ${ms(f.floor)}, ${rgS ? fmt(r.sc.wall / rgS, 1) : '-'}x rg`
    + (f.scanNoCa !== undefined ? `; without NODE_EXTRA_CA_CERTS: ${fmt(f.scanNoCa, 3)} s, node -e 0 ${ms(f.floorNoCa)}, ${rgS ? fmt(f.scanNoCa / rgS, 1) : '-'}x rg` : '')
    + (f.baseNoCa !== undefined ? `; base without it ${fmt(f.baseNoCa, 3)} s (${rgS ? fmt(f.baseNoCa / rgS, 1) : '-'}x rg)` : ''));
}
console.log('');
console.log('Targets of issue 12 (2 cores, ratios in one run):');
const verdict = (ok) => (ok ? 'met' : 'NOT met');
for (const r of rows) {
  if (r.name.startsWith('(a)')) {
    const fps = r.stats.files / r.sc.wall;
    console.log(`(a) ${fmt(fps, 0)} files/s (>= 1,500): ${verdict(fps >= 1500)}; ${r.ts ? fmt(r.sc.wall / r.ts.wall, 2) : '-'}x the bare TypeScript parse (<= 1.2): ${verdict(r.ts && r.sc.wall / r.ts.wall <= 1.2)}; ${fmt(r.sc.rssMiB, 0)} MiB median, ${fmt(r.sc.rssMaxMiB, 0)} max (<= 250): ${verdict(r.sc.rssMiB <= 250)}${r.sc.rssMaxMiB > 250 ? ' (median only)' : ''}`);
  } else if (r.name.startsWith('(b)')) {
    // Judged like the start-up: without NODE_EXTRA_CA_CERTS when it is set, the other ratio beside it.
    const judged = r.floors?.scanNoCa ?? r.sc.wall;
    const asIs = r.floors?.scanNoCa !== undefined ? ` (environment as is: ${r.rg ? fmt(r.sc.wall / r.rg.wall, 1) : '-'}x)` : '';
    console.log(`(b) ${r.rg ? fmt(judged / r.rg.wall, 1) : '-'}x ripgrep (<= 5${noCa ? ', without NODE_EXTRA_CA_CERTS' : ''}): ${verdict(r.rg && judged / r.rg.wall <= 5)}${asIs}`);
  }
}
console.log(`one file 5 MB / 1 MB ${fmt(g5 / g1, 2)}x (<= 6): ${verdict(g5 / g1 <= 6)}`);
console.log(`start-up ${st === undefined ? '-' : fmt(st * 1000, 0)} ms (<= 150${noCa ? ', without NODE_EXTRA_CA_CERTS' : ''}): ${verdict(st !== undefined && st <= 0.15)}${noCa ? ` (environment as is: ${ms(med('scanCa'))})` : ''}`);
mkdirSync(join(here, '.results'), { recursive: true });
writeFileSync(join(here, '.results', `bench-${Date.now()}.json`), JSON.stringify({ load: [load0, load1], rows: rows.map(({ files: _f, ...r }) => r), growth: { 1: g1, 5: g5 }, startup: Object.fromEntries(Object.keys(startup).map((k) => [k, med(k)])), pretty: { scan: median(pretty.scan), base: baseBin ? median(pretty.base) : undefined } }, null, 2));

// Token stores (memory, file, Redis): overhead per call and token requests per expiry; see bench/token-store.mjs.
console.log('');
spawnSync(process.execPath, [join(here, 'token-store.mjs')], { stdio: 'inherit' });
