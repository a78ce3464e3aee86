#!/usr/bin/env node
// The bare baseline of `npm run bench`: reads every file of a list (one absolute path a line) and
// parses it, single-threaded, with `typescript.createSourceFile` (no rules, no facts). Vue and HTML
// files: their <script> blocks, as the scanner parses them. Prints the number of files parsed.
// Usage: node bench/ts-parse.mjs LIST
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const ts = createRequire(import.meta.url)('typescript');
const list = readFileSync(process.argv[2], 'utf8').split('\n').filter(Boolean);
const KIND = { '.js': ts.ScriptKind.JSX, '.jsx': ts.ScriptKind.JSX, '.mjs': ts.ScriptKind.JSX, '.cjs': ts.ScriptKind.JSX, '.ts': ts.ScriptKind.TS, '.mts': ts.ScriptKind.TS, '.cts': ts.ScriptKind.TS, '.tsx': ts.ScriptKind.TSX };
const SCRIPT_RE = /<script\b[^>]*>([\s\S]*?)<\/script\s*>/gi;
let parsed = 0;
for (const file of list) {
  const ext = /\.[^./]+$/.exec(file)?.[0].toLowerCase() ?? '';
  let text = readFileSync(file, 'utf8');
  let kind = KIND[ext];
  if (kind === undefined) {
    text = [...text.matchAll(SCRIPT_RE)].map((m) => m[1]).join('\n;\n');
    kind = ts.ScriptKind.TS;
  }
  ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false, kind);
  parsed++;
}
console.log(parsed);
