/**
 * The project's environment files (`.env.example`, `.env.sample`, `.env.template`, `.env.defaults`,
 * `.env.development`, a committed `.env`, `example.env`...): an app that takes its SoundCloud API
 * base from the environment (`axios.create({ baseURL: process.env.API_END_POINT })`) names the
 * host only there. A project-level fact, read once per scan (bounded): for each folder holding
 * such files, the variables whose value names a SoundCloud host (values naming any other host
 * never count). The string resolver (analysis/values.ts) gives `process.env.NAME` and
 * `import.meta.env.NAME` that value where the code defines nothing else; the prefilter
 * (`envTrigger`) makes files naming such a variable candidates.
 *
 * No dependencies beyond node:fs / node:path: the scan's first pass uses it before the engine loads.
 */
import { readdirSync } from 'node:fs';
import { dirname, join, sep } from 'node:path';

/** `.env`, `.env.example`, `.env.local.example`, `.env.development`, `production.env`, `env.sample`. */
const ENV_FILE_RE = /^(?:\.env(?:\.[\w-]+){0,3}|[\w-]+\.env|env\.(?:example|sample|template|dist|defaults))$/i;
/**
 * Deployment configs that set a function's or service's environment: Serverless (`serverless.yml`,
 * v0.5's `s-function.json`), Docker Compose, Vercel / now, Netlify, App Engine's `app.yaml`.
 */
const DEPLOY_FILE_RE = /^(?:serverless\.(?:ya?ml|json)|s-function\.json|docker-compose[\w.-]*\.ya?ml|compose\.ya?ml|vercel\.json|now\.json|netlify\.toml|app\.ya?ml)$/i;

/** A file name of an environment file or a deployment config (cheap: most names of a tree are tested). */
export function isEnvFileName(name: string): boolean {
  if (name.length > 64) return false;
  // Netlify's rewrites (proxy-routes.ts); its other configs are deployment files
  if (name === '_redirects') return true;
  if (name.includes('env')) return ENV_FILE_RE.test(name);
  const c = name.charCodeAt(0) | 32;
  return (c === 115 /* s */ || c === 100 /* d */ || c === 99 /* c */ || c === 118 /* v */ || c === 110 /* n */ || c === 97 /* a */) && DEPLOY_FILE_RE.test(name);
}

