/** Object properties with a known value anywhere in the file (config objects not passed to a request). */
import type { TSESTree } from '@typescript-eslint/typescript-estree';
import { inAssertionOrMock, isScParam, siteOf, type FileFacts } from './facts.js';
import type { SitePosition } from './strings.js';
import { evalString, flatText, nameOf, propName, resolveExpression, resolveObject, unwrap } from './values.js';
import { importersOf, usedBySoundCloudImporter } from './usage.js';
import { mentionsSoundCloud } from '../prefilter.js';
import { classifyUrl } from './hosts.js';
import { requestUrl, scPackageImports } from './requests.js';
import { resolveBinding } from './scope.js';
import { namesOtherService } from './providers.js';
import { startOf, endOf } from '../offsets.js';

/**
 * Properties `key: <value>` in SoundCloud config that no request model covered. An object that
 * names another provider's URL beside the key, or that a request to a non-SoundCloud URL sends,
 * is not SoundCloud's.
 */
export function grantProperties(facts: FileFacts, key: string, value: RegExp): { key: TSESTree.Node; prop: TSESTree.Property }[] {
  const out: { key: TSESTree.Node; prop: TSESTree.Property }[] = [];
  const lists = new Set<TSESTree.Node>();
  for (const n of facts.properties) {
    if (propName(n) !== key) continue;
    // (a test's assertion or mock: `nock(API).post('/oauth2/token', { grant_type: 'password' })`)
    if (foreignHolder(n, facts) || (facts.isTest && inAssertionOrMock(n)) || recordsResponse(n.value as TSESTree.Node, facts) || storedRow(n)) continue;
    // A value written in another file (`grant_type: env.X || creds.grant_type`) is reported where
    // it is written, once, not at every importer (issue 10, item 4).
    // (a list, as OAuth client libraries take scopes: `scope: ['non-expiring']` is read as its words joined)
    const v = unwrap(n.value as TSESTree.Node);
    const list = v.type === 'ArrayExpression' ? v : namedList(v, facts);
    const alts = list ? joinedWords(list, facts) : evalString(n.value as TSESTree.Node, facts.env);
    if (!alts.some((a) => a.every((p) => p.kind === 'text' && p.file === facts.env.filename) && value.test(flatText(a)))) continue;
    // a named list (`scopes: SCOPES`, `scopes: this.scopes`) is reported where it is written, once
    if (list && list !== v) { if (!lists.has(list)) out.push({ key: list, prop: n }); lists.add(list); } else out.push({ key: n.key, prop: n });
  }
  return out;
}

/** A database client's write: Supabase / Knex `.insert` / `.upsert` / `.update`, MongoDB's `insertOne` / `updateOne` / `findOneAndUpdate`, Prisma's `create({ data })`. */
const DB_WRITE = /^(?:insert|insertOne|insertMany|upsert|update|updateOne|updateMany|findOneAndUpdate|replaceOne)$/;

/**
 * A row the app saves (`db.from('accounts').upsert({ platform: 'soundcloud', scopes: ['non-expiring'] })`,
 * `prisma.account.create({ data: { scope } })`, `$set: {...}`): a record of what a login granted, not sent to SoundCloud.
 */
function storedRow(n: TSESTree.Property): boolean {
  let o: TSESTree.Node | undefined = n.parent;
  for (let i = 0; i < 2 && o?.type === 'ObjectExpression'; i++) {
    let p: TSESTree.Node | undefined = o.parent;
    if (p?.type === 'ArrayExpression') p = p.parent;
    if (p?.type === 'CallExpression' && p.callee.type === 'MemberExpression') {
      const m = propName(p.callee) ?? '';
      if (DB_WRITE.test(m) || (i === 1 && /^(?:create|createMany|upsert|update)$/.test(m))) return true;
    }
    // one level up: `{ data: {...} }` (Prisma), `{ $set: {...} }` (MongoDB), `{ values: {...} }`
    if (p?.type !== 'Property' || !/^(?:data|\$set|\$setOnInsert|values|create|update)$/.test(propName(p) ?? '')) return false;
    o = p.parent;
  }
  return false;
}

