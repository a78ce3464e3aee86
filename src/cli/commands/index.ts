/** The command table: one module per command. Add a command by adding its module here. */
import type { Command } from '../command.js';
import { baseline } from './baseline.js';
import { fix } from './fix.js';
import { mockApi } from './mock-api.js';
import { rules } from './rules.js';
import { scan } from './scan.js';

export const COMMANDS: readonly Command[] = [scan, baseline, rules, fix, mockApi];
