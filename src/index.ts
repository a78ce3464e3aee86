/**
 * `import ... from 'sc-migrate'`: the programmatic API, the same engine the CLI runs.
 *
 *   const result = await runScan({ cwd: process.cwd(), paths: ['src'] });
 *   console.log(formatResult(result, 'sarif'));
 *
 * The auth runtime (`sc-migrate/runtime`), the mock API (`sc-migrate/mock-api`) and the ESLint
 * plugin (`sc-migrate/eslint-plugin`) are entries of their own.
 */
export { runScan, type RunScanOptions } from './scan/run.js';
export type { ScanFinding, ScanResult, ScanStats, SkippedFile, RuleInfo } from './scan/types.js';
export { formatResult, FORMATS, type Format, type FormatOptions } from './report/index.js';
export { runFixCommand, type FixCommandOptions, type FixSummary } from './fix/command.js';
export type { FixResult } from './fix/apply.js';
export { allRules, rulesById } from '../rules/index.js';
