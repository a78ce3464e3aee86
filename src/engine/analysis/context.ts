/**
 * SoundCloud context: does a file name SoundCloud (itself or through what it imports), does the
 * project, is a test file, and is a parameter about SoundCloud.
 */
import type { ProjectContext } from '../project.js';
import { mentionsSoundCloud, relativeSpecifiers } from '../prefilter.js';
import { devProxyIsSc, projectEnvHosts, readsScEnv } from '../env-files.js';
import { classifyUrl, isAuthorizePath, isTokenPath, type UrlInfo } from './hosts.js';
import { requestUrl } from './requests.js';
import { enclosingFunction, programOf } from './scope.js';
import { startOf, endOf } from '../offsets.js';
import { projectFiles } from './project-facts.js';
import { packageOf } from './browser.js';
import { branchProvider, namesOtherService, tableEntryProvider, tableSiblingProvider } from './providers.js';
import { evalString, flatText, resolveFunction, resolveModule } from './values.js';
import { stringBuildOf } from './strings.js';
import { inCode } from './comments.js';
export { inCode, withoutComments } from './comments.js';
import type { TSESTree } from '@typescript-eslint/typescript-estree';
import type { FileFacts, ParamSite } from './facts.js';

type N = TSESTree.Node;

/** Test files (by folder or name). */
export const TEST_FILE_RE = /(^|[/\\])(__tests__|__mocks__|tests?|spec|e2e)[/\\]|\.(test|spec|e2e)\.[cm]?[jt]sx?$/i;

/** Does the file (or any module it imports, transitively) name SoundCloud? */
export function hasScContext(filename: string, text: string, project: ProjectContext): boolean {
  if (mentionsSoundCloud(text)) return true;
  // reading a variable the project's env files set to SoundCloud (env-files.ts) counts as naming it
  const hosts = projectEnvHosts(project);
  const sc = hosts.size ? (f: string, t: string) => mentionsSoundCloud(t) || readsScEnv(hosts, project.root, f, t) : (_f: string, t: string) => mentionsSoundCloud(t);
  if (hosts.size && sc(filename, text)) return true;
  const key = `sc-context:${filename}`;
  const seen = new Set<string>([filename]);
  const queue = [{ file: filename, text }];
  while (queue.length) {
    const { file, text: t } = queue.shift()!;
    for (const spec of relativeSpecifiers(t)) {
      const dep = resolveModule(project, file, spec);
      if (!dep || seen.has(dep)) continue;
      seen.add(dep);
      const cached = project.cache.get(`sc-context:${dep}`);
      if (cached === true) { project.cache.set(key, true); return true; }
      const dt = project.readFile(dep);
      if (dt === undefined) continue;
      if (sc(dep, dt)) { project.cache.set(`sc-context:${dep}`, true); return true; }
      if (seen.size < 200) queue.push({ file: dep, text: dt });
    }
  }
  return false;
}

/**
 * Is the file part of a SoundCloud client package: does its nearest package.json (its own package,
 * not a monorepo sibling's, never one under node_modules) say so? Such a wrapper often takes the
 * host from its caller's settings or a config file, so its request and OAuth code names no
 * SoundCloud host. The package `name` names SoundCloud (`soundcloud-nodejs-api-wrapper`,
 * `@me/soundcloud`; not only its scope: `@soundcloud-tools/mailer`), or its `keywords` list `soundcloud`; and neither names another service
 * (`spotify-soundcloud-sync`, a multi-provider library's keyword list). The description is not
 * read: prose ("download from SoundCloud, YouTube and more") says too little about the code.
 */
