/** Every rule, in the order of the rules table. Rules are ESLint rule objects (see src/engine/create-rule.ts). */
import type { ScRule } from '../src/engine/types.js';

export const allRules: ScRule[] = [];

export const rulesById: ReadonlyMap<string, ScRule> = new Map(allRules.map((r) => [r.meta.docs.scMigrate.id, r]));
