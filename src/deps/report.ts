/** Reporters of `sc-migrate deps`: pretty (like `npm audit`), JSON, SARIF and Markdown. Pure functions of a DepsReport. */
import pc from 'picocolors';
import { redact } from '../report/redact.js';
import { toSarif } from '../report/sarif.js';
import { cell } from '../report/markdown.js';
import type { ScanResult } from '../scan/types.js';
import type { DepsPackage, DepsReport } from './audit.js';
import type { Upgrade } from './known.js';
import type { DepsFormat } from './formats.js';

export { DEPS_FORMATS, type DepsFormat } from './formats.js';

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** Rules a package breaks, most findings first. */
export function ruleCounts(p: DepsPackage): { id: string; count: number; severity: 'error' | 'warning' }[] {
  const m = new Map<string, { id: string; count: number; severity: 'error' | 'warning' }>();
  for (const f of p.findings) {
    const c = m.get(f.ruleId) ?? { id: f.ruleId, count: 0, severity: f.severity };
    c.count++;
    m.set(f.ruleId, c);
  }
  return [...m.values()].sort((a, b) => b.count - a.count || a.id.localeCompare(b.id));
}

/** Files of a package with the lines of their findings. */
export function fileLines(p: DepsPackage): { file: string; lines: number[] }[] {
  const m = new Map<string, Set<number>>();
  for (const f of p.findings) m.set(f.file, (m.get(f.file) ?? new Set()).add(f.line));
  return [...m].map(([file, lines]) => ({ file, lines: [...lines].sort((a, b) => a - b) }));
}

export function upgradeText(u: Upgrade): string {
  switch (u.status) {
    case 'clean-version': return `upgrade to ${u.version} (known clean)${u.advice ? `; ${u.advice}` : ''}`;
    case 'none-known-clean': return `no newer version known to be clean (checked up to ${u.latestChecked})${u.advice ? `; ${u.advice}` : ''}`;
    default: return 'no data on other versions';
  }
}

const pathText = (p: DepsPackage) => (p.paths.length ? p.paths.map((x) => x.join(' > ')) : ['(not in the lockfile)']);

export function toDepsJson(r: DepsReport): Record<string, unknown> {
  return {
    lockfile: r.lockfile,
    installed: r.installed,
    scanned: r.scanned,
    packages: r.packages.map((p) => ({
      name: p.name,
      version: p.version,
      dir: p.dir,
      direct: p.direct,
      inLockfile: p.inLockfile,
      paths: p.paths,
      files: p.files,
      errors: p.errors,
      warnings: p.warnings,
      rules: ruleCounts(p),
      upgrade: p.upgrade,
      findings: p.findings.map((f) => ({ ruleId: f.ruleId, severity: f.severity, message: redact(f.message, { bare: true }), file: f.file, line: f.line, column: f.column, endLine: f.endLine, endColumn: f.endColumn, fingerprint: f.fingerprint })),
      skipped: p.skipped,
    })),
    warnings: r.warnings,
    stats: { ...r.stats, durationMs: Math.round(r.stats.durationMs) },
  };
}

/** SARIF with locations relative to the app (node_modules/...); each result names its package and dependency path. */
export function toDepsSarif(r: DepsReport, toolVersion?: string): Record<string, unknown> {
  const findings = r.packages.flatMap((p) => p.findings.map((f) => ({ f, p })));
  // No sources: snippets of minified bundles would copy whole files into the report.
  const result: ScanResult = {
    findings: findings.map((x) => x.f), skipped: r.packages.flatMap((p) => p.skipped), rules: r.rules, sources: new Map(), cwd: r.appDir, root: r.appDir,
    stats: { files: 0, read: 0, analysed: 0, skipped: 0, findings: findings.length, errors: r.stats.errors, warnings: r.stats.warnings, suppressed: 0, baselined: 0, unchanged: 0, workers: 0, durationMs: r.stats.durationMs },
  };
  const sarif = toSarif(result, toolVersion ? { toolVersion } : {});
  const run = (sarif.runs as { results: { message: { text: string }; properties: Record<string, unknown> }[] }[])[0]!;
  run.results.forEach((res, i) => {
    const p = findings[i]!.p;
    res.message.text += ` (dependency ${p.name}@${p.version}: ${pathText(p)[0]})`;
    res.properties = { ...res.properties, package: p.name, version: p.version, dependencyPaths: p.paths.map((x) => x.join(' > ')), upgrade: upgradeText(p.upgrade) };
  });
  return sarif;
}