/**
 * A record of what a token response granted, falling back to what was asked: `scopes: json.scope ??
 * SCOPE` in the object a token helper returns, where `json` is the response's body (`await res.json()`,
 * `res.data`). The request that asked for the scope writes it (and is reported there); this object is not sent.
 */
function recordsResponse(v: TSESTree.Node, facts: FileFacts): boolean {
  const x = unwrap(v);
  if (x.type !== 'LogicalExpression' || (x.operator !== '??' && x.operator !== '||')) return false;
  const left = unwrap(x.left);
  if (left.type !== 'MemberExpression' || left.object.type !== 'Identifier') return false;
  const loc = resolveExpression(left.object, facts.env);
  let init = loc && loc.env.filename === facts.env.filename ? unwrap(loc.node) : undefined;
  if (init?.type === 'AwaitExpression') init = unwrap(init.argument);
  // `await res.json()`, `res.json()`, `await readJson(res)` (an app helper given the response),
  // `(await axios.post(...)).data`, `res.data` of `res = await axios.post(...)`
  const awaitedCall = (n: TSESTree.Node | undefined): boolean => {
    let h = n && unwrap(n);
    if (h?.type === 'Identifier') {
      const held = resolveExpression(h, facts.env);
      h = held && held.env.filename === facts.env.filename ? unwrap(held.node) : undefined;
    }
    return h?.type === 'AwaitExpression' && unwrap(h.argument).type === 'CallExpression';
  };
  if (init?.type === 'CallExpression') {
    if (init.callee.type === 'MemberExpression' && propName(init.callee) === 'json' && !init.arguments.length) return true;
    return init.arguments.length === 1 && unwrap(init.arguments[0] as TSESTree.Node).type === 'Identifier' && awaitedCall(init.arguments[0] as TSESTree.Node);
  }
  if (init?.type !== 'MemberExpression' || !/^(data|body)$/.test(propName(init) ?? '')) return false;
  return awaitedCall(init.object);
}

/** The list a name holds in this file: `const SCOPES = [...]`, a class's `static scopes = [...]` read as `this.scopes`. */
function namedList(v: TSESTree.Node, facts: FileFacts): TSESTree.ArrayExpression | undefined {
  if (v.type !== 'Identifier' && v.type !== 'MemberExpression') return undefined;
  const loc = resolveExpression(v, facts.env);
  const x = loc && loc.env.filename === facts.env.filename ? unwrap(loc.node) : undefined;
  return x?.type === 'ArrayExpression' ? x : undefined;
}

/** A list of strings as one text of its words (`['non-expiring', '*']` -> `non-expiring *`); none when an element is not text. */
function joinedWords(arr: TSESTree.ArrayExpression, facts: FileFacts): ReturnType<typeof evalString> {
  const words: ReturnType<typeof evalString>[number] = [];
  for (const el of arr.elements) {
    if (!el || el.type === 'SpreadElement') return [];
    const first = evalString(el as TSESTree.Node, facts.env)[0];
    if (!first) return [];
    if (words.length) words.push({ ...first[0]!, kind: 'text', text: ' ' } as (typeof words)[number]);
    words.push(...first);
  }
  return words.length ? [words] : [];
}

/**
 * Assignments `holder.key = <value>` in a file with SoundCloud context (a body or query object
 * filled field by field before a library sends it: `query.grant_type = 'password'` then node-oauth's
 * `getOAuthAccessToken(code, query)`), the value written in this file. A holder that names another
 * service (`spotifyQuery.grant_type = ...`) is not SoundCloud's.
 */
export function grantAssignments(facts: FileFacts, key: string, value: RegExp): { key: TSESTree.Node; assignment: TSESTree.AssignmentExpression }[] {
  if (!facts.scContext) return [];
  const out: { key: TSESTree.Node; assignment: TSESTree.AssignmentExpression }[] = [];
  for (const a of facts.assignments) {
    const left = a.left;
    if (a.operator !== '=' || left.type !== 'MemberExpression') continue;
    const name = left.computed ? (left.property.type === 'Literal' ? String(left.property.value) : undefined) : left.property.type === 'Identifier' ? left.property.name : undefined;
    if (name !== key) continue;
    if (namesOtherService(nameOf(left.object))) continue;
    // (a list: `Provider.prototype.defaultScope = ['non-expiring']`, read as its words joined)
    const v = unwrap(a.right as TSESTree.Node);
    const alts = v.type === 'ArrayExpression' ? joinedWords(v, facts) : evalString(a.right as TSESTree.Node, facts.env);
    if (alts.some((x) => x.every((p) => p.kind === 'text' && p.file === facts.env.filename) && value.test(flatText(x)))) out.push({ key: left.property, assignment: a });
  }
  return out;
}

