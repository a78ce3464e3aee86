/** Reporting helpers shared by rules: one report per node and message, SDK call shapes. */
import type { TSESTree } from '@typescript-eslint/typescript-estree';
import type { FixFunction, RuleContext, Severity, SuggestionDescriptor } from '../types.js';
import { importedFrom, nameOf, propName, requireSpecifier, unwrap } from './values.js';
import { enclosingClassBody, resolveBinding, runtimeBinding } from './scope.js';
import { forEachChild } from '../walk.js';
import { startOf, endOf } from '../offsets.js';

type N = TSESTree.Node;

export function reporter<M extends string>(context: RuleContext<M>) {
  const done = new Set<string>();
  return (node: N | { loc?: TSESTree.SourceLocation; range: [number, number] }, messageId: M, data?: Record<string, string>, fix?: FixFunction | null, suggest?: SuggestionDescriptor<M>[], severity?: Severity) => {
    const key = `${startOf(node)}:${endOf(node)}:${messageId}`;
    if (done.has(key)) return;
    done.add(key);
    context.report({ node: node as N, messageId, ...(data ? { data } : {}), ...(fix ? { fix } : {}), ...(suggest?.length ? { suggest } : {}), ...(severity ? { severity } : {}) });
  };
}

/** `window.SC`, `$window.SC` (AngularJS), `globalThis.SC`, `self.SC`: the SDK's global. */
const GLOBAL_SC = /^(window|\$window|globalThis|self)\.SC$/;

/**
 * A name that holds the old SDK: the global SC (also a parameter named SC: an injected service),
 * a local alias `var SC = $window.SC`, the default import of 'soundcloud' or `require('soundcloud')`.
 */
function isSdkName(x: TSESTree.Identifier, depth = 0): boolean {
  const b = runtimeBinding(x);
  // a parameter keeps the SDK's name: AngularJS injects it (`function Auth($cookies, SC)`, a factory returning $window.SC)
  if (!b || b.kind === 'param') return x.name === 'SC';
  if (b.kind === 'import') return importedFrom(b.node) === 'soundcloud';
  if (b.kind !== 'var') return false;
  if (!b.declarator.init) return !b.path.length && assignedSdk(b.declarator);
  const init = unwrap(b.declarator.init);
  // a local alias of a name that holds it: `let sdk = SC; sdk.initialize({...})` (an Ember service's `sdk`)
  if (init.type === 'Identifier' && !b.path.length) return depth < 3 && init !== x && isSdkName(init, depth + 1);
  return isSdkLoad(init);
}

/** `require('soundcloud')` or the global `window.SC`. */
const isSdkLoad = (e: N): boolean => {
  const x = unwrap(e);
  return x.type === 'MemberExpression' ? isGlobalSc(x) : requireSpecifier(x) === 'soundcloud';
};

const GLOBAL_OBJECT = /^(window|\$window|globalThis|self)$/;

/**
 * The SDK's global: `window.SC`, or `window[SDK_GLOBAL]` by a constant of its name (`const SDK_GLOBAL =
 * 'SC'`: a player's script loader keeps the global's name beside the script's URL).
 */
function isGlobalSc(x: TSESTree.MemberExpression): boolean {
  if (!x.computed) return GLOBAL_SC.test(nameOf(x));
  if (x.property.type !== 'Identifier' || !GLOBAL_OBJECT.test(nameOf(x.object))) return false;
  const b = runtimeBinding(x.property);
  const init = b?.kind === 'var' && b.declKind === 'const' && !b.path.length ? b.declarator.init : undefined;
  return init?.type === 'Literal' && init.value === 'SC';
}

const assignedMemo = new WeakMap<TSESTree.VariableDeclarator, boolean>();

/**
 * A variable declared without a value that gets the SDK later, and only the SDK: `let Soundcloud;
 * if (process.browser) Soundcloud = require('soundcloud')` (a Nuxt store), `SC = require('soundcloud')`
 * in a Vue component's `mounted()`. Its assignments are looked for in the declaration's scope, once.
 */
