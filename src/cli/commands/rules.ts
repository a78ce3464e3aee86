/** `sc-migrate rules`: the rule table. */
import { loadRules, ruleInfo } from '../../scan/rules.js';
import type { Args, CliIO, Command } from '../command.js';
import { lastOf } from '../options.js';

export const rules: Command = {
  name: 'rules',
  describe: 'List the rules',
  options: { format: { alias: 'f', type: 'string', choices: ['pretty', 'json'], default: 'pretty', describe: 'Output format' } },
  async run(args: Args, io: CliIO): Promise<number> {
    const list = (await loadRules()).map((r) => ruleInfo(r));
    if (lastOf(args.format) === 'json') {
      io.stdout.write(JSON.stringify(list.map(({ docsMarkdown: _d, ...r }) => r), null, 2) + '\n');
      return 0;
    }
    const w = Math.max(4, ...list.map((r) => r.id.length));
    const lines = [`${'RULE'.padEnd(w)}  SEVERITY  FIX      DESCRIPTION`];
    for (const r of list) lines.push(`${r.id.padEnd(w)}  ${r.severity.padEnd(8)}  ${r.fixKind.padEnd(7)}  ${r.description}`);
    if (!list.length) lines.push('(no rules registered)');
    io.stdout.write(lines.join('\n') + '\n');
    return 0;
  },
};
