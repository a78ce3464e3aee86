/**
 * `--format html`: one self-contained page (no network: inline CSS and script, no external
 * resource): counts, a summary by rule and by directory, each finding with its code frame, what
 * `fix` does with it and the diff `fix` would apply there, filterable by rule and severity.
 * Secrets are redacted like in every format (messages, code frames and diffs).
 */
import pc from 'picocolors';
import { redact } from './redact.js';
import { splitLines } from './fingerprint.js';
import { codeFrame } from './pretty.js';
import type { FixForecast, PreviewHunk } from './fixable.js';
import { uncheckedFiles, uncheckedMessage } from './unchecked.js';
import type { ScanFinding, ScanResult } from '../scan/types.js';

export interface HtmlOptions {
  toolVersion?: string;
  /** What `fix` would change (a dry run the caller computes: reporters run no fix). */
  forecast?: FixForecast;
}

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
const plain = pc.createColors(false);
const dirOf = (file: string): string => (file.includes('/') ? file.slice(0, file.lastIndexOf('/')) : '.');
const KIND: Record<string, string> = {
  auto: 'auto (sc-migrate fix rewrites it)',
  suggest: 'suggest (a rewrite to review; sc-migrate fix --suggestions applies it)',
  manual: 'manual (sc-migrate fix leaves a marker for a person)',
};

function hunksFor(f: ScanFinding, hunks: PreviewHunk[] | undefined): PreviewHunk[] {
  if (!hunks) return [];
  return hunks.filter((h) => f.line <= h.oldStart + Math.max(h.oldLines, 1) - 1 && f.endLine >= h.oldStart);
}

function diffHtml(hunks: PreviewHunk[]): string {
  const rows: string[] = [];
  for (const h of hunks) {
    rows.push(`<span class="hunk">@@ -${h.oldStart},${h.oldLines} +${h.newStart},${h.newLines} @@</span>`);
    for (const l of h.lines) {
      const cls = l.startsWith('+') ? 'add' : l.startsWith('-') ? 'del' : 'ctx';
      rows.push(`<span class="${cls}">${esc(l[0]! + redact(l.slice(1)))}</span>`);
    }
  }
  return rows.join(''); // block spans: a newline between them would show as an empty line
}

function table(head: string[], rows: (string | number)[][]): string {
  return `<table><thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows.map((r) => `<tr>${r.map((c) => `<td>${typeof c === 'number' ? c : esc(c)}</td>`).join('')}</tr>`).join('')}</tbody></table>`;
}

