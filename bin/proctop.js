#!/usr/bin/env node
'use strict';
// Run by bin/proctop (the launcher, which sets what Node reads only at start). It runs alone too,
// but then V8 rejects the code cache, which is built under the launcher's flags, and compiles as it runs.
// The CLI is bundled into one file by `npm run build` (run by `npm install`, the prepare script)
// and loaded with its V8 code cache (load-bundle.js).
// Crash stacks name the TypeScript file and line through the bundle's source map (src/cli/stack-map.ts).
// `proctop serve` and `proctop record` run from their own, smaller bundles (load-bundle.js).
const { loadBundle, bundleFor, dropLauncherEnv } = require('./load-bundle.js');
dropLauncherEnv(process.env);
const { bundle, cache } = bundleFor(process.argv);
loadBundle(bundle, cache).exports.main(process.argv);
