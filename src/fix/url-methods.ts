/**
 * no-client-id-auth in browser code: a class method that builds a request URL and returns it
 * (a store's URL builder), its callers being the requests:
 *
 *   class Tracks {
 *     request() {
 *       var url = this.nextHref || `https://api.soundcloud.com/tracks?linked_partitioning=1&client_id=${CLIENT_ID}`;
 *       if (this.genre) url += `&tags=${this.genre}`;
 *       return url;
 *     }
 *     async load() { const res = await axios.get(this.request()); ... }
 *   }
 *
 * or a method that returns each of its URLs whole (`url(id) { if (id) return \`${API}/tracks/${id}?client_id=${this.clientId}\`;
 * return \`${API}/tracks?client_id=${this.clientId}&q=${this.q}\`; }`, its callers `axios({ url: this.url(id) })`).
 * The builder stops appending the client_id and every request its result goes to takes the token
 * in the header (browser-client.ts does the rest: the generated module, its import). Only when the
 * URL is a local `var`/`let` of the method that is only extended (`url += ...`) and returned (every
 * `return` of the method returns it), the client_id is not the URL's first parameter (what the
 * method appends still follows a `?`), or every `return` of the method returns a string it writes
 * there (a literal, a template, a `+` of strings); and every mention of the method's name in the
 * file is a call (`this.name()`, or of a module constant holding `new Class()`) that is the URL
 * argument of a request in an async function; no other project file that imports this one names
 * it. Else the finding keeps its marker.
 */
import type { TSESTree } from '@typescript-eslint/typescript-estree';
import { resolveBinding } from '../engine/analysis/scope.js';
import type { RequestInfo } from '../engine/analysis/requests.js';
import { propName, unwrap } from '../engine/analysis/values.js';
import type { FileFacts, ParamSite } from '../engine/analysis/facts.js';
import type { ProviderContext } from './providers.js';
import { traverseCollect } from '../engine/walk.js';
import { projectFilesNaming } from './project-model.js';
import { importSpecifiers } from './safety.js';
import { enclosingFunction, isAsyncContext, isModuleBinding, mentionCount, referencesTo, stringRoot } from './rewrites.js';

type N = TSESTree.Node;

/** Nodes under `root` that `keep` accepts. */
function collect(root: N, keep: (n: N) => boolean): N[] {
  const out: N[] = [];
  traverseCollect(root as never, (n: N) => { if (keep(n)) out.push(n); });
  return out;
}

/**
 * The requests that a URL builder method's result goes to, and the method, when the client_id
 * finding `p` sits in such a method's URL (see the head comment); undefined otherwise.
 */
export function urlMethodRequests(ctx: ProviderContext, p: ParamSite, facts: FileFacts): { requests: RequestInfo[]; method: TSESTree.FunctionLike } | undefined {
  if (p.via !== 'text') return undefined;
  const root = stringRoot(p.report);
  const fn = grownUrlMethod(ctx, root) ?? returnedUrlMethod(root);
  const method = fn?.parent;
  if (fn?.type !== 'FunctionExpression' || fn.async || fn.generator || method?.type !== 'MethodDefinition' || method.kind !== 'method' || method.static || method.computed) return undefined;
  const name = method.key.type === 'Identifier' ? propName(method) : undefined;
  const cls = method.parent?.parent;
  if (!name || !/^[A-Za-z_]\w*$/.test(name) || (cls?.type !== 'ClassDeclaration' && cls?.type !== 'ClassExpression')) return undefined;
  // every mention of the name is a call whose value is a request's URL, in an async function
  const calls = collect(facts.ast as N, (n) => n.type === 'MemberExpression' && !n.computed && n.property.type === 'Identifier' && n.property.name === name);
  if (!calls.length) return undefined;
  // (an object key of the same name is no mention: `axios({ url: this.url() })`)
  const keys = collect(facts.ast as N, (n) => n.type === 'Property' && !n.computed && !n.shorthand && n.key.type === 'Identifier' && n.key.name === name).length;
  if (mentionCount(ctx.text, name) - keys !== calls.length + 1) return undefined;
  const out: RequestInfo[] = [];
  for (const m of calls as TSESTree.MemberExpression[]) {
    const call = m.parent;
    if (call?.type !== 'CallExpression' || call.callee !== m || !receiverOf(unwrap(m.object as N), cls)) return undefined;
    const rs = facts.requests.filter((r) => r.urlNode && unwrap(r.urlNode) === call);
    const r = rs[0];
    if (rs.length !== 1 || !r || r.lib === 'sdk' || r.lib === 'xhr' || r.lib === 'jquery' || r.lib === 'angular' || !isAsyncContext(r.call)) return undefined;
    out.push(r);
  }
  return calledElsewhere(ctx, name) ? undefined : { requests: out, method: fn };
}

