#!/usr/bin/env node
/**
 * `npm run new-rule -- <id> [--root <dir>]`: scaffolds rule <id> in one place and registers it.
 *
 *   rules/<id>/rule.ts                 detection (createRule), with a placeholder pattern
 *   rules/<id>/README.md               the doc, with every section the rule test requires
 *   rules/<id>/fixtures/expected.json  the findings of the invalid cases (line, column, messageId)
 *   rules/<id>/fixtures/invalid/*.js   8 placeholder cases the rule must find
 *   rules/<id>/fixtures/valid/*.js     8 placeholder cases it must not find
 *   rules/<id>/fix.ts                  its fix: the marker recipe (the one action left for a person)
 *   rules/index.ts                     one import and one entry in allRules (a static list, for bundling)
 *   src/fix/providers.ts               one import and one entry in ruleFixes (the fix registry)
 *   transforms/<id>.ts                 the jscodeshift entry (scripts/gen-transforms.ts)
 *
 * As generated, the rule passes the tests (test/rules, the RuleTester, the plugin): replace each
 * `TODO` (the pattern, the message, the doc, the cases and expected.json) and keep them passing.
 * `--root` scaffolds into another checkout (the scaffold's own test uses a temporary copy).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
const rootAt = args.indexOf('--root');
const root = rootAt >= 0 ? resolve(args.splice(rootAt, 2)[1] ?? '.') : resolve(fileURLToPath(new URL('..', import.meta.url)));
const id = args[0];

function fail(msg) {
  process.stderr.write(`new-rule: ${msg}\nusage: npm run new-rule -- <id> [--root <dir>]   (id: kebab-case, e.g. no-legacy-widget)\n`);
  process.exit(2);
}
if (!id || args.length !== 1) fail('give exactly one rule id');
if (!/^[a-z][a-z0-9]*(?:-[a-z0-9]+)+$/.test(id)) fail(`"${id}" is not a kebab-case id with at least two words`);

const rulesDir = join(root, 'rules');
const dir = join(rulesDir, id);
const indexFile = join(rulesDir, 'index.ts');
if (!existsSync(indexFile)) fail(`${indexFile} not found (is --root an sc-migrate checkout?)`);
if (existsSync(dir)) fail(`rules/${id}/ already exists`);

const camel = id.replace(/-([a-z0-9])/g, (_, c) => c.toUpperCase());
const marker = `TODO-${id}`;

const ruleTs = `import { createRule } from '../../src/engine/create-rule.js';
import { fileFacts } from '../../src/engine/analysis/facts.js';
import { reporter } from '../../src/engine/analysis/report.js';

// TODO(${id}): what the rule looks for. A finding needs SoundCloud context (see
// /work/shared/soundcloud-api.md and the facts of src/engine/analysis: literals, requests, hosts).
const PATTERN = /soundcloud\\.com\\/${marker}\\b/;

export default createRule({
  id: '${id}',
  description: 'TODO(${id}): one sentence on what the rule finds.',
  severity: 'warning',
  fixKind: 'manual',
  messages: {
    found: 'TODO(${id}): what is wrong, and what to do instead.',
  },
  create(context) {
    const report = reporter(context);
    return {
      'Program:exit'() {
        const facts = fileFacts(context);
        for (const l of facts.literals) {
          if (PATTERN.test(l.text)) report(l.node, 'found');
        }
      },
    };
  },
});
`;

const readme = `# ${id}

TODO(${id}): one sentence on what the rule finds.

**Severity:** warning  
**Fix:** manual — TODO(${id}): what the user does by hand.  
**Scope:** file

## What it finds

- TODO(${id}): the code shapes the rule reports, and where a finding goes.

## Why

TODO(${id}): the SoundCloud change behind the rule (reference section).

## Before / after

Before:

\`\`\`js
const url = 'https://api.soundcloud.com/${marker}/1';
\`\`\`

After:

\`\`\`js
const url = 'https://api.soundcloud.com/tracks/1';
\`\`\`

## Options / ignores

The rule has no options. Turn it off or change its severity in the config file
(\`sc-migrate.config.json\`, or \`"sc-migrate"\` in package.json), or on the command line
(\`--disable-rule ${id}\`). To accept one site, say why on the line above it:

\`\`\`js
// sc-migrate-ignore-next-line ${id} -- reason for keeping this
\`\`\`

\`/* sc-migrate-ignore-file */\` skips a whole file.

## SoundCloud context

TODO(${id}): when it fires, and the near misses it does not fire on.

Fixtures: [\`fixtures/\`](fixtures/).
`;

