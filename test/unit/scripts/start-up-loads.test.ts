/**
 * What the shipped, minified bundle evaluates at start-up, read from the load markers the build puts
 * in front of the watched packages (scripts/load-markers.ts): a lazy import made eager fails here.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LOADED_KEY } from '../../../scripts/load-markers';
import { StoreWriter } from '../../../src/history/store-writer';
import { makeSnapshot } from '../../helpers/process-fixture';

const ROOT = path.resolve(__dirname, '..', '..', '..', '..');
const FIXTURE = path.join(ROOT, 'test', 'fixtures', 'procfs', 'basic');
const TAG = 'proctop-loaded-packages:';

/**
 * Runs the bundle bin/proctop.js would run for `args` (with its code cache) and returns the watched packages it
 * evaluated: at exit, or as soon as `until` of them have loaded (the portable sampler's scan, one
 * `cat` per process, took 2m24s at ~2,100 processes and load 14 on 2 cores: the test needs the loads, not the scan).
 */
function loadedBy(args: readonly string[], until?: number): string[] {
  const list = `${JSON.stringify(TAG)} + JSON.stringify(globalThis[${JSON.stringify(LOADED_KEY)}] || []) + '\\n'`;
  const early = until === undefined ? '' : `
setInterval(() => { if ((globalThis[${JSON.stringify(LOADED_KEY)}] || []).length >= ${until}) { process.stderr.write(${list}); process.reallyExit(0); } }, 20).unref();`;
  const child = `
const { loadBundle, bundleFor } = require(${JSON.stringify(path.join(ROOT, 'bin', 'load-bundle.js'))});
process.on('exit', () => process.stderr.write(${list}));${early}
const argv = ['node', 'proctop', ...process.argv.slice(1)];
const { bundle, cache } = bundleFor(argv);
loadBundle(bundle, cache).exports.main(argv);
`;
  const run = spawnSync(process.execPath, ['-e', child, '--', ...args], { cwd: ROOT, encoding: 'utf8', timeout: 20_000, stdio: ['ignore', 'ignore', 'pipe'] });
  const line = run.stderr.split('\n').find((l) => l.startsWith(TAG));
  assert.ok(line, `no load list from ${args.join(' ')}: ${run.stderr}`);
  return (JSON.parse(line.slice(TAG.length)) as string[]).sort();
}

/** A history store of one frame, removed after the test; `--once --replay dir --at time` shows it. */
function oneFrameStore(t: { after(fn: () => void): void }): { dir: string; time: number } {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'proctop-start-up-'));
  t.after(() => fs.rmSync(base, { recursive: true, force: true }));
  const dir = path.join(base, 'store');
  const time = 1_700_000_000_000;
  const writer = new StoreWriter({
    dir, identity: { host: 'h', bootId: 'b', writer: 'test', clockTicks: 100 }, now: () => time,
    segmentMaxBytes: 1e9, segmentMaxAgeMs: 1e9, pendingMaxBytes: 1e9, retainMs: 1e12, maxBytes: 1e12,
  });
  assert.equal(writer.append(makeSnapshot([{ pid: 1 }], { time })).error, undefined);
  writer.close();
  return { dir, time };
}

test('--once loads none of blessed, blessed-contrib, systeminformation, pidusage, yaml', () => {
  assert.deepEqual(loadedBy(['--once', '--proc-root', FIXTURE]), []);
});

test('the markers see a package when it does load: the portable sampler loads systeminformation and pidusage', () => {
  assert.deepEqual(loadedBy(['--once', '--sampler', 'portable', '--delay', '1', '--filter', 'pid:1'], 2), ['pidusage', 'systeminformation']);
});

test('proctop record never loads blessed (nor the other watched packages)', () => {
  assert.deepEqual(loadedBy(['record', '--help']), []);
});

test('proctop serve never loads blessed (nor the samplers\' packages; yaml is its own, for --web-config)', () => {
  assert.deepEqual(loadedBy(['serve', '--help']), ['yaml']);
});

test('--once --replay DIR --at T loads none of the watched packages (nor the exporter\'s yaml)', (t) => {
  const { dir, time } = oneFrameStore(t);
  assert.deepEqual(loadedBy(['--once', '--replay', dir, '--at', new Date(time).toISOString()]), []);
});

test('proctop dump loads none of the watched packages', () => {
  assert.deepEqual(loadedBy(['dump', '--help']), []);
});

/**
 * Which of Node's zlib, crypto and child_process modules the bundle, run as bin/proctop.js runs it, had loaded by
 * its exit. The child is a script file: `node -e` loads crypto itself.
 */
function builtinsLoadedBy(t: { after(fn: () => void): void }, args: readonly string[]): string[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'proctop-builtins-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const script = path.join(dir, 'child.js');
  fs.writeFileSync(script, `
const { loadBundle } = require(${JSON.stringify(path.join(ROOT, 'bin', 'load-bundle.js'))});
process.on('exit', () => process.stderr.write('builtins:' + JSON.stringify(process.moduleLoadList.filter((m) => ['NativeModule zlib', 'NativeModule crypto', 'NativeModule child_process'].includes(m)).map((m) => m.slice('NativeModule '.length))) + '\\n'));
loadBundle().exports.main(['node', 'proctop', ...process.argv.slice(2)]);
`);
  const run = spawnSync(process.execPath, [script, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 20_000, stdio: ['ignore', 'ignore', 'pipe'] });
  const line = run.stderr.split('\n').find((l) => l.startsWith('builtins:'));
  assert.ok(line, `no list from ${args.join(' ')}: ${run.stderr}`);
  return (JSON.parse(line.slice('builtins:'.length)) as string[]).sort();
}

test('--once loads none of zlib, crypto and child_process (lazy-builtins.ts, scripts/commander-plugin.ts: loaded where they are used)', (t) => {
  assert.deepEqual(builtinsLoadedBy(t, ['--once', '--proc-root', FIXTURE]), []);
  // The check sees zlib when it does load: a replay reads compressed, checksummed frames.
  const { dir, time } = oneFrameStore(t);
  assert.deepEqual(builtinsLoadedBy(t, ['--once', '--replay', dir, '--at', new Date(time).toISOString()]), ['zlib']);
});
