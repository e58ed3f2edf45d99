/**
 * V8's code cache for the bundle (dist/bundle/proctop.js.cache), made at build time and loaded by
 * bin/load-bundle.js. A child Node, started with the launcher's V8 flags (scripts/launcher-flags.ts:
 * V8 takes a cache only under the flags it was made with), loads the bundle as bin/proctop.js does, runs `--once` on a
 * recorded /proc fixture (so the functions a first frame runs are compiled, not only the top level)
 * and writes `script.createCachedData()` when it exits. Measured on the 2-core VM: `proctop
 * --version` 0.17 s of CPU with the cache against 0.23 s without (median of 5).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { launcherNodeFlags } from './launcher-flags';

/** The package root (dist/scripts/code-cache.js → ../..). */
const ROOT = path.resolve(__dirname, '..', '..');
const FIXTURE = path.join(ROOT, 'test', 'fixtures', 'procfs', 'basic');

/** The child's program: load without a cache, run one --once frame, write the cache on exit. */
const CHILD = `
const fs = require('node:fs');
const { loadBundle, CACHE } = require(${JSON.stringify(path.join(ROOT, 'bin', 'load-bundle.js'))});
const { exports, script } = loadBundle(undefined, '/nonexistent');
process.on('exit', () => fs.writeFileSync(CACHE, script.createCachedData(), { mode: 0o644 }));
exports.main(['node', 'proctop', ...process.argv.slice(1)]);
`;

/** Writes the cache beside the bundle; returns its size in bytes. */
export function writeCodeCache(): number {
  const bundle = path.join(ROOT, 'dist', 'bundle', 'proctop.js');
  const cache = `${bundle}.cache`;
  fs.rmSync(cache, { force: true });
  const args = fs.existsSync(FIXTURE) ? ['--once', '--proc-root', FIXTURE] : ['--version'];
  const run = spawnSync(process.execPath, [...launcherNodeFlags(ROOT), '-e', CHILD, '--', ...args], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'] });
  if (run.status !== 0 || !fs.existsSync(cache)) throw new Error(`code cache: the child failed (${run.status ?? run.signal ?? '?'}): ${run.stderr.trim()}`);
  return fs.statSync(cache).size;
}

if (require.main === module) {
  try {
    process.stdout.write(`code cache: dist/bundle/proctop.js.cache ${(writeCodeCache() / 1024).toFixed(0)} KiB\n`);
  } catch (err) {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  }
}