const CASES = 8;
const LEAD = 'const url = ';
const files = {};
const expected = {};
for (let i = 1; i <= CASES; i++) {
  files[`invalid/case-${i}.js`] = `// TODO(${id}): a real case the rule must find.\n${LEAD}'https://api.soundcloud.com/${marker}/${i}';\nexport default url;\n`;
  expected[`case-${i}.js`] = [{ line: 2, column: LEAD.length + 1, messageId: 'found' }];
  files[`valid/case-${i}.js`] = `// TODO(${id}): a near miss the rule must not find.\n${LEAD}'https://api.soundcloud.com/tracks/${i}';\nexport default url;\n`;
}
const expectedJson = `{\n${Object.entries(expected).map(([k, list]) => `  ${JSON.stringify(k)}: [\n${list.map((e) => `    { "line": ${e.line}, "column": ${e.column}, "messageId": ${JSON.stringify(e.messageId)} }`).join(',\n')}\n  ]`).join(',\n')}\n}\n`;

// Register first (the step that can fail on an unexpected index.ts), then write the folder.
/** `text` with one more default import (after the last matching one) and one more entry at the end of the list `listRe`. */
function register(text, file, importRe, importLine, listRe) {
  const imports = [...text.matchAll(importRe)];
  const list = listRe.exec(text);
  if (!imports.length || !list) fail(`${file} does not have the expected shape (imports, then the list)`);
  const last = imports[imports.length - 1];
  const at = last.index + last[0].length;
  const next = `${text.slice(0, at)}\n${importLine}${text.slice(at)}`;
  return next.replace(list[0], `${list[1]}${list[2].replace(/,?\s*$/, ',')}\n  ${camel},${list[3]}`);
}
const next = register(readFileSync(indexFile, 'utf8'), 'rules/index.ts', /^import \w+ from '\.\/[\w-]+\/rule\.js';$/gm,
  `import ${camel} from './${id}/rule.js';`, /(export const allRules: ScRule\[\] = \[)([\s\S]*?)(\n?\] as ScRule\[\];)/);
const providersFile = join(root, 'src', 'fix', 'providers.ts');
const nextProviders = existsSync(providersFile)
  ? register(readFileSync(providersFile, 'utf8'), 'src/fix/providers.ts', /^import \w+ from '\.\.\/\.\.\/rules\/[\w-]+\/fix\.js';$/gm,
    `import ${camel} from '../../rules/${id}/fix.js';`, /(export const ruleFixes: readonly RuleFix\[\] = \[)([\s\S]*?)(\n?\];)/)
  : undefined;
const fixTs = `/** The fix of ${id}: a marker only, until a rewrite is written (see src/fix/providers.ts). */
import type { RuleFix } from '../../src/fix/providers.js';

const fix: RuleFix = {
  id: '${id}',
  // TODO(${id}): the one action left for a person (short; the README has the long recipe).
  marker: 'TODO: the one action left for a person',
};
export default fix;
`;

mkdirSync(join(dir, 'fixtures', 'invalid'), { recursive: true });
mkdirSync(join(dir, 'fixtures', 'valid'), { recursive: true });
writeFileSync(join(dir, 'rule.ts'), ruleTs);
writeFileSync(join(dir, 'README.md'), readme);
writeFileSync(join(dir, 'fixtures', 'expected.json'), expectedJson);
for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, 'fixtures', name), text);
writeFileSync(indexFile, next);
if (nextProviders !== undefined) {
  writeFileSync(join(dir, 'fix.ts'), fixTs);
  writeFileSync(providersFile, nextProviders);
  // transforms/<id>.ts, generated from the fix registry
  const gen = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'scripts', 'gen-transforms.ts')], { cwd: root, encoding: 'utf8' });
  if (gen.status !== 0) fail(`scripts/gen-transforms.ts failed: ${gen.stderr || gen.stdout}`);
}

process.stdout.write(`created rules/${id}/ (rule.ts, fix.ts, README.md, fixtures/), registered it in rules/index.ts and src/fix/providers.ts, and wrote transforms/${id}.ts.
Next: replace every TODO(${id}), then \`npx vitest run test/rules test/eslint-plugin\`.
`);