/**
 * `var url = <root>` (or `var url = this.next || <root>`) in the body of its function, only extended
 * (`url += ...`) and returned by every `return` of the function, with the client_id after another
 * parameter (what is appended still follows a `?`): the function.
 */
function grownUrlMethod(ctx: ProviderContext, root: N): TSESTree.FunctionLike | undefined {
  let init: N = root;
  if (init.parent?.type === 'LogicalExpression' && init.parent.right === init && (init.parent.operator === '||' || init.parent.operator === '??')) init = init.parent;
  const d = init.parent;
  if (d?.type !== 'VariableDeclarator' || d.init !== init || d.id.type !== 'Identifier' || d.parent?.type !== 'VariableDeclaration' || d.parent.kind === 'const' || d.parent.declarations.length !== 1) return undefined;
  if (!/&client_id=/.test(ctx.text.slice(root.range[0], root.range[1]))) return undefined;
  const fn = enclosingFunction(d) as TSESTree.FunctionLike | undefined;
  if (!fn || d.parent.parent !== fn.body) return undefined;
  const refs = referencesTo(d as typeof d & { id: TSESTree.Identifier }, fn.body);
  let returned = 0;
  for (const x of refs) {
    const up = x.parent;
    if (up?.type === 'AssignmentExpression' && up.left === x && up.operator === '+=' && up.parent?.type === 'ExpressionStatement') continue;
    if (up?.type === 'ReturnStatement' && up.argument === x) { returned++; continue; }
    return undefined;
  }
  return returned && returned === returnsOf(fn).length ? fn : undefined;
}

/** `return <root>`, where every `return` of the function returns a string it writes there: the function. */
function returnedUrlMethod(root: N): TSESTree.FunctionLike | undefined {
  const ret = root.parent;
  const fn = ret?.type === 'ReturnStatement' && ret.argument === root ? enclosingFunction(ret) as TSESTree.FunctionLike | undefined : undefined;
  return fn && returnsOf(fn).every((r) => !!r.argument && writesString(unwrap(r.argument))) ? fn : undefined;
}

/** A string literal, a template, or a `+` with one of them: a string the function writes. */
const writesString = (x: N): boolean => x.type === 'TemplateLiteral' || (x.type === 'Literal' && typeof x.value === 'string')
  || (x.type === 'BinaryExpression' && x.operator === '+' && (writesString(unwrap(x.left as N)) || writesString(unwrap(x.right))));

function returnsOf(fn: TSESTree.FunctionLike): TSESTree.ReturnStatement[] {
  return fn.body ? collect(fn.body, (n) => n.type === 'ReturnStatement' && enclosingFunction(n) === fn) as TSESTree.ReturnStatement[] : [];
}

/** `this` inside the class, or a module constant holding `new Class()`. */
function receiverOf(o: N, cls: TSESTree.ClassDeclaration | TSESTree.ClassExpression): boolean {
  if (o.type === 'ThisExpression') {
    // a method, or an arrow function kept in a field (`load = async () => ...`)
    let f = enclosingFunction(o);
    while (f?.type === 'ArrowFunctionExpression' && f.parent?.type !== 'PropertyDefinition') f = enclosingFunction(f);
    const owner = f?.parent;
    return (owner?.type === 'MethodDefinition' || owner?.type === 'PropertyDefinition') && !owner.static && owner.parent?.parent === cls;
  }
  if (o.type !== 'Identifier') return false;
  const b = resolveBinding(o);
  if (b?.kind !== 'var' || b.declKind !== 'const' || !isModuleBinding(b)) return false;
  const init = b.declarator.init && unwrap(b.declarator.init as N);
  if (init?.type !== 'NewExpression') return false;
  const c = unwrap(init.callee as N);
  if (c.type === 'ClassExpression') return c === cls;
  return c.type === 'Identifier' && cls.type === 'ClassDeclaration' && !!cls.id && c.name === cls.id.name;
}

/** Another project file imports this one and names the method (it may call it): not modelled. */
function calledElsewhere(ctx: ProviderContext, name: string): boolean {
  const project = ctx.project;
  if (!project) return true;
  for (const { abs, text } of projectFilesNaming(project, [name], new Set([ctx.filename]))) {
    for (const spec of importSpecifiers(text)) if (project.resolveImport(abs, spec) === ctx.filename) return true;
  }
  return false;
}
