#!/usr/bin/env node
// Scan time of n shards vs one scan (each shard is what one CI job runs).
// Usage: node bench/shards.mjs <tree> [--shards 2,4,8] [--jobs 1] [--runs 3]
// Prints, per n: the full scan's wall time, each shard's wall time, the slowest shard (= the
// matrix's critical path), the sum (total machine time) and the findings of the union vs the full scan.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
const opt = (name, def) => { const i = args.indexOf(name); return i === -1 ? def : args[i + 1]; };
const tree = resolve(args[0] ?? '.');
const counts = String(opt('--shards', '2,4,8')).split(',').map(Number);
const jobs = String(opt('--jobs', '1'));
const runs = Number(opt('--runs', '3'));
const bin = join(dirname(fileURLToPath(import.meta.url)), '..', 'bin', 'sc-migrate.js');

// CPU time (user + system, from /usr/bin/time) as well as wall time: on a shared machine the
// wall time swings with the load; the CPU time is what one CI job spends.
const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;
function scan(extra) {
  const argv = [process.execPath, bin, 'scan', '.', '-f', 'json', '--fail-on', 'none', '-j', jobs, ...extra];
  const t0 = performance.now();
  const r = TIME ? spawnSync(TIME, ['-f', '@@cpu %U %S', ...argv], { cwd: tree, maxBuffer: 1 << 30, encoding: 'utf8' }) : spawnSync(argv[0], argv.slice(1), { cwd: tree, maxBuffer: 1 << 30, encoding: 'utf8' });
  const ms = performance.now() - t0;
  const m = /@@cpu ([\d.]+) ([\d.]+)/.exec(r.stderr ?? '');
  const j = JSON.parse(r.stdout);
  return { ms, cpu: m ? (Number(m[1]) + Number(m[2])) * 1000 : NaN, findings: j.findings.length, files: j.stats.files, analysed: j.stats.analysed };
}
const median = (xs) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const best = (extra) => { const rs = Array.from({ length: runs }, () => scan(extra)); return { ...rs[0], ms: median(rs.map((r) => r.ms)), cpu: median(rs.map((r) => r.cpu)) }; };

const full = best([]);
console.log(`${tree}: ${full.files} files, ${full.analysed} analysed, ${full.findings} findings; full scan ${full.ms.toFixed(0)} ms wall, ${full.cpu.toFixed(0)} ms CPU (medians of ${runs}, -j ${jobs})`);
for (const n of counts) {
  const shards = Array.from({ length: n }, (_, i) => best(['--shard', `${i + 1}/${n}`]));
  const slowest = Math.max(...shards.map((s) => s.ms));
  const slowestCpu = Math.max(...shards.map((s) => s.cpu));
  const sumCpu = shards.reduce((a, s) => a + s.cpu, 0);
  const union = shards.reduce((a, s) => a + s.findings, 0);
  console.log(`n=${n}: CPU per shard ${shards.map((s) => s.cpu.toFixed(0)).join(' / ')} ms; slowest shard ${slowestCpu.toFixed(0)} ms CPU (${(full.cpu / slowestCpu).toFixed(2)}x less than one job), ${slowest.toFixed(0)} ms wall; all shards ${sumCpu.toFixed(0)} ms CPU; findings ${union} (full ${full.findings})`);
}
