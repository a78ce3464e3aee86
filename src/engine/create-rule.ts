import type { FixKind, RuleContext, RuleListener, ScRule, Severity } from './types.js';

export const DOCS_BASE = 'https://github.com/sc-migrate/sc-migrate/blob/main/rules/';

export interface RuleDefinition<M extends string> {
  /** kebab-case id, the name of its folder rules/<id>/ (rule.ts, README.md, fixtures/) and of transforms/<id>.ts. */
  id: string;
  description: string;
  severity: Severity;
  fixKind: FixKind;
  scope?: 'file' | 'project';
  messages: Record<M, string>;
  create(context: RuleContext<M>): RuleListener;
}

/** Builds an ESLint-compatible rule object carrying sc-migrate's metadata in `meta.docs.scMigrate`. */
export function createRule<M extends string>(def: RuleDefinition<M>): ScRule<M> {
  return {
    meta: {
      type: 'problem',
      docs: {
        description: def.description,
        url: `${DOCS_BASE}${def.id}/README.md`,
        recommended: def.severity === 'error',
        scMigrate: { id: def.id, severity: def.severity, fixKind: def.fixKind, scope: def.scope ?? 'file' },
      },
      messages: def.messages,
      schema: [],
      ...(def.fixKind === 'auto' ? { fixable: 'code' as const } : {}),
      ...(def.fixKind !== 'manual' ? { hasSuggestions: true } : {}),
    },
    create: def.create,
  };
}

export const ruleId = (rule: ScRule): string => rule.meta.docs.scMigrate.id;
