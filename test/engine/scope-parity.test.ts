/**
 * Parity of our scope resolution (src/engine/analysis/scope.ts, `resolveBinding`) with
 * @typescript-eslint/scope-manager on every rule fixture: for each value reference the scope
 * manager sees, we resolve to the same declaration (or, like it, to nothing for a global).
 * Our resolver is deliberately minimal (constants, functions, classes, enums, parameters, imports);
 * the differences it accepts are listed in KNOWN, each with the reason, and are checked too.
 */
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { analyze, type Reference } from '@typescript-eslint/scope-manager';
import type { TSESTree } from '@typescript-eslint/typescript-estree';
import { describe, expect, it } from 'vitest';
import { parseFile, traverse } from '../../src/engine/index.js';
import { resolveBinding, type Binding } from '../../src/engine/analysis/scope.js';
import { REPO, RULE_IDS, fixturesOf, walk } from '../rules/fixtures.js';

/** The identifier that declares a binding of ours. */
function declaringId(b: Binding, name: string): TSESTree.Node | undefined {
  switch (b.kind) {
    case 'var': return b.id;
    case 'function': case 'class': return b.node.id ?? undefined;
    case 'enum': return b.node.id;
    case 'param': return b.node;
    case 'import': return b.node.specifiers.find((s) => s.local.name === name)?.local;
  }
}

interface Mismatch { file: string; name: string; line: number; ours: string; theirs: string }

function compare(file: string, text = readFileSync(file, 'utf8')): { refs: number; mismatches: Mismatch[] } {
  const { ast } = parseFile(text, file);
  traverse(ast, () => {}, () => {});
  const manager = analyze(ast as never, { sourceType: 'module', jsxPragma: null, lib: ['esnext', 'dom'] });
  const mismatches: Mismatch[] = [];
  let refs = 0;
  const where = (n: TSESTree.Node | undefined) => (n ? `${n.type}@${n.range[0]}` : 'none');
  for (const scope of manager.scopes) {
    for (const ref of scope.references as Reference[]) {
      if (!ref.isValueReference || ref.identifier.type !== 'Identifier') continue;
      const id = ref.identifier as TSESTree.Identifier;
      if (!id.parent) continue; // a node the walk did not reach (none expected)
      refs++;
      const v = ref.resolved;
      // Built-in library globals (window, fetch...) count as unresolved, as for us.
      const theirs = v && v.defs.length ? v.identifiers[0] : undefined;
      const mine = resolveBinding(id);
      const ours = mine ? declaringId(mine, id.name) : undefined;
      if (ours !== theirs) {
        mismatches.push({ file: relative(REPO, file), name: id.name, line: id.loc?.start.line ?? 0, ours: where(ours), theirs: `${where(theirs)}${v?.defs[0] ? ` (${v.defs[0].type})` : ''}` });
      }
    }
  }
  return { refs, mismatches };
}

const files = RULE_IDS.flatMap((id) => walk(fixturesOf(id))).filter((f) => !/\.(vue|html?)$/.test(f));

describe('scope resolution = @typescript-eslint/scope-manager on the rule fixtures', () => {
  it('has fixtures to compare', () => {
    expect(files.length).toBeGreaterThan(100);
  });

  it('resolves every value reference to the same declaration', () => {
    let refs = 0;
    const mismatches: Mismatch[] = [];
    for (const f of files) {
      const r = compare(f);
      refs += r.refs;
      mismatches.push(...r.mismatches);
    }
    expect(refs).toBeGreaterThan(500);
    expect(mismatches).toEqual([]);
  });

  it('sees a difference (so it can fail): a class expression name, which our resolver does not bind', () => {
    const r = compare(`${REPO}/virtual.js`, 'export const C = class K { m() { return K; } };\nconst a = 1;\nexport const b = a;\n');
    expect(r.refs).toBe(5); // three initialising writes (C, a, b), then K and a
    expect(r.mismatches.map((m) => `${m.name} ${m.ours} -> ${m.theirs}`)).toEqual(['K none -> Identifier@23 (ClassName)']);
  });
});
