// Runs the bundled CLI (dist/cli/main.cjs, one CommonJS script: scripts/bundle-cli.mjs) with
// V8's code cache: the bytecode of the functions a run compiled is kept in a file, and the next
// run deserialises it instead of parsing and compiling again (Node 20 has no compile cache of its
// own before 22.1; `vm.Script` `cachedData` is how it offers one to scripts).
//
// The cache file is named by a hash of the bundle's bytes and by Node's version and arch, so a
// rebuilt bundle or another Node never reads another's cache (V8 also refuses data made for
// another source length, V8 version or V8 flags: such a file is then rewritten). It lives in
// <package>/node_modules/.cache/sc-migrate/ (writable wherever the package is), else in
// <tmpdir>/sc-migrate-<uid>/ (created 0700, used only when it is ours and nobody else can write
// to it). Files are written whole under a temporary name and renamed, so concurrent runs read
// either the old file or the new one; a file that fails its checksum, or that V8 refuses, is
// rewritten. Every failure to read or write the cache is silent: the CLI runs without it.
// SC_MIGRATE_CODE_CACHE=0 turns it off; SC_MIGRATE_CACHE_DIR puts it elsewhere (tests).
//
// What a run compiled depends on the command: a cache made by `--version` holds little of a
// scan. Each file records how far its run went (1: the CLI ran, 2: the engine ran a large scan,
// 3: the engine ran a small scan); a run that went further than the file it read writes a new
// one. A large scan ranks below a small one: by its end V8 has flushed the bytecode of functions
// it no longer runs (start-up, option parsing, the CLI's commands), so its cache misses what the
// next run starts with (measured: a one-file `scan --staged` after a dense scan's cache took
// 140 ms instead of about 105; its cache was 496 KB, a small scan's 691 KB). The first small scan
// after it writes the better one; large scans never replace a small scan's. A large scan takes its
// cache early, once its first files are analysed (src/scan/heap.ts cacheSnapshot: `early`),
// before V8 flushes anything: a scan that never loads the engine (a tree without SoundCloud code,
// level 1, which never replaces it) then starts as fast after a large scan as after a small one.
'use strict';
const { createHash } = require('node:crypto');
const { lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } = require('node:fs');
const Module = require('node:module');
const { createRequire } = Module;
const { tmpdir } = require('node:os');
const { dirname, join } = require('node:path');
const { Script } = require('node:vm');

const MAGIC = 'SCC1';
// MAGIC, level (1 byte), payload sha1 (20 bytes), then V8's data.
const HEADER = MAGIC.length + 1 + 20;

/** The cache folders to try, best first (an empty list when the cache is off). */
function cacheDirs(pkgRoot, env = process.env) {
  if (env.SC_MIGRATE_CODE_CACHE === '0') return [];
  if (env.SC_MIGRATE_CACHE_DIR) return [{ dir: env.SC_MIGRATE_CACHE_DIR, private: false }];
  const uid = typeof process.getuid === 'function' ? process.getuid() : undefined;
  return [
    { dir: join(pkgRoot, 'node_modules', '.cache', 'sc-migrate'), private: false },
    { dir: join(tmpdir(), `sc-migrate-${uid ?? 'user'}`), private: true },
  ];
}

/** A shared folder (tmp) is used only when it is a real folder of ours that others cannot write to. */
function safe(d) {
  if (!d.private) return true;
  try {
    const st = lstatSync(d.dir);
    if (!st.isDirectory()) return false;
    if (typeof process.getuid === 'function' && st.uid !== process.getuid()) return false;
    return process.platform === 'win32' || (st.mode & 0o022) === 0;
  } catch {
    return false;
  }
}

function readCache(dirs, name) {
  for (const d of dirs) {
    let buf;
    try { buf = readFileSync(join(d.dir, name)); } catch { continue; }
    if (!safe(d) || buf.length <= HEADER || buf.toString('latin1', 0, MAGIC.length) !== MAGIC) continue;
    const data = buf.subarray(HEADER);
    if (!createHash('sha1').update(data).digest().equals(buf.subarray(MAGIC.length + 1, HEADER))) continue;
    return { level: buf[MAGIC.length], data };
  }
  return undefined;
}

function writeCache(dirs, name, level, data) {
  const head = Buffer.alloc(HEADER);
  head.write(MAGIC, 0, 'latin1');
  head[MAGIC.length] = level;
  createHash('sha1').update(data).digest().copy(head, MAGIC.length + 1);
  for (const d of dirs) {
    const tmp = join(d.dir, `${name}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`);
    try {
      mkdirSync(d.dir, { recursive: true, mode: 0o700 });
      if (!safe(d)) continue;
      writeFileSync(tmp, Buffer.concat([head, data]), { mode: 0o600 });
      renameSync(tmp, join(d.dir, name));
      // Caches not used for a day (earlier bundles, other Node versions or flags): dropped.
      const stale = Date.now() - 24 * 3600 * 1000;
      for (const f of readdirSync(d.dir)) {
        if (f === name || !/^(main|dep)-.*\.cache$/.test(f)) continue;
        const p = join(d.dir, f);
        try { if (statSync(p).atimeMs < stale && statSync(p).mtimeMs < stale) rmSync(p, { force: true }); } catch { /* another run's */ }
      }
      return true;
    } catch {
      rmSync(tmp, { force: true });
    }
  }
  return false;
}

