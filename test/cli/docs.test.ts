/** docs/cli.md matches the CLI: its help blocks are the generated `--help` output of every command. */
import { describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from '../../src/cli/program.js';
import { COMMANDS } from '../../src/cli/commands/index.js';
import { REPO } from './helpers.js';

const DOC = join(REPO, 'docs/cli.md');

async function helpOf(name: string): Promise<string> {
  const r = await parse(name === 'top' ? ['--help'] : [name, '--help'], COMMANDS, '0.0.0', 100);
  if (r.kind !== 'text') throw new Error(`no help for ${name}`);
  return r.text.trimEnd();
}

describe('docs/cli.md', () => {
  it('holds the help of every command, as the CLI prints it', async () => {
    let doc = readFileSync(DOC, 'utf8');
    const names = ['top', ...COMMANDS.map((c) => c.name)];
    const want = new Map<string, string>();
    for (const n of names) want.set(n, await helpOf(n));
    if (process.env.UPDATE_DOCS) {
      doc = doc.replace(/<!-- help:([\w-]+) -->[\s\S]*?<!-- \/help -->/g, (_m, n: string) => `<!-- help:${n} -->\n\`\`\`text\n${want.get(n) ?? ''}\n\`\`\`\n<!-- /help -->`);
      writeFileSync(DOC, doc);
    }
    const blocks = new Map([...doc.matchAll(/<!-- help:([\w-]+) -->\n```text\n([\s\S]*?)\n```\n<!-- \/help -->/g)].map((m) => [m[1]!, m[2]!]));
    expect([...blocks.keys()].sort(), 'one help block per command (UPDATE_DOCS=1 rewrites them)').toEqual([...names].sort());
    for (const n of names) expect(blocks.get(n), `docs/cli.md help:${n} is stale: run UPDATE_DOCS=1 npx vitest run test/cli/docs.test.ts`).toBe(want.get(n));
  });

  it('lists every command and says nothing is unimplemented', () => {
    const doc = readFileSync(DOC, 'utf8');
    for (const c of COMMANDS) expect(doc).toContain(`## \`${c.name}\``);
    expect(doc).not.toMatch(/not implemented/i);
    expect(doc).not.toMatch(/src\/cli\/(run|discover|config|scan)\.js/); // moved to src/scan
  });
});
