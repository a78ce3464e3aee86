/**
 * The GitHub Actions workflows of docs/integrations.md: parsed with a YAML parser, their structure
 * checked (matrix, needs, artifacts, SARIF upload), and every `sc-migrate` command they run is run
 * here, in order, on a copy of the fixture apps (shards -> artifacts -> merge; one repo of the fleet).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { cleanup, initRepo, REPO, runMain, tempDir } from '../cli/helpers.js';

afterAll(cleanup);

interface Step { uses?: string; run?: string; with?: Record<string, unknown>; 'working-directory'?: string; name?: string }
interface Job { needs?: string | string[]; strategy?: { matrix: Record<string, unknown[]> }; steps: Step[]; if?: string }
interface Workflow { on: unknown; jobs: Record<string, Job> }

const DOC = readFileSync(join(REPO, 'docs/integrations.md'), 'utf8');
function workflow(file: string): Workflow {
  const block = [...DOC.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]!).find((b) => b.startsWith(`# .github/workflows/${file}`));
  expect(block, file).toBeDefined();
  return parse(block!) as Workflow;
}

/** The `sc-migrate` invocations of a run script, with GitHub expressions and shell variables substituted. */
function invocations(run: string, vars: Record<string, string>): string[][] {
  const text = run.replace(/\$\{\{\s*([\w.-]+)\s*\}\}/g, (m, k: string) => vars[k] ?? m).replace(/"?\$(\w+)"?/g, (m, k: string) => vars[k] ?? m);
  const out: string[][] = [];
  for (const m of text.matchAll(/\bnpx (?:--yes )?sc-migrate(?:@[\w.]+)? ([^\n]*)/g)) {
    const words = m[1]!.split(/\s+/);
    const stop = words.findIndex((w) => ['&&', '>', '>>', '|', ';', '||'].includes(w));
    out.push((stop === -1 ? words : words.slice(0, stop)).filter(Boolean).map((w) => w.replace(/^"|"$/g, '')));
  }
  return out;
}

/** Expands `dir/*.json` as the shell would. */
const glob = (cwd: string, args: string[]) => args.flatMap((a) => {
  const m = /^(.*)\/\*(\.\w+)$/.exec(a);
  return m ? readdirSync(join(cwd, m[1]!)).filter((f) => f.endsWith(m[2]!)).sort().map((f) => `${m[1]}/${f}`) : [a];
});

const runs = (job: Job) => job.steps.filter((s) => s.run).map((s) => s.run!);