// The large CommonJS packages that `fix` (and the pretty report's fix forecast) loads: ts-morph and
// the TypeScript it bundles, about 13 MB of source that V8 parses on every run that needs them
// (compiling typescript.js alone was 180-230 ms of a 0.7 s blocked pre-commit run). Their modules
// are compiled with a code cache of their own, one file per module, named by the module's path,
// size and mtime (an updated package is another name; V8 also refuses data for another source).
const PACKAGE_CODE = /[\\/]node_modules[\\/](?:ts-morph|@ts-morph[\\/]common)[\\/]/;

/**
 * Compiles the modules of PACKAGE_CODE through `vm.Script` with their cached data (the way
 * v8-compile-cache does for Node before 22.1), as Node's own `_compile` would run them otherwise;
 * returns `flush()`, which writes the cache of every such module this run compiled without one.
 */
function cachePackageCode(dirs) {
  const compiled = [];
  const nodeCompile = Module.prototype._compile;
  Module.prototype._compile = function compile(content, filename) {
    if (!PACKAGE_CODE.test(filename) || typeof content !== 'string') return nodeCompile.call(this, content, filename);
    let name;
    try {
      const st = statSync(filename);
      name = `dep-${process.version}-${process.arch}-${createHash('sha1').update(`${filename}\0${st.size}\0${st.mtimeMs}`).digest('hex').slice(0, 16)}.cache`;
    } catch {
      return nodeCompile.call(this, content, filename);
    }
    const cached = readCache(dirs, name);
    const script = new Script(Module.wrap(content), { filename, ...(cached ? { cachedData: cached.data } : {}) });
    if (!cached || script.cachedDataRejected) compiled.push({ name, script });
    const mod = this;
    const req = (id) => mod.require(id);
    req.resolve = (request, options) => Module._resolveFilename(request, mod, false, options);
    req.resolve.paths = (request) => Module._resolveLookupPaths(request, mod);
    req.main = require.main;
    req.extensions = Module._extensions;
    req.cache = Module._cache;
    return script.runInThisContext({ displayErrors: true }).call(mod.exports, mod.exports, req, mod, filename, dirname(filename));
  };
  return () => {
    let wrote = false;
    for (const c of compiled.splice(0)) {
      try { wrote = writeCache(dirs, c.name, 1, c.script.createCachedData()) || wrote; } catch { /* the next run compiles again */ }
    }
    return wrote;
  };
}

/**
 * Loads `file` (the bundle) and returns its exports and `done()`, to call when the command has
 * finished: it writes the cache when this run has more to keep than the file it read.
 */
function loadBundle(file, pkgRoot, importer, env = process.env) {
  const src = readFileSync(file);
  const dirs = cacheDirs(pkgRoot, env);
  const key = createHash('sha1').update(src).digest('hex').slice(0, 16);
  const name = `main-${process.version}-${process.arch}-${key}.cache`;
  const cached = dirs.length ? readCache(dirs, name) : undefined;
  const flushPackages = dirs.length ? cachePackageCode(dirs) : () => false;
  // The CommonJS wrapper, on the first line: line numbers in stack traces are the file's.
  const wrapper = `(function (exports, require, module, __filename, __dirname, __scImport) {${src.toString('utf8')}\n})`;
  const script = new Script(wrapper, { filename: file, ...(cached ? { cachedData: cached.data } : {}) });
  const accepted = cached !== undefined && !script.cachedDataRejected;
  const mod = { exports: {} };
  script.runInThisContext().call(mod.exports, mod.exports, createRequire(file), mod, file, dirname(file), importer);
  // A large scan's cache is made early in its run (src/scan/heap.ts cacheSnapshot), when this run
  // would write one: no cache, or one of a run that went less far.
  let early;
  const cache = { name, accepted, level: accepted ? cached.level : 0, early: false };
  if (dirs.length && !(accepted && cached.level >= 2)) {
    mod.exports.onCacheSnapshot?.(() => { try { early = script.createCachedData(); cache.early = true; } catch { /* made at exit then */ } });
  }
  return {
    exports: mod.exports,
    cache,
    done() {
      if (!dirs.length) return false;
      flushPackages();
      const level = mod.exports.engineLoaded?.() ? (mod.exports.largeScan?.() ? 2 : 3) : 1;
      if (accepted && cached.level >= level) return false;
      try {
        // V8 refuses cached data made under other flags: a large scan's heap flag is set back first
        mod.exports.restoreFlags?.();
        return writeCache(dirs, name, level, level === 2 && early ? early : script.createCachedData());
      } catch { return false; }
    },
  };
}

module.exports = { cacheDirs, loadBundle, safe };
