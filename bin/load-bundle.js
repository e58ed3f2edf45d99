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

function readCache(file) {
  try {
    return fs.readFileSync(file);
  } catch {
    return undefined;
  }
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
  return { exports: module.exports, script };
}

module.exports = { loadBundle, BUNDLE, CACHE };
