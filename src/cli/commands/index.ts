/** The command table: one module per command. Add a command by adding its module here. */
import type { Command } from '../command.js';
import { baseline } from './baseline.js';
import { deps } from './deps.js';
import { fix } from './fix.js';
import { merge } from './merge.js';
import { mockApi } from './mock-api.js';
import { rules } from './rules.js';
import { scan } from './scan.js';

export const COMMANDS: readonly Command[] = [scan, baseline, merge, deps, rules, fix, mockApi];