export function scPackage(filename: string, project: ProjectContext): boolean {
  if (/[/\\]node_modules[/\\]/.test(filename)) return false;
  const pkg = packageOf(filename, project);
  if (!pkg) return false;
  const name = typeof pkg.name === 'string' ? pkg.name : '';
  const keywords = Array.isArray(pkg.keywords) ? pkg.keywords.filter((k): k is string => typeof k === 'string') : [];
  if (namesOtherService(name) || keywords.some((k) => namesOtherService(k))) return false;
  // a scoped name's own part (`@acme/soundcloud-oauth`); the scope is an owner, not what the package is
  return /soundcloud/i.test(name.replace(/^@[^/]*\//, '')) || keywords.some((k) => /^soundcloud$/i.test(k.trim()));
}

/**
 * Is this parameter about SoundCloud? Its URL says so; or the URL is unknown (a variable, an API
 * `next_href`) and the file works with SoundCloud; or, for a credential appended to such a URL,
 * the project does.
 */
export function isScParam(p: ParamSite, facts: FileFacts): boolean {
  if (p.url.kind === 'sc') return true;
  if (p.url.kind === 'foreign') return false;
  // a branch for another service of code that switches on the service (`case 'spotify':`), or
  // another service's entry of a table keyed by service (`RHAPSODY: { AUTHORIZE_PARAMS: '&response_type=code' }`
  // beside `SOUNDCLOUD: {...}`)
  if (branchProvider(p.report as TSESTree.Node) === 'other') return false;
  if (tableEntryProvider(p.report as TSESTree.Node) === 'other' || tableSiblingProvider(p.report as TSESTree.Node) === 'other') return false;
  if (p.url.kind === 'relative') return p.request?.lib === 'sdk' || (!!p.request && devProxy(facts)) || (facts.scContext && sdkStreamPath(p));
  // (a parameter object of no known URL: a URL written as text keeps its own, however partial)
  if (facts.scContext) return p.via === 'text' || !otherServiceFunction(p.report as TSESTree.Node, facts);
  if (!facts.projectSc || (p.name !== 'oauth_token' && p.name !== 'client_id') || facts.otherProvider) return false;
  if (p.via === 'text' || p.via === 'helper') return true;
  // a query object sent to a URL taken from a SoundCloud API object: `axios.get(song.uri + '/streams', { params })`
  return p.where === 'query' && !!p.request?.urlNode && API_URL_FIELD.test(firstHoleName(p.request.urlNode, facts));
}

const otherServiceMemo = new WeakMap<TSESTree.Node, boolean>();

/**
 * Does the function around a parameter object of no known URL send only to other services? Every request
 * it makes, and every request of the file's functions it calls, goes to a known host that is not
 * SoundCloud's (a multi-provider OAuth module: Google's code exchange to `https.request({ hostname:
 * 'oauth2.googleapis.com' })`, Spotify's through a helper, Discogs' signed OAuth 1.0a parameters,
 * beside SoundCloud's own exchange). A function with no request it can see is not.
 */
function otherServiceFunction(site: TSESTree.Node, facts: FileFacts): boolean {
  const fn = enclosingFunction(site as N) as TSESTree.Node | undefined;
  if (!fn || !facts.requests.length) return false;
  let hit = otherServiceMemo.get(fn);
  if (hit !== undefined) return hit;
  const inside = (n: TSESTree.Node, f: TSESTree.Node) => startOf(f) <= startOf(n) && endOf(n) <= endOf(f) && programOf(n as N) === programOf(f as N);
  const bodies: TSESTree.Node[] = [fn];
  for (const c of facts.calls) {
    if (!inside(c, fn)) continue;
    const f = resolveFunction(c.callee as N, facts.env);
    if (f && (f.fn as TSESTree.Node) !== fn && programOf(f.fn as N) === programOf(fn as N)) bodies.push(f.fn as TSESTree.Node);
  }
  const requests = facts.requests.filter((r) => bodies.some((b) => inside(r.call, b)));
  hit = requests.length > 0 && requests.every((r) => { const alts = requestUrl(r, facts.env); return alts.length > 0 && alts.every((a) => classifyUrl(flatText(a)).kind === 'foreign'); });
  otherServiceMemo.set(fn, hit);
  return hit;
}

/** A resource path of the public API, as the SDK takes it: `/tracks/123`, `/playlists/4`, `/users/5`, `/me`. */
const SDK_RESOURCE_PATH = /^\/(tracks|playlists|users|me)(\/|\?|$)/;

/**
 * A parameter written into the path handed to the SDK's `stream` under another name than `SC`
 * (the SDK kept in app state or on a field: `state.api.stream('/tracks/' + id + '?client_id=' + key)`),
 * in a file that names SoundCloud: only the SDK streams by an API resource path.
 */
function sdkStreamPath(p: ParamSite): boolean {
  if (p.via !== 'text' || !SDK_RESOURCE_PATH.test(p.url.path)) return false;
  const x = stringBuildOf(p.report as TSESTree.Node);
  const call = x.parent;
  if (call?.type !== 'CallExpression' || call.arguments[0] !== x) return false;
  const callee = call.callee;
  return callee.type === 'MemberExpression' && !callee.computed && callee.property.type === 'Identifier' && callee.property.name === 'stream';
}

/**
 * Create React App's dev server proxy: `"proxy": "https://api.soundcloud.com"` in the nearest
 * package.json sends the app's requests to a relative URL (`axios.get('/tracks?client_id=...')`)
 * to SoundCloud. Only a host of SoundCloud's counts.
 */
const devProxy = (facts: FileFacts): boolean => devProxyIsSc(packageOf(facts.env.filename, facts.project) as { proxy?: unknown } | undefined);

/** URL fields of SoundCloud API resources (`track.uri`, `stream_url`, `next_href`...). */
export const API_URL_FIELD = /(^|\.)(uri|stream_url|download_url|next_href|future_href|waveform_url)$/;

function firstHoleName(url: TSESTree.Node, facts: FileFacts): string {
  const first = evalString(url, facts.env)[0]?.[0];
  return first?.kind === 'hole' ? first.name : '';
}

/** Does any file of the project name SoundCloud? (cached per project) */
export function projectMentionsSoundCloud(project: ProjectContext): boolean {
  const hit = project.cache.get('project-sc');
  if (typeof hit === 'boolean') return hit;
  let sc = false;
  const hosts = projectEnvHosts(project);
  for (const f of projectFiles(project)) {
    const t = project.readFile(f);
    // a mention only in comments (code commented out when an app left SoundCloud) is no context
    if (t && inCode(t, mentionsSoundCloud)) { sc = true; break; }
    if (t && hosts.size && inCode(t, (x) => readsScEnv(hosts, project.root, f, x))) { sc = true; break; }
  }
  project.cache.set('project-sc', sc);
  return sc;
}

export const isAuthorizeUrl = (u: UrlInfo) => isAuthorizePath(u.path) || /response_type=/.test(u.text);
export const isTokenUrl = (u: UrlInfo) => isTokenPath(u.path);


