/**
 * A node's offsets in its text. The scanner's oxc trees carry `start` / `end` only (no `range`
 * array: a third of the deserialiser's bytes for every node); the trees ESLint hands the rules
 * (espree, @typescript-eslint/parser), those of the scanner's typescript-estree fallback, fix's
 * trees (parsed with locations) and the report positions rules make (`{ range, loc }`) carry
 * `range`. Every reader in the engine and the rules goes through these two (small enough for V8
 * to inline): `range` when there, else `start` / `end`. Range first, because ESLint's RuleTester
 * makes `start` / `end` getters that throw ("Use node.range[0] instead of node.start"), and
 * typescript-estree's nodes have no `start` at all. Both agree wherever both are set (acorn's
 * template elements are widened in both: parse.ts `normalise`).
 */
import type { Range } from './types.js';

type Spanned = { range?: Range; start?: number; end?: number };

export const startOf = (n: Spanned): number => { const r = n.range; return r !== undefined ? r[0] : n.start!; };
export const endOf = (n: Spanned): number => { const r = n.range; return r !== undefined ? r[1] : n.end!; };
