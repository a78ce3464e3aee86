#!/usr/bin/env node
// `npm run bench`: ripgrep (baseline) and `sc-migrate scan` side by side on
//   (a) a large tree with no SoundCloud code (payloadcms/payload; path in SC_BENCH_LARGE_TREE),
//   (b) a generated corpus of SoundCloud client code (bench/gen-corpus.mjs -> bench/.corpus).
// Reports wall time (median of runs), files/s, peak RSS and the ratio to ripgrep. No assertions.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, '..');
const bin = join(repo, 'bin/sc-migrate.js');
const RUNS = Number(process.env.SC_BENCH_RUNS ?? 3);
const CORPUS_FILES = Number(process.env.SC_BENCH_CORPUS_FILES ?? 5000);
const GLOB = '*.{js,jsx,ts,tsx,mjs,cjs,mts,cts,vue,html,htm}';
const TRIGGER = String.raw`soundcloud|\bSC\s*\.\s*(initialize|connect|get|put|post|delete|stream|oEmbed|resolve)\b`;

if (!existsSync(join(repo, 'dist/src/cli/main.js'))) {
  console.error('dist/ is missing: run `npm run build` first.');
  process.exit(2);
}
const hasTimeV = spawnSync('/usr/bin/time', ['-v', 'true']).status === 0;
const hasRg = spawnSync('rg', ['--version']).status === 0;

/** Runs a command, returning wall seconds and peak RSS (KiB) of the process tree's largest process. */
function measure(cmd, args, cwd) {
  const t0 = process.hrtime.bigint();
  let r;
  let rssKb;
  if (hasTimeV) {
    r = spawnSync('/usr/bin/time', ['-v', cmd, ...args], { cwd, encoding: 'utf8', maxBuffer: 1 << 30 });
    const m = /Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr);
    rssKb = m ? Number(m[1]) : undefined;
  } else {
    // Fallback: a node child reports its own resourceUsage().maxRSS (KiB) after the run.
    const wrapper = `const {spawnSync}=require('child_process');const r=spawnSync(process.argv[1],process.argv.slice(2),{stdio:['ignore','pipe','pipe'],maxBuffer:1<<30});process.stdout.write(r.stdout);process.stderr.write(r.stderr);process.stderr.write('\\nMAXRSS '+process.resourceUsage().maxRSS+'\\n');process.exit(r.status??1)`;
    r = spawnSync(process.execPath, ['-e', wrapper, cmd, ...args], { cwd, encoding: 'utf8', maxBuffer: 1 << 30 });
    const m = /MAXRSS (\d+)/.exec(r.stderr);
    rssKb = m ? Number(m[1]) : undefined;
  }
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  return { wall, rssKb, status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function bench(name, tree) {
  const row = { name, tree };
  if (hasRg) {
    const runs = [];
    let matched = 0;
    for (let i = 0; i < RUNS; i++) {
      const r = measure('rg', ['-l', '-i', '--no-require-git', '-g', GLOB, '-e', TRIGGER, '.'], tree);
      runs.push(r.wall);
      matched = r.stdout.split('\n').filter(Boolean).length;
    }
    row.rg = { wall: median(runs), matched };
  }
  const runs = [];
  let stats;
  let rss = 0;
  for (let i = 0; i < RUNS; i++) {
    const r = measure(process.execPath, [bin, 'scan', '.', '--format', 'json', '--fail-on', 'none'], tree);
    if (r.status !== 0) { console.error(`sc-migrate failed on ${tree}:\n${r.stderr}`); process.exit(2); }
    runs.push(r.wall);
    rss = Math.max(rss, r.rssKb ?? 0);
    const j = JSON.parse(r.stdout);
    stats = { ...j.stats, findingCount: j.findings.length };
  }
  row.sc = { wall: median(runs), rssMiB: rss / 1024, stats };
  return row;
}

const rows = [];
const large = process.env.SC_BENCH_LARGE_TREE;
if (large && existsSync(large)) {
  rows.push(bench('(a) large tree, no SoundCloud code', large));
} else {
  console.log(`(a) skipped: set SC_BENCH_LARGE_TREE to a checkout of payloadcms/payload at db7543c2121f0b672e33436447122b5e09ea4f2b:
    git clone --filter=blob:none https://github.com/payloadcms/payload /tmp/payload
    git -C /tmp/payload checkout db7543c2121f0b672e33436447122b5e09ea4f2b
    SC_BENCH_LARGE_TREE=/tmp/payload npm run bench
`);
}
const corpus = join(here, '.corpus');
const gen = spawnSync(process.execPath, [join(here, 'gen-corpus.mjs'), corpus, '--files', String(CORPUS_FILES), '--seed', '42'], { encoding: 'utf8' });
if (gen.status !== 0) { console.error(gen.stderr); process.exit(2); }
rows.push(bench(`(b) generated SoundCloud corpus (${CORPUS_FILES} files)`, corpus));

const fmt = (n, d = 2) => (n === undefined ? '-' : n.toFixed(d));
console.log(`sc-migrate bench: ${RUNS} run(s) each, median wall time; ${availableParallelism()} cores; peak RSS via ${hasTimeV ? '/usr/bin/time -v' : 'process.resourceUsage in a child'}${hasRg ? '' : '; ripgrep not installed (apt-get install -y ripgrep)'}`);
console.log('');
const header = ['tree', 'files', 'analysed', 'findings', 'rg s', 'scan s', 'files/s', 'peak RSS MiB', 'x ripgrep', 'workers'];
const table = rows.map((r) => [
  r.name, String(r.sc.stats.files), String(r.sc.stats.analysed), String(r.sc.stats.findingCount),
  r.rg ? fmt(r.rg.wall, 3) : '-', fmt(r.sc.wall, 3), fmt(r.sc.stats.files / r.sc.wall, 0), fmt(r.sc.rssMiB, 0),
  r.rg ? fmt(r.sc.wall / r.rg.wall, 1) : '-', String(r.sc.stats.workers),
]);
const widths = header.map((h, i) => Math.max(h.length, ...table.map((t) => t[i].length)));
console.log(header.map((h, i) => h.padEnd(widths[i])).join('  '));
for (const t of table) console.log(t.map((c, i) => c.padEnd(widths[i])).join('  '));
console.log('');
console.log('Targets: (a) within 6x ripgrep and under 200 MiB; (b) >= 2,000 files/s.');
for (const r of rows) {
  if (r.name.startsWith('(a)')) console.log(`(a) ${r.rg ? `${fmt(r.sc.wall / r.rg.wall, 1)}x ripgrep` : 'no ripgrep'}, ${fmt(r.sc.rssMiB, 0)} MiB: ${r.rg && r.sc.wall / r.rg.wall <= 6 && r.sc.rssMiB < 200 ? 'met' : 'NOT met'}`);
  else console.log(`(b) ${fmt(r.sc.stats.files / r.sc.wall, 0)} files/s: ${r.sc.stats.files / r.sc.wall >= 2000 ? 'met' : 'NOT met'}`);
}
mkdirSync(join(here, '.results'), { recursive: true });
writeFileSync(join(here, '.results', `bench-${Date.now()}.json`), JSON.stringify(rows, null, 2));

// Token stores (memory, file, Redis): overhead per call and token requests per expiry; see bench/token-store.mjs.
console.log('');
spawnSync(process.execPath, [join(here, 'token-store.mjs')], { stdio: 'inherit' });