/** A value naming a SoundCloud host: `https://api.soundcloud.com`, `//api-v2.soundcloud.com/`, `api.soundcloud.com`. */
const SC_VALUE_RE = /^(?:https?:)?(?:\/\/)?(?:[a-z0-9-]+\.)*soundcloud\.com(?=[:/?#]|$)/i;
/**
 * A deployment config's reference to a variable named for SoundCloud (`$${soundcloudApiEndpoint}`,
 * `${env:SOUNDCLOUD_API}`, `${self:custom.soundcloud.api}`): no value, but the variable is SoundCloud's.
 */
const SC_REFERENCE_RE = /^\$?\$\{[^}]*soundcloud[^}]*\}$/i;
const LINE_RE = /^[ \t]*(?:export[ \t]+)?([A-Za-z_][A-Za-z0-9_]*)[ \t]*=[ \t]*(.*)$/;
/** `"NAME": "value"` (JSON), `NAME: value` (YAML), `NAME = "value"` (TOML), `- NAME=value` (Compose): upper-case names only. */
const DEPLOY_LINE_RE = /^[ \t]*(?:-[ \t]*)?["']?([A-Z][A-Z0-9_]*)["']?[ \t]*[:=][ \t]*(.*?)[ \t]*,?[ \t]*$/;
/** Bounds: files per scan, characters read of each, lines looked at. */
const MAX_FILES = 64;
const MAX_CHARS = 64 * 1024;
const MAX_LINES = 2000;

/** `value`: the SoundCloud URL or host it is set to; absent where only the reference it is set from names SoundCloud. */
export interface EnvHost { value?: string; file: string }
/** Folder (absolute) -> variable -> its SoundCloud value and the file that sets it. */
export type EnvHosts = Map<string, Map<string, EnvHost>>;

/** The value of a `NAME=value` line: quotes removed, a trailing ` # comment` cut. */
function lineValue(raw: string): string {
  const q = raw[0];
  if (q === '"' || q === "'" || q === '`') {
    const end = raw.indexOf(q, 1);
    return end > 0 ? raw.slice(1, end) : raw.slice(1);
  }
  return raw.replace(/[ \t]+#.*$/, '').trim();
}

/**
 * The variables of one env file (or deployment config: `deploy`) whose value names a SoundCloud
 * host (name -> value), or, in a deployment config, is a reference named for SoundCloud (name -> undefined).
 */
export function scEnvValues(text: string, deploy = false): Map<string, string | undefined> {
  const out = new Map<string, string | undefined>();
  if (!/soundcloud/i.test(text)) return out;
  const lines = text.slice(0, MAX_CHARS).split(/\r?\n/, MAX_LINES);
  for (const line of lines) {
    const m = (deploy ? DEPLOY_LINE_RE : LINE_RE).exec(line);
    if (!m) continue;
    const value = lineValue(m[2]!);
    if (SC_VALUE_RE.test(value)) out.set(m[1]!, value);
    else if (deploy && SC_REFERENCE_RE.test(value)) out.set(m[1]!, undefined);
  }
  return out;
}

/** Reads the env files (at most MAX_FILES) and keeps the variables naming a SoundCloud host, by folder. */
export function readEnvHosts(files: readonly string[], read: (abs: string) => string | undefined): EnvHosts {
  const out: EnvHosts = new Map();
  for (const f of files.slice(0, MAX_FILES)) {
    let text: string | undefined;
    try { text = read(f); } catch { text = undefined; }
    if (!text) continue;
    const values = scEnvValues(text, !f.slice(f.lastIndexOf(sep) + 1).includes('env'));
    if (!values.size) continue;
    const dir = dirname(f);
    let byName = out.get(dir);
    if (!byName) out.set(dir, (byName = new Map()));
    // (sorted names: `.env` before `.env.example`; the first file that sets a name wins)
    for (const [name, value] of values) if (!byName.has(name)) byName.set(name, { value, file: f });
  }
  return out;
}

/** The env files of one folder (where no discovery listed them: the ESLint plugin, explicit file paths). */
export function envFilesIn(dir: string): string[] {
  try { return readdirSync(dir).filter(isEnvFileName).sort().map((n) => join(dir, n)); } catch { return []; }
}

/** The names the prefilter looks for (`\b(?:API_END_POINT|SC_API)\b`), or undefined when there are none. */
export function envTrigger(hosts: EnvHosts): RegExp | undefined {
  const names = new Set<string>();
  for (const byName of hosts.values()) for (const n of byName.keys()) names.add(n);
  if (!names.size) return undefined;
  return new RegExp(`\\b(?:${[...names].sort().join('|')})\\b`);
}

const namesByDir = new WeakMap<EnvHosts, Map<string, RegExp | null>>();

/**
 * Does the text read (name) a variable that the env files of its folder or the folders above it
 * set to SoundCloud? (The file then works with SoundCloud, as if it named the host.)
 */
export function readsScEnv(hosts: EnvHosts, root: string, file: string, text: string): boolean {
  if (!hosts.size) return false;
  let byDir = namesByDir.get(hosts);
  if (!byDir) namesByDir.set(hosts, (byDir = new Map()));
  const dir = dirname(file);
  let re = byDir.get(dir);
  if (re === undefined) {
    const names = new Set<string>();
    for (let d = dir; ; ) {
      for (const n of hosts.get(d)?.keys() ?? []) names.add(n);
      const up = dirname(d);
      if (up === d || d === root || d.length < root.length) break;
      d = up;
    }
    byDir.set(dir, (re = names.size ? new RegExp(`\\b(?:${[...names].sort().join('|')})\\b`) : null));
  }
  return !!re && re.test(text);
}

/**
 * The SoundCloud value of variable `name` for a file: set by an env file of its folder or of a
 * folder above it, up to the project root.
 */
export function envHostFor(hosts: EnvHosts, root: string, file: string, name: string): EnvHost | undefined {
  for (let dir = dirname(file); ; ) {
    const hit = hosts.get(dir)?.get(name);
    if (hit) return hit;
    const up = dirname(dir);
    if (up === dir || dir === root || dir.length < root.length) return undefined;
    dir = up;
  }
}

/** Where a project keeps the fact (ProjectContext.cache): seeded by the scan, else read from the root's env files. */
export const ENV_HOSTS_KEY = 'env-hosts';

/** The project's env hosts: the scan's (seeded in the cache), else those of the env files in the project root. */
export function projectEnvHosts(project: { root: string; cache: Map<string, unknown>; readFile(abs: string): string | undefined }): EnvHosts {
  let hosts = project.cache.get(ENV_HOSTS_KEY) as EnvHosts | undefined;
  if (!hosts) project.cache.set(ENV_HOSTS_KEY, (hosts = readEnvHosts(envFilesIn(project.root), (p) => project.readFile(p))));
  return hosts;
}

/**
 * Create React App's dev server proxy names a SoundCloud host: `"proxy": "https://api.soundcloud.com"`
 * in a package.json sends the app's requests to relative URLs there (`axios.get('/tracks?client_id=...')`).
 */
export function devProxyIsSc(pkg: { proxy?: unknown } | undefined): boolean {
  const proxy = pkg?.proxy;
  return typeof proxy === 'string' && SC_VALUE_RE.test(proxy.trim()) && /^(?:https?:)?\/\//i.test(proxy.trim());
}

/** The same, on the text of a package.json (the scan's prefilter, before anything is parsed). */
export function devProxyTextIsSc(text: string | undefined): boolean {
  if (!text || !/"proxy"\s*:\s*"[^"]*soundcloud\.com/i.test(text)) return false;
  try { return devProxyIsSc(JSON.parse(text) as { proxy?: unknown }); } catch { return false; }
}