function assignedSdk(d: TSESTree.VariableDeclarator): boolean {
  let found = assignedMemo.get(d);
  if (found !== undefined) return found;
  found = false;
  const name = (d.id as TSESTree.Identifier).name;
  const scope = d.parent?.parent;
  if (scope) {
    let other = false;
    const visit = (n: N): void => {
      if (other) return;
      if (n.type === 'AssignmentExpression' && n.left.type === 'Identifier' && n.left.name === name) {
        const b = resolveBinding(n.left);
        if (b?.kind === 'var' && b.declarator === d) {
          if (n.operator === '=' && isSdkLoad(n.right)) found = true;
          else other = true;
        }
      }
      forEachChild(n, visit);
    };
    visit(scope);
    if (other) found = false;
  }
  assignedMemo.set(d, found);
  return found;
}

/** `SC.method(...)` of the old SDK (`isSdkName`, or `window.SC.method(...)`): its method. */
export function sdkCall(call: TSESTree.CallExpression): string | undefined {
  const callee = unwrap(call.callee);
  if (callee.type !== 'MemberExpression') return undefined;
  const obj = unwrap(callee.object);
  const m = propName(callee);
  if (!m) return undefined;
  if (obj.type === 'Identifier') return isSdkName(obj) ? m : undefined;
  if (obj.type === 'MemberExpression' && isGlobalSc(obj)) return m;
  return undefined;
}

/** The SDK itself: the global `SC` / `window.SC`, the default import of 'soundcloud', `require('soundcloud')` (through `a = b = SC`). */
function isSdkValue(e: N): boolean {
  let x = unwrap(e);
  while (x.type === 'AssignmentExpression') x = unwrap(x.right);
  if (x.type === 'MemberExpression') return isGlobalSc(x);
  return x.type === 'Identifier' && isSdkName(x);
}

/** Fields that hold the SDK: `this.api = window.SC = SC` (a player class keeps it on a field). */
function sdkFields(assignments: readonly TSESTree.AssignmentExpression[]): Set<string> {
  const out = new Set<string>();
  for (const a of assignments) {
    if (a.operator !== '=' || a.left.type !== 'MemberExpression' || a.left.object.type !== 'ThisExpression') continue;
    const k = propName(a.left);
    if (k && isSdkValue(a.right)) out.add(k);
  }
  return out;
}

/** The SDK's methods (a call of one on a class field is looked up in the class: classSdkField). */
const SDK_METHODS = new Set(['initialize', 'connect', 'get', 'put', 'post', 'delete', 'stream', 'resolve', 'oEmbed', 'isConnected', 'disconnect']);
const classFields = new WeakMap<TSESTree.ClassBody, Set<string>>();

/** `this.<name>` is a field its class initialises to the SDK: `sdk: any = SC;` (a service class keeps it so). */
function classSdkField(x: TSESTree.MemberExpression): boolean {
  const body = enclosingClassBody(x);
  if (!body) return false;
  let set = classFields.get(body);
  if (!set) {
    set = new Set();
    for (const m of body.body) if (m.type === 'PropertyDefinition' && !m.static && m.value && isSdkValue(m.value)) { const k = propName(m); if (k) set.add(k); }
    classFields.set(body, set);
  }
  return set.has(propName(x) ?? '');
}

const sdkMemo = new WeakMap<readonly TSESTree.CallExpression[], [TSESTree.CallExpression, string][]>();

/** The SDK calls among a file's calls (`facts.calls`), with their method, in order: found once for every rule that asks. */
export function sdkCallsOf(facts: { calls: readonly TSESTree.CallExpression[]; assignments?: readonly TSESTree.AssignmentExpression[] }): readonly [TSESTree.CallExpression, string][] {
  let found = sdkMemo.get(facts.calls);
  if (!found) {
    found = [];
    const fields = facts.assignments?.length ? sdkFields(facts.assignments) : undefined;
    for (const c of facts.calls) {
      let m = sdkCall(c);
      // `this.api.initialize(...)` on a field that holds the SDK
      const callee = unwrap(c.callee);
      if (!m && callee.type === 'MemberExpression' && callee.object.type === 'MemberExpression' && callee.object.object.type === 'ThisExpression'
        && ((fields?.size && fields.has(propName(callee.object) ?? '')) || (SDK_METHODS.has(propName(callee) ?? '') && classSdkField(callee.object)))) m = propName(callee);
      if (m) found.push([c, m]);
    }
    sdkMemo.set(facts.calls, found);
  }
  return found;
}

export const SDK_DATA_CALLS = new Set(['get', 'put', 'post', 'delete', 'stream', 'resolve']);