describe('docs/integrations.md: sharded workflow', () => {
  const wf = workflow('sc-migrate-shards.yml');

  it('has a scan matrix of shards 1..n and a merge job that uploads SARIF', () => {
    const shards = wf.jobs.scan!.strategy!.matrix.shard!;
    expect(shards).toEqual(Array.from({ length: shards.length }, (_, i) => i + 1));
    expect(wf.jobs.merge!.needs).toBe('scan');
    const uses = wf.jobs.merge!.steps.map((s) => s.uses ?? '');
    expect(uses.some((u) => u.startsWith('actions/download-artifact@'))).toBe(true);
    const upload = wf.jobs.merge!.steps.find((s) => s.uses?.startsWith('github/codeql-action/upload-sarif@'))!;
    expect(upload.with!.sarif_file).toBe('sc-migrate.sarif');
    const up = wf.jobs.scan!.steps.find((s) => s.uses?.startsWith('actions/upload-artifact@'))!;
    const down = wf.jobs.merge!.steps.find((s) => s.uses?.startsWith('actions/download-artifact@'))!;
    expect(String(up.with!.name).replace(/\$\{\{.*\}\}/, '1')).toMatch(new RegExp('^' + String(down.with!.pattern).replace('*', '.*') + '$'));
  });

  it('its commands run: n shard scans, then merge to SARIF (= the full scan), Markdown and the gate', async () => {
    const dir = tempDir('scm-wf-shards-');
    cpSync(join(REPO, 'fixtures/apps/express-axios'), join(dir, 'a'), { recursive: true });
    cpSync(join(REPO, 'fixtures/apps/vue-player'), join(dir, 'b'), { recursive: true });
    initRepo(dir);
    const shards = wf.jobs.scan!.strategy!.matrix.shard!;
    mkdirSync(join(dir, 'shards'));
    for (const shard of shards) {
      const vars = { 'matrix.shard': String(shard), 'strategy.job-total': String(shards.length) };
      const cmds = runs(wf.jobs.scan!).flatMap((r) => invocations(r, vars));
      expect(cmds.length).toBe(1);
      for (const c of cmds) { const r = await runMain([...c, '-j', '1'], dir); expect(r.code, `${c.join(' ')}\n${r.stderr}`).toBe(0); }
      renameSync(join(dir, `sc-shard-${shard}.json`), join(dir, 'shards', `sc-shard-${shard}.json`)); // upload + download-artifact
    }
    const codes: number[] = [];
    for (const c of runs(wf.jobs.merge!).flatMap((r) => invocations(r, {}))) {
      const r = await runMain(glob(dir, c), dir);
      expect(r.stderr, c.join(' ')).toBe('');
      codes.push(r.code);
    }
    expect(codes).toEqual([0, 0, 1]); // SARIF and summary never fail the job; the gate does
    const full = await runMain(['scan', '.', '-f', 'sarif', '-j', '1'], dir);
    const results = (t: string) => JSON.parse(t).runs[0].results.map((x: { fingerprint?: string; partialFingerprints: Record<string, string> }) => Object.values(x.partialFingerprints)[0]);
    expect(results(readFileSync(join(dir, 'sc-migrate.sarif'), 'utf8'))).toEqual(results(full.stdout));
    expect(readFileSync(join(dir, 'summary.md'), 'utf8')).toMatch(/## sc-migrate/);
  }, 120_000);
});

describe('docs/integrations.md: organisation workflow', () => {
  const wf = workflow('sc-migrate-fleet.yml');

  it('has one job per repository and a summary job after them all', () => {
    const repos = wf.jobs.scan!.strategy!.matrix.repo!;
    expect(repos.length).toBeGreaterThan(1);
    for (const r of repos) expect(r).toMatch(/^[\w.-]+\/[\w.-]+$/);
    const checkout = wf.jobs.scan!.steps.find((s) => s.uses?.startsWith('actions/checkout@'))!;
    expect(checkout.with!.repository).toBe('${{ matrix.repo }}');
    expect(wf.jobs.summary!.needs).toBe('scan');
    expect(wf.jobs.summary!.if).toBe('always()');
    expect(runs(wf.jobs.summary!).join('\n')).toMatch(/GITHUB_STEP_SUMMARY/);
  });

  it('its commands run on one repository: scan, deps, then the Markdown of its report', async () => {
    const work = tempDir('scm-wf-fleet-');
    const repo = join(work, 'repo');
    cpSync(join(REPO, 'fixtures/deps/app'), repo, { recursive: true });
    cpSync(join(REPO, 'fixtures/apps/express-axios/src'), join(repo, 'src'), { recursive: true });
    initRepo(repo);
    for (const step of wf.jobs.scan!.steps.filter((s) => s.run && s['working-directory'] === 'repo')) {
      for (const c of invocations(step.run!, {})) {
        const r = await runMain([...c, '-j', '1'], repo);
        expect(r.code, `${c.join(' ')}\n${r.stderr}`).toBe(0);
      }
    }
    expect(JSON.parse(readFileSync(join(work, 'report.json'), 'utf8')).stats.findings).toBeGreaterThan(0);
    expect(readFileSync(join(work, 'deps.md'), 'utf8')).toMatch(/soundcloud-fixture-bad/);
    const summary = runs(wf.jobs.summary!).flatMap((r) => invocations(r, { dir: 'reports/sc-my-org__app/' }));
    expect(summary.length).toBe(1);
    mkdirSync(join(work, 'reports/sc-my-org__app'), { recursive: true });
    renameSync(join(work, 'report.json'), join(work, 'reports/sc-my-org__app/report.json'));
    const md = await runMain(summary[0]!, work);
    expect(md.code, md.stderr).toBe(0);
    expect(md.stdout).toMatch(/## sc-migrate: SoundCloud API migration check/);
    expect(existsSync(join(work, 'reports/sc-my-org__app/report.json'))).toBe(true);
  }, 120_000);
});
