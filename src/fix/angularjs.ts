/**
 * no-client-id-auth for AngularJS `$http` in classic page scripts (classic-pages.ts): the app's
 * requests keep their form and their promise (`.success()` / `.error()` of AngularJS < 1.6 keep
 * working: the call returns the same HttpPromise), and ONE `$http` interceptor of the classic client
 * sends the app token with every request to api.soundcloud.com:
 *
 *   angular.module('app').service('Soundcloud', function ($http, SOUNDCLOUD) {     (the app's code)
 *     $http.get('https://api.soundcloud.com/users/' + u + '/tracks.json?client_id=' + SOUNDCLOUD.clientId)
 *   });
 * becomes
 *   angular.module('app').service('Soundcloud', function ($http, SOUNDCLOUD) {
 *     $http.get('https://api.soundcloud.com/users/' + u + '/tracks.json')
 *   });
 *   angular.module('app').config(soundcloudBrowserClient.angularConfig);
 *
 * `angularConfig` (the classic client, withClassicAngular) is `['$httpProvider', fn]`: it pushes the
 * client's interceptor once per injector (a second registration, from another fixed script, pushes
 * nothing). The interceptor waits for the app token (`$q.when(soundcloudAccessToken())`, the backend
 * route of createTokenEndpoint: it knows its own client id) and adds `Authorization: OAuth <token>`
 * to requests to api.soundcloud.com that carry no Authorization header and no `oauth_token` of their
 * own (a user's requests are the user's); every other request passes untouched.
 *
 * Only where the registration is certain: the request lies in a function handed to a registration
 * call of a module (`M.controller|service|factory|directive|component|run|filter(name, fn)`, also
 * `[deps..., fn]`) whose statement runs when the script loads (top level or a top-level IIFE), the
 * module being `angular.module('name')` (a definition `angular.module('name', [...])` becomes its
 * getter) or a plain name (`app.controller(...)`, written again after that statement). JSONP (no
 * headers) and api-v2 keep their marker.
 */
import type { TSESTree } from '@typescript-eslint/typescript-estree';
import type { RequestInfo } from '../engine/analysis/requests.js';
import { propName, unwrap } from '../engine/analysis/values.js';
import type { TextEdit } from '../engine/types.js';
import { traverseCollect } from '../engine/walk.js';
import { eolOf, isFn, lineIndent, quoteOf, removePropsEdits } from './rewrites.js';
import { styleOf } from './style.js';

type N = TSESTree.Node;

/** The classic client's AngularJS config block (`M.config(soundcloudBrowserClient.angularConfig)`). */
export const ANGULAR_CONFIG = 'angularConfig';
/** Does a generated client's text define the AngularJS interceptor (withClassicAngular's `var angularConfig = [...]`)? */
export const hasAngularConfig = (client: string): boolean => client.includes(`var ${ANGULAR_CONFIG} =`);

const REGISTRATIONS = /^(controller|service|factory|directive|component|run|filter)$/;

/**
 * The classic client with the AngularJS interceptor and its config block. Unchanged when the client
 * has them, or is not a classic client of sc-migrate (`head`: its first line).
 */