function foreignHolder(prop: TSESTree.Property, facts: FileFacts): boolean {
  const obj = prop.parent;
  if (obj?.type === 'ObjectExpression') {
    // A sibling naming another host or a path of the app makes the object someone else's, unless
    // a sibling names SoundCloud: a provider config with SoundCloud's authorize endpoint and the
    // app's own exchange route (satellizer's `url: '/auth/soundcloud'`) is SoundCloud's.
    let other = false;
    for (const p of obj.properties) {
      // the app's own callback URL says nothing about whose endpoint this is
      if (p.type !== 'Property' || p === prop || /^(redirect_?ur[il]|redirectUr[il]|callback_?url|callbackUrl)$/i.test(propName(p) ?? '')) continue;
      const kinds = evalString(p.value as TSESTree.Node, facts.env).map((a) => classifyUrl(flatText(a)).kind);
      if (kinds.includes('sc')) { other = false; break; }
      if (kinds.some((k) => k === 'foreign' || k === 'relative')) other = true;
    }
    if (other) return true;
  }
  for (let n: TSESTree.Node | undefined = prop.parent; n; n = n.parent) {
    if (n.type === 'CallExpression') {
      const r = facts.requests.find((x) => x.call === n);
      if (r) return !requestUrl(r, facts.env).some((a) => classifyUrl(flatText(a)).kind === 'sc') && requestUrl(r, facts.env).some((a) => ['foreign', 'relative'].includes(classifyUrl(flatText(a)).kind));
    }
    if (n.type.includes('Function')) break;
  }
  return false;
}

/**
 * Where a parameter is given a value matching `value`: sent parameters about SoundCloud, plus
 * SoundCloud config properties no request model covered (minus `skip`, already reported).
 */
export function valueSites(facts: FileFacts, name: string, value: RegExp, skip: ReadonlySet<unknown> = new Set()): { node: TSESTree.Node | SitePosition; value: string }[] {
  const out: { node: TSESTree.Node | SitePosition; value: string }[] = [];
  const covered = new Set<unknown>(skip);
  for (const p of facts.params) {
    if (p.name !== name) continue;
    covered.add(p.report);
    if (p.value !== undefined && value.test(p.value) && isScParam(p, facts)) out.push({ node: siteOf(p), value: p.value });
  }
  const props = facts.scContext ? grantProperties(facts, name, value) : grantProperties(facts, name, value).filter((g) => exportUsedForSoundCloud(g.prop, facts));
  {
    for (const g of props) {
      if (covered.has(g.key)) continue;
      const v = evalString(g.prop.value as TSESTree.Node, facts.env).map(flatText).find((t) => value.test(t)) ?? '';
      out.push({ node: g.key, value: v });
    }
  }
  for (const g of grantAssignments(facts, name, value)) {
    if (covered.has(g.key) || covered.has(g.assignment) || covered.has(g.assignment.right) || covered.has(g.assignment.left)) continue;
    out.push({ node: g.key, value: evalString(g.assignment.right as TSESTree.Node, facts.env).map(flatText).find((t) => value.test(t)) ?? '' });
  }
  return out;
}

/**
 * A property of an exported object (`export const CREDS = {...}`, `module.exports = {...}`) that an
 * importer naming SoundCloud reads: a credentials module used by many files is reported once, where
 * the value is written (issue 10, item 4).
 */