export function formatHtml(result: ScanResult, opts: HtmlOptions = {}): string {
  const s = result.stats;
  const byRule = new Map<string, { n: number; errors: number; warnings: number }>();
  const byDir = new Map<string, { n: number; files: Set<string> }>();
  for (const f of result.findings) {
    const r = byRule.get(f.ruleId) ?? { n: 0, errors: 0, warnings: 0 };
    r.n++;
    if (f.severity === 'error') r.errors++; else r.warnings++;
    byRule.set(f.ruleId, r);
    const d = byDir.get(dirOf(f.file)) ?? { n: 0, files: new Set<string>() };
    d.n++;
    d.files.add(f.file);
    byDir.set(dirOf(f.file), d);
  }
  const fixed = opts.forecast?.fixed;
  const ruleUrl = new Map(result.rules.map((r) => [r.id, r.url]));
  const lineCache = new Map<string, string[]>();
  const linesOf = (p: string) => {
    if (!lineCache.has(p)) { const t = result.sources.get(p); lineCache.set(p, t === undefined ? [] : splitLines(t)); }
    return lineCache.get(p)!;
  };
  const findings = result.findings.map((f, i) => {
    const hunks = hunksFor(f, opts.forecast?.hunks.get(f.path));
    const frame = linesOf(f.path).length ? codeFrame(linesOf(f.path), f, plain, 2) : '';
    const url = ruleUrl.get(f.ruleId);
    return `<article class="finding" id="f${i}" data-rule="${esc(f.ruleId)}" data-severity="${f.severity}" data-fix="${f.fixKind}">
<h3><span class="sev ${f.severity}">${f.severity}</span> <a class="loc" href="#f${i}">${esc(f.file)}:${f.line}:${f.column}</a> <code class="rule">${url ? `<a href="${esc(url)}">${esc(f.ruleId)}</a>` : esc(f.ruleId)}</code></h3>
<p class="msg">${esc(redact(f.message, { bare: true }))}</p>
${frame ? `<pre class="frame">${esc(frame)}</pre>` : ''}
<p class="fix fix-${f.fixKind}">Fix kind: ${esc(KIND[f.fixKind] ?? f.fixKind)}</p>
${hunks.length ? `<details class="diff" open><summary>What <code>sc-migrate fix</code> would change here</summary><pre>${diffHtml(hunks)}</pre></details>` : ''}
</article>`;
  });
  const rules = [...byRule].sort((a, b) => b[1].n - a[1].n || a[0].localeCompare(b[0]));
  const dirs = [...byDir].sort((a, b) => b[1].n - a[1].n || a[0].localeCompare(b[0]));
  const unchecked = uncheckedFiles(result);
  const option = (v: string, label = v) => `<option value="${esc(v)}">${esc(label)}</option>`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>sc-migrate report: ${s.findings} finding(s)</title>
<style>
body{font:14px/1.45 system-ui,sans-serif;margin:0 auto;max-width:1100px;padding:1rem 1.5rem;color:#1b1b1b;background:#fff}
h1{font-size:1.4rem}h2{font-size:1.15rem;margin-top:2rem}h3{font-size:1rem;margin:.2rem 0}
.counts{display:flex;gap:1rem;flex-wrap:wrap}.counts div{border:1px solid #ddd;border-radius:6px;padding:.5rem .9rem}.counts b{font-size:1.3rem;display:block}
table{border-collapse:collapse;margin:.5rem 0}td,th{border:1px solid #ddd;padding:.25rem .6rem;text-align:left}td:not(:first-child){text-align:right}
.finding{border:1px solid #ddd;border-radius:6px;padding:.6rem .9rem;margin:.8rem 0}.finding[hidden]{display:none}
.sev{border-radius:4px;padding:0 .4rem;color:#fff;font-size:.8rem}.sev.error{background:#c62828}.sev.warning{background:#b26a00}
pre{background:#f6f8fa;padding:.5rem;overflow:auto;font:12px/1.4 ui-monospace,monospace}
.add{color:#116329;background:#dafbe1;display:block}.del{color:#82071e;background:#ffebe9;display:block}.ctx{display:block}.hunk{color:#6e7781;display:block}
.fix-auto{color:#116329}.fix-suggest{color:#0550ae}.fix-manual{color:#6e7781}
.filters{position:sticky;top:0;background:#fff;padding:.5rem 0;border-bottom:1px solid #eee}.warn{background:#fff8c5;border:1px solid #d4a72c;padding:.5rem .9rem;border-radius:6px}
</style>
</head>
<body>
<h1>sc-migrate: SoundCloud API migration report</h1>
<p>${esc(opts.toolVersion ? `sc-migrate ${opts.toolVersion}` : 'sc-migrate')} · scanned ${s.files} file(s), ${s.analysed} analysed, ${s.skipped} skipped</p>
<div class="counts">
<div><b id="count-findings">${s.findings}</b>findings</div>
<div><b id="count-errors">${s.errors}</b>errors</div>
<div><b id="count-warnings">${s.warnings}</b>warnings</div>
${fixed === undefined ? '' : `<div><b id="count-fixable">${fixed}</b>fixable by <code>sc-migrate fix</code></div>`}
</div>
${unchecked.length ? `<div class="warn" id="unchecked"><b>${unchecked.length} file(s) that mention SoundCloud could not be checked:</b><ul>${unchecked.map((k) => `<li>${esc(uncheckedMessage(k))}</li>`).join('')}</ul></div>` : ''}
<h2>By rule</h2>
${rules.length ? table(['Rule', 'Findings', 'Errors', 'Warnings', 'Fixable'], rules.map(([id, r]) => [id, r.n, r.errors, r.warnings, opts.forecast?.byRule.get(id) ?? 0])) : '<p>No findings.</p>'}
<h2>By directory</h2>
${dirs.length ? table(['Directory', 'Findings', 'Files'], dirs.map(([d, r]) => [d, r.n, r.files.size])) : '<p>No findings.</p>'}
<h2>Findings</h2>
<div class="filters">
<label>Rule <select id="filter-rule">${option('', 'all rules')}${rules.map(([id]) => option(id)).join('')}</select></label>
<label>Severity <select id="filter-severity">${option('', 'all')}${option('error')}${option('warning')}</select></label>
<span><b id="count-visible">${s.findings}</b> shown</span>
</div>
<section id="findings">
${findings.join('\n')}
</section>
<script>
(function () {
  var rule = document.getElementById('filter-rule');
  var sev = document.getElementById('filter-severity');
  var shown = document.getElementById('count-visible');
  function apply() {
    var n = 0;
    document.querySelectorAll('.finding').forEach(function (el) {
      var ok = (!rule.value || el.dataset.rule === rule.value) && (!sev.value || el.dataset.severity === sev.value);
      el.hidden = !ok;
      if (ok) n++;
    });
    shown.textContent = String(n);
  }
  rule.addEventListener('change', apply);
  sev.addEventListener('change', apply);
  apply();
})();
</script>
</body>
</html>
`;
}