export function formatDepsMarkdown(r: DepsReport): string {
  const out = ['## sc-migrate deps: dependencies that break with SoundCloud\'s API changes', ''];
  const bad = r.packages.filter((p) => p.findings.length);
  if (!bad.length) {
    out.push(`✅ No finding in the ${plural(r.scanned, 'installed package')} that name SoundCloud (${r.installed} installed, ${r.lockfile.file}).`);
  } else {
    out.push(`❌ **${plural(bad.length, 'package')}** break (${plural(r.stats.errors, 'error')}, ${plural(r.stats.warnings, 'warning')}); ${r.scanned} of ${r.installed} installed packages name SoundCloud (${r.lockfile.file}).`, '');
    out.push('| Package | Version | Errors | Warnings | Rules | Path from the app | Newer clean version |', '| --- | --- | ---: | ---: | --- | --- | --- |');
    const url = new Map(r.rules.map((x) => [x.id, x.url]));
    for (const p of bad) {
      const rules = ruleCounts(p).map((c) => (url.get(c.id) ? `[${c.id}](${url.get(c.id)}) ×${c.count}` : `${c.id} ×${c.count}`)).join(', ');
      const up = p.upgrade.status === 'clean-version' ? p.upgrade.version : p.upgrade.status === 'none-known-clean' ? `none known (checked ${p.upgrade.latestChecked})` : 'unknown';
      out.push(`| \`${p.name}\` | ${p.version} | ${p.errors} | ${p.warnings} | ${rules} | ${cell(pathText(p)[0]!)} | ${cell(up)} |`);
    }
    out.push('', '<details><summary>Files and lines</summary>', '');
    for (const p of bad) {
      out.push(`**${p.name}@${p.version}**`, '');
      for (const { file, lines } of fileLines(p).slice(0, 50)) out.push(`- \`${file}\`: ${lines.slice(0, 20).join(', ')}${lines.length > 20 ? ', …' : ''}`);
      out.push('');
    }
    out.push('</details>');
  }
  if (r.warnings.length) out.push('', ...r.warnings.map((w) => `> ${cell(w)}`));
  return out.join('\n') + '\n';
}

export function formatDepsPretty(r: DepsReport, opts: { color?: boolean; verbose?: boolean } = {}): string {
  const c = pc.createColors(opts.color ?? false);
  const out: string[] = [];
  for (const p of r.packages.filter((x) => x.findings.length)) {
    const sev = p.errors ? c.red(plural(p.errors, 'error')) : c.yellow(plural(p.warnings, 'warning'));
    out.push(`${c.bold(`${p.name}@${p.version}`)}  ${sev}${p.errors && p.warnings ? `, ${plural(p.warnings, 'warning')}` : ''}  ${c.dim(p.dir)}`);
    for (const rc of ruleCounts(p)) out.push(`  ${rc.severity === 'error' ? c.red('✖') : c.yellow('⚠')} ${rc.id} ${c.dim(`×${rc.count}`)}`);
    for (const path of pathText(p)) out.push(`  ${c.dim('path')}  ${path}`);
    const files = fileLines(p);
    const shown = opts.verbose ? files : files.slice(0, 5);
    for (const { file, lines } of shown) out.push(`  ${c.dim('file')}  ${file}:${lines.slice(0, 10).join(',')}${lines.length > 10 ? ',…' : ''}`);
    if (shown.length < files.length) out.push(c.dim(`        … and ${files.length - shown.length} more file(s) (--verbose lists them)`));
    out.push(`  ${c.dim('fix')}   ${p.upgrade.status === 'clean-version' ? c.green(upgradeText(p.upgrade)) : upgradeText(p.upgrade)}`);
    if (opts.verbose) for (const f of p.findings) out.push(c.dim(`    ${f.file}:${f.line}:${f.column} ${f.ruleId}: ${redact(f.message, { bare: true })}`));
    out.push('');
  }
  for (const w of r.warnings) out.push(c.yellow(`warning: ${w}`));
  const s = r.stats;
  out.push(s.packages
    ? c.bold(c.red(`✖ ${plural(s.packages, 'package')} with ${plural(s.findings, 'problem')} (${plural(s.errors, 'error')}, ${plural(s.warnings, 'warning')})`))
    : c.green(c.bold('✔ No installed package breaks with SoundCloud\'s API changes')));
  out.push(c.dim(`${r.installed} installed packages (${r.lockfile.file}), ${r.scanned} name SoundCloud and were scanned, in ${(s.durationMs / 1000).toFixed(2)}s`));
  return out.join('\n') + '\n';
}

export function formatDeps(r: DepsReport, format: DepsFormat, opts: { color?: boolean; verbose?: boolean; toolVersion?: string } = {}): string {
  switch (format) {
    case 'json': return JSON.stringify(toDepsJson(r), null, 2) + '\n';
    case 'sarif': return JSON.stringify(toDepsSarif(r, opts.toolVersion), null, 2) + '\n';
    case 'markdown': return formatDepsMarkdown(r);
    default: return formatDepsPretty(r, opts);
  }
}