export function exportUsedForSoundCloud(prop: TSESTree.Property, facts: FileFacts): boolean {
  let n = prop as TSESTree.Node;
  while (n.parent && n.parent.type !== 'Program') {
    n = n.parent as TSESTree.Node;
    if (n.type.includes('Function')) return false;
  }
  let name: string | undefined;
  if (n.type === 'ExportNamedDeclaration' && n.declaration?.type === 'VariableDeclaration') {
    const d = n.declaration.declarations.find((x) => x.init && startOf(x) <= startOf(prop) && endOf(prop) <= endOf(x));
    if (d?.id.type === 'Identifier') name = d.id.name;
  } else if (n.type === 'VariableDeclaration') {
    const d = n.declarations.find((x) => x.init && startOf(x) <= startOf(prop) && endOf(prop) <= endOf(x));
    if (d?.id.type === 'Identifier') name = d.id.name;
  } else if (n.type === 'ExportDefaultDeclaration' || (n.type === 'ExpressionStatement' && n.expression.type === 'AssignmentExpression' && /^(module\.)?exports/.test(nameOf(n.expression.left)))) {
    name = n.type === 'ExportDefaultDeclaration' ? 'default' : nameOf((n.expression as TSESTree.AssignmentExpression).left).split('.').pop();
  }
  if (!name) return false;
  if (name === 'default' || name === 'exports') return importersOf(facts.project, facts.env.filename).some((f) => { const t = facts.project.readFile(f); return !!t && mentionsSoundCloud(t); });
  return usedBySoundCloudImporter(facts.project, facts.env.filename, name);
}

/** A global named for SoundCloud (no import or declaration in the file): a client a framework package provides. */
const GLOBAL_CLIENT = /^Sound[Cc]loud$/;

/**
 * Client packages given a user's username and password (`new SC({ client_id, client_secret,
 * username, password })`): the only grant they can make of them is password. Also a client the
 * page or framework provides as a global of SoundCloud's name, given the client id beside them (a
 * Meteor package's `Soundcloud.setConfig({ client_id, client_secret, username, password })`).
 * `text` is the file's source (a file that neither imports a client package nor names such a global is not looked at).
 */
export function packagePasswordGrants(facts: FileFacts, text: string): { password: TSESTree.Property; pkg: string }[] {
  // (a `password` key is written out in the file whatever else it has)
  if (!text.includes('password')) return [];
  const packages = scPackageImports(facts.ast, false, facts.calls);
  if (!packages.size && !/\bSound[Cc]loud\s*\./.test(text)) return [];
  const out: { password: TSESTree.Property; pkg: string }[] = [];
  for (const n of [...facts.news, ...facts.calls]) {
    const callee = unwrap(n.callee);
    const root = callee.type === 'MemberExpression' ? unwrap(callee.object) : callee;
    const name = nameOf(root);
    const global = root.type === 'Identifier' && GLOBAL_CLIENT.test(name) && !resolveBinding(root);
    const pkg = packages.get(name) ?? (global ? name : undefined);
    if (!pkg || !n.arguments[0]) continue;
    const o = resolveObject(n.arguments[0] as TSESTree.Node, facts.env);
    if (o?.kind !== 'object') continue;
    const keys = new Map(o.node.properties.flatMap((p) => (p.type === 'Property' ? [[propName(p) ?? '', p] as const] : [])));
    const password = keys.get('password');
    if (!password || !keys.has('username') || o.env.filename !== facts.env.filename) continue;
    if (global && !keys.has('client_id') && !keys.has('clientId')) continue;
    out.push({ password, pkg });
  }
  return out;
}

/**
 * The values a SoundCloud password grant of this file sends as the user's password: the
 * `password` beside `grant_type: 'password'` of a token request or config object, and the
 * `password` handed to a client package (packagePasswordGrants).
 */
export function grantPasswords(facts: FileFacts, text: string): TSESTree.Node[] {
  // (the parameter's name, `password`, is written out in the file: most files have none)
  if (!text.includes('password')) return [];
  const out: TSESTree.Node[] = [];
  for (const p of facts.params) {
    if (p.name !== 'password' || p.via !== 'object' || !p.holder || !p.siblings.has('grant_type')) continue;
    if (!facts.params.some((g) => g.holder === p.holder && g.name === 'grant_type' && g.value === 'password') || !isScParam(p, facts)) continue;
    const prop = p.holder.properties.find((q) => q.type === 'Property' && propName(q) === 'password');
    if (prop?.type === 'Property') out.push(prop.value as TSESTree.Node);
  }
  for (const g of packagePasswordGrants(facts, text)) out.push(g.password.value as TSESTree.Node);
  return out;
}