export function withClassicAngular(client: string, head: string): string {
  if (!client.startsWith(head) || client.includes(`function ${ANGULAR_CONFIG}(`) || hasAngularConfig(client)) return client;
  const m = /^  var SOUNDCLOUD_TOKEN_ENDPOINT = (['"]).*?\1(;?)\r?$/m.exec(client);
  const eol = eolOf(client);
  const at = client.indexOf(`${eol}  return {${eol}`);
  if (!m || at < 0) return client;
  const q = m[1]!;
  const s = m[2]!;
  const block = [
    '',
    `  var SOUNDCLOUD_API = /^(?:https?:)?\\/\\/api\\.soundcloud\\.com(?:[/?#:]|$)/i${s}`,
    '',
    '  /**',
    '   * AngularJS $http interceptor: a request to api.soundcloud.com with no Authorization header and',
    '   * no oauth_token of its own (a user\'s request) waits for the app token and sends it in the header.',
    '   */',
    '  function angularInterceptor($q) {',
    '    return {',
    '      request: function (config) {',
    `        var url = String(config.url || ${q}${q})${s}`,
    `        if (!SOUNDCLOUD_API.test(url) || /[?&]oauth_token=/.test(url) || (config.params && config.params.oauth_token)) return config${s}`,
    `        var headers = config.headers || {}${s}`,
    '        for (var name in headers) {',
    `          if (/^authorization$/i.test(name)) return config${s}`,
    '        }',
    '        return $q.when(soundcloudAccessToken()).then(function (token) {',
    `          var sent = {}${s}`,
    `          for (var key in headers) sent[key] = headers[key]${s}`,
    `          sent.Authorization = ${q}OAuth ${q} + token${s}`,
    `          config.headers = sent${s}`,
    `          return config${s}`,
    `        })${s}`,
    '      },',
    `    }${s}`,
    '  }',
    `  angularInterceptor.$inject = [${q}$q${q}]${s}`,
    '',
    '  /** AngularJS: `angular.module(name).config(soundcloudBrowserClient.angularConfig)`, once or more (the interceptor is added once). */',
    `  var ${ANGULAR_CONFIG} = [${q}$httpProvider${q}, function ($httpProvider) {`,
    // (AngularJS 1.1.4+ has interceptors; an older one keeps its requests as they were)
    `    var list = $httpProvider.interceptors${s}`,
    `    if (!list) return console.warn(${q}soundcloudBrowserClient: this AngularJS has no $http interceptors (1.1.4+); no app token is sent${q})${s}`,
    `    if (list.indexOf(angularInterceptor) === -1) list.push(angularInterceptor)${s}`,
    `  }]${s}`,
    '',
  ];
  const rest = client.slice(at).replace(`  return {${eol}`, `  return {${eol}    ${ANGULAR_CONFIG}: ${ANGULAR_CONFIG},${eol}`);
  return client.slice(0, at) + block.join(eol) + rest;
}

/** A statement that runs when the script loads: top level, or in the body of a top-level IIFE. */
function runsAtLoad(stmt: N): boolean {
  const block = stmt.parent;
  if (block?.type === 'Program') return true;
  if (block?.type !== 'BlockStatement') return false;
  const fn = block.parent;
  if (!fn || (fn.type !== 'FunctionExpression' && fn.type !== 'ArrowFunctionExpression')) return false;
  let call: N | undefined = fn.parent;
  // (function () {...})() / (function () {...}()) / !function () {...}() / (function () {...}).call(this)
  if (call?.type === 'MemberExpression' && call.object === fn && /^(call|apply)$/.test(propName(call) ?? '')) call = call.parent;
  if (call?.type !== 'CallExpression' || (call.callee !== fn && call.callee !== fn.parent)) return false;
  let top: N = call;
  if (top.parent?.type === 'UnaryExpression') top = top.parent;
  return top.parent?.type === 'ExpressionStatement' && top.parent.parent?.type === 'Program';
}

/** `angular.module('name')` / `angular.module('name', [...])`: the name. */
function moduleName(n: N): string | undefined {
  const x = unwrap(n);
  if (x.type !== 'CallExpression' || x.callee.type !== 'MemberExpression' || propName(x.callee) !== 'module') return undefined;
  const obj = unwrap(x.callee.object as N);
  const name = x.arguments[0] as N | undefined;
  if (obj.type !== 'Identifier' || obj.name !== 'angular' || !name || name.type !== 'Literal' || typeof name.value !== 'string') return undefined;
  return name.value;
}

/**
 * The module registration the request runs in, and the module as the config statement names it:
 * `angular.module('app')` (also for a chain starting with its definition) or the name the registration uses.
 */
export function registrationOf(text: string, call: N, program: TSESTree.Program): { stmt: N; module: string } | undefined {
  let reg: TSESTree.CallExpression | undefined;
  const registers = (arg: N): TSESTree.CallExpression | undefined => {
    if (arg.parent?.type === 'ArrayExpression' && arg.parent.elements[arg.parent.elements.length - 1] === arg) arg = arg.parent;
    const p = arg.parent;
    return p?.type === 'CallExpression' && p.arguments.includes(arg as TSESTree.CallExpressionArgument) && p.callee.type === 'MemberExpression' && REGISTRATIONS.test(propName(p.callee) ?? '') ? p : undefined;
  };
  for (let n: N | undefined = call.parent; n; n = n.parent) {
    if (!isFn(n)) continue;
    if (n.type !== 'FunctionDeclaration') { reg = registers(n) ?? reg; continue; }
    // `function SearchController($http) {...}` registered by name: `M.controller('Search', SearchController)`, once in the file
    const stmt = n.parent?.type === 'ExportNamedDeclaration' ? undefined : n;
    if (!stmt || !n.id || !runsAtLoad(stmt)) continue;
    const name = n.id.name;
    const uses: N[] = [];
    traverseCollect(program as never, (x: N) => { if (x.type === 'Identifier' && x.name === name && x !== n.id) uses.push(x); });
    // every other mention: the registration, or `Name.$inject = [...]`
    const regs = uses.filter((u) => registers(u));
    const other = uses.filter((u) => !registers(u) && !(u.parent?.type === 'MemberExpression' && u.parent.object === u && propName(u.parent) === '$inject' && u.parent.parent?.type === 'AssignmentExpression' && u.parent.parent.left === u.parent));
    if (regs.length === 1 && !other.length) reg = registers(regs[0]!);
  }
  if (!reg || reg.callee.type !== 'MemberExpression') return undefined;
  // the module: the chain's root (`angular.module(...).service(...).service(...)`) or a plain name
  let root: N = unwrap(reg.callee.object as N);
  while (!moduleName(root) && root.type === 'CallExpression' && root.callee.type === 'MemberExpression' && REGISTRATIONS.test(propName(root.callee) ?? '')) root = unwrap(root.callee.object as N);
  const name = moduleName(root);
  const q = quoteOf(text);
  const module = name !== undefined ? `angular.module(${q}${name}${q})` : root.type === 'Identifier' && root.name !== 'angular' ? root.name : undefined;
  if (!module || (name !== undefined && /['"\\\n]/.test(name))) return undefined;
  let stmt: N = reg;
  while (stmt.parent && stmt.parent.type !== 'ExpressionStatement' && (stmt.parent.type === 'MemberExpression' || stmt.parent.type === 'CallExpression' || stmt.parent.type === 'ChainExpression')) stmt = stmt.parent;
  const st = stmt.parent;
  if (st?.type !== 'ExpressionStatement' || !runsAtLoad(st)) return undefined;
  return { stmt: st, module };
}

/** `$http.jsonp(...)`, `method: 'JSONP'`: no header can be sent. */
export function angularJsonp(text: string, r: RequestInfo): boolean {
  return /jsonp/i.test(text.slice(r.call.range[0], r.call.range[1]));
}

/** `M.config(soundcloudBrowserClient.angularConfig)` on its own line after the registration's statement (none when the file has it for M). */
export function angularConfigEdit(text: string, reg: { stmt: N; module: string }, global: string): TextEdit | undefined {
  const code = `${reg.module}.config(${global}.${ANGULAR_CONFIG})`;
  if (text.replace(/"/g, "'").includes(code.replace(/"/g, "'"))) return undefined;
  const semi = styleOf(text).semi ? ';' : '';
  return { range: [reg.stmt.range[1], reg.stmt.range[1]], text: `${eolOf(text)}${lineIndent(text, reg.stmt.range[0])}${code}${semi}` };
}

/**
 * A `params` property left empty by the removal (`{ url, params: { client_id: id } }`): the property goes
 * (edits replacing the removal's), else the removal as it is.
 */
export function withoutEmptyParams(text: string, holder: TSESTree.ObjectExpression | undefined, removedAll: boolean | undefined, edits: TextEdit[]): TextEdit[] {
  const prop = holder?.parent;
  const obj = prop?.parent;
  if (!removedAll || prop?.type !== 'Property' || propName(prop) !== 'params' || obj?.type !== 'ObjectExpression' || obj.properties.length < 2) return edits;
  return removePropsEdits(text, obj, [prop]);
}
