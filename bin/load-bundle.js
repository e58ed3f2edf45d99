'use strict';
// Loads dist/bundle/proctop.js as CommonJS, compiled with V8's code cache that `npm run build` wrote
// beside it (proctop.js.cache, made by scripts/code-cache.ts): start-up skips parsing and compiling the
// 2 MiB bundle. V8 checks the cache against this source, its own version and its flags; on any mismatch
// (another Node, a rebuilt bundle, a damaged file) it rejects the cache and compiles as without one.
// The cache is a build product in the package, never written at run time.
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');
const { createRequire, wrap } = require('node:module');

const BUNDLE = path.join(__dirname, '..', 'dist', 'bundle', 'proctop.js');
const CACHE = `${BUNDLE}.cache`;
// The daemons alone (src/cli/daemon-entry.ts): a daemon holds its bundle's source in the heap for
// as long as it runs. No code cache: a daemon's start-up is not what it is measured by, and it
// compiles only what it runs (serve runs under --lite-mode, which a cache would have to be built under).
const DAEMON_BUNDLES = {
  serve: path.join(__dirname, '..', 'dist', 'bundle', 'proctop-serve.js'),
  record: path.join(__dirname, '..', 'dist', 'bundle', 'proctop-record.js'),
};

/** The bundle and cache that run `argv` (process.argv: [node, script, command, …]). */
function bundleFor(argv) {
  const daemon = Object.hasOwn(DAEMON_BUNDLES, argv[2]) ? DAEMON_BUNDLES[argv[2]] : undefined;
  return daemon === undefined ? { bundle: BUNDLE, cache: CACHE } : { bundle: daemon, cache: `${daemon}.cache` };
}

function readCache(file) {
  try {
    return fs.readFileSync(file);
  } catch {
    return undefined;
  }
}

/**
 * With PROCTOP_TRACE_START=FILE (src/cli/start-trace.ts), the first phase: which bundle loaded, and
 * whether V8 took the code cache (it rejects one silently, e.g. when Node runs under other V8 flags
 * than the cache was built with: the launcher's, scripts/code-cache.ts).
 */
function traceLoad(script, bundle) {
  const file = process.env.PROCTOP_TRACE_START;
  if (!file) return;
  const cpu = process.cpuUsage();
  const cache = script.cachedDataRejected === false ? 'accepted' : script.cachedDataRejected ? 'rejected' : 'none';
  fs.appendFileSync(file, `bundle-loaded ${performance.now().toFixed(1)} ${((cpu.user + cpu.system) / 1000).toFixed(1)} code-cache=${cache} bundle=${path.basename(bundle)}\n`);
}

/** The bundle's exports, and the compiled script (scripts/code-cache.ts makes the cache from it). */
function loadBundle(bundle = BUNDLE, cache = CACHE) {
  // Read as bytes, then decoded: readFileSync(file, 'utf8') took 28-30 ms of CPU for the 2 MiB
  // bundle on Node 20 (its one-call read-and-decode path), the two steps ~8 ms.
  const source = fs.readFileSync(bundle).toString('utf8');
  const script = new vm.Script(wrap(source), { filename: bundle, cachedData: readCache(cache) });
  const module = { exports: {}, filename: bundle, id: bundle, loaded: false };
  script.runInThisContext().call(module.exports, module.exports, createRequire(bundle), module, bundle, path.dirname(bundle));
  module.loaded = true;
  traceLoad(script, bundle);
  return { exports: module.exports, script };
}

/** What the launcher may set (bin/proctop), and the variable in which it names those it did set. */
const LAUNCHER_SETS = ['MALLOC_ARENA_MAX', 'MALLOC_TRIM_THRESHOLD_'];
const LAUNCHER_ENV = 'PROCTOP_LAUNCHER_ENV';
/** Where the launcher keeps NODE_EXTRA_CA_CERTS, which it takes away from this Node's start-up. */
const SAVED_CA_CERTS = 'PROCTOP_SAVED_CA_CERTS';

/**
 * Gives `env` back the shape the caller gave the launcher: takes out the variables the launcher set
 * (not those the caller set), which tune this Node's malloc, and puts back NODE_EXTRA_CA_CERTS,
 * which it set aside. A program proctop starts (strace, an editor, a shell) gets the environment
 * proctop was started with.
 */
function dropLauncherEnv(env) {
  const saved = env[SAVED_CA_CERTS];
  if (saved !== undefined) {
    env.NODE_EXTRA_CA_CERTS = saved;
    delete env[SAVED_CA_CERTS];
  }
  const named = env[LAUNCHER_ENV];
  if (named === undefined) return;
  for (const name of named.split(' ')) if (LAUNCHER_SETS.includes(name)) delete env[name];
  delete env[LAUNCHER_ENV];
}

module.exports = { loadBundle, bundleFor, dropLauncherEnv, BUNDLE, CACHE, DAEMON_BUNDLES };
