/**
 * Reading a recorded store with the real binary: `--once --replay --at` (table, tree, JSON with
 * --filter) and `dump` (lines, CSV, JSON Lines, --summary), a store from a newer schema refused in
 * one line, and an unreadable store explained in one line to a user who may not read it.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Landscape } from '../helpers/landscape';
import { findExecutable } from '../helpers/landscape-tools';
import { privateHome } from '../helpers/private-home';
import { waitFor } from '../helpers/wait';
import { HistoryReader } from '../../src/history/store-reader';

const REPO = path.resolve(__dirname, '..', '..', '..');
const BIN = path.join(REPO, 'bin', 'proctop');
const land = new Landscape();
const home = privateHome();
let base: string;
let store: string;
let factory: number;
let zombies: number[];
let frameTimes: number[];

function proctop(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(BIN, [...args], { cwd: REPO, env: { ...process.env, ...home.env }, encoding: 'utf8', timeout: 20_000, maxBuffer: 64 * 1024 * 1024 });
  if (r.error) throw r.error;
  return r;
}

before(async () => {
  base = fs.mkdtempSync(path.join(os.tmpdir(), 'proctop-replay-'));
  store = path.join(base, 'store');
  ({ parent: factory, zombies } = await land.zombieFactory(3));
  const child = spawn(BIN, ['record', '--interval', '0.3', '--dir', store], { cwd: REPO, stdio: 'ignore' });
  try {
    await waitFor(() => {
      const opened = HistoryReader.open(store);
      if (!opened.ok) return false;
      opened.store.close();
      return opened.store.frames.length >= 4;
    }, 15_000, 'four frames');
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
  }
  const opened = HistoryReader.open(store);
  assert.ok(opened.ok);
  frameTimes = opened.store.frames.map((f) => f.time);
  opened.store.close();
});

after(async () => {
  try {
    await land.cleanup();
  } finally {
    home.remove();
    fs.rmSync(base, { recursive: true, force: true });
  }
});

test('--once --replay --at prints the frame at or before that time, --filter as live, JSON names the frame', () => {
  const second = frameTimes[1];
  const at = new Date(second + 100).toISOString();
  const r = proctop('--json', '--replay', store, '--at', at, '--filter', 'state:Z');
  assert.equal(r.status, 0, r.stderr);
  const doc = JSON.parse(r.stdout) as { time: string; replay: { frameTime: string; store: string; bootId: string }; processes: { pid: number; ppid: number; state: string }[]; zombieGroups: Record<string, number[]> };
  assert.equal(doc.replay.frameTime, new Date(second).toISOString());
  assert.equal(doc.time, doc.replay.frameTime);
  assert.equal(doc.replay.store, store);
  assert.equal(doc.replay.bootId, fs.readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim());
  for (const z of zombies) assert.ok(doc.processes.some((p) => p.pid === z && p.ppid === factory && p.state === 'Z'), `zombie ${z}`);
  assert.ok(doc.processes.every((p) => p.state === 'Z'), 'the filter applies');
  assert.deepEqual([...doc.zombieGroups[String(factory)]].sort(), [...zombies].sort());
});

test('--once --replay prints a table and a tree like a live --once', () => {
  const table = proctop('--once', '--replay', store, '--filter', `pid:${factory}`);
  assert.equal(table.status, 0, table.stderr);
  assert.match(table.stdout.split('\n')[0], /PID.*Command/);
  assert.match(table.stdout, new RegExp(`^\\s*${factory}\\s.*sleep 1000`, 'm'));
  const tree = proctop('--once', '--tree', '--replay', store, '--at', new Date(frameTimes[2]).toISOString());
  assert.equal(tree.status, 0, tree.stderr);
  assert.match(tree.stdout, new RegExp(`└─ \\[sleep\\]|\\[.*\\]`));
});

test('--at before the store began, or a store that is not there: one line, status 1', () => {
  const early = proctop('--once', '--replay', store, '--at', '2001-01-01T00:00:00Z');
  assert.equal(early.status, 1);
  assert.match(early.stderr, /^proctop: no frame at or before 2001-01-01T00:00:00.000Z: .* starts at /);
  assert.equal(early.stderr.trimEnd().split('\n').length, 1);
  const missing = proctop('--once', '--replay', path.join(base, 'nope'));
  assert.equal(missing.status, 1);
  assert.match(missing.stderr, /^proctop: cannot read the history store .*: no such directory\n$/);
});

test('dump: one line per process per frame, filtered; CSV and JSON Lines; --summary per frame', () => {
  // ppid too: a zombie of some other process may live on the host for a frame (CI under load).
  const lines = proctop('dump', '--replay', store, '--filter', `state:Z ppid:${factory}`);
  assert.equal(lines.status, 0, lines.stderr);
  const rows = lines.stdout.trimEnd().split('\n');
  assert.match(rows[0], /^time\tpid\tppid\tuser\tstate/);
  assert.equal(rows.length - 1, frameTimes.length * zombies.length, 'every zombie in every frame');
  const csv = proctop('dump', '--replay', store, '--csv', '--filter', `pid:${factory}`, '--from', new Date(frameTimes[1]).toISOString(), '--to', new Date(frameTimes[2]).toISOString());
  assert.equal(csv.status, 0, csv.stderr);
  assert.deepEqual(csv.stdout.trimEnd().split('\n').length, 3, 'header and two frames');
  const json = proctop('dump', '--replay', store, '--json', '--filter', `pid:${zombies[0]}`);
  const objects = json.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as { time: string; pid: number; state: string });
  assert.deepEqual(objects.map((o) => o.time), frameTimes.map((t) => new Date(t).toISOString()));
  assert.ok(objects.every((o) => o.pid === zombies[0] && o.state === 'Z'));
  const summary = proctop('dump', '--replay', store, '--summary', '--json');
  const frames = summary.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as { states: Record<string, number>; zombieParents: { ppid: number; zombies: number }[]; forks: number | null });
  assert.equal(frames.length, frameTimes.length);
  for (const f of frames) assert.ok(f.zombieParents.some((z) => z.ppid === factory && z.zombies === 3));
  assert.ok(frames.slice(1).every((f) => typeof f.forks === 'number'), 'forks since the previous frame');
});

test('a store written by a newer schema is refused in one line', () => {
  const newer = path.join(base, 'newer');
  fs.cpSync(store, newer, { recursive: true });
  const seg = fs.readdirSync(newer).find((n) => n.endsWith('.seg')) as string;
  const bytes = fs.readFileSync(path.join(newer, seg));
  bytes.writeUInt16LE(99, 8);
  fs.writeFileSync(path.join(newer, seg), bytes);
  const r = proctop('--once', '--replay', newer);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /^proctop: .* was written by a newer proctop \(store schema 99; this one reads up to 1\)/);
  assert.equal(r.stderr.trimEnd().split('\n').length, 1);
});

test('a user who may not read the store gets one clear line', (t) => {
  const setpriv = findExecutable('setpriv');
  if (process.getuid?.() !== 0 || setpriv === undefined) return t.skip(setpriv === undefined ? 'setpriv is not installed' : 'needs root to switch to nobody');
  fs.chmodSync(base, 0o755);
  const probe = spawnSync(setpriv, ['--reuid=nobody', '--regid=nogroup', '--clear-groups', 'test', '-r', BIN]);
  if (probe.status !== 0) return t.skip('nobody cannot read the checkout');
  const r = spawnSync(setpriv, ['--reuid=nobody', '--regid=nogroup', '--clear-groups', BIN, '--once', '--replay', store], { cwd: '/', encoding: 'utf8', timeout: 20_000 });
  assert.equal(r.status, 1, r.stderr);
  assert.equal(r.stderr, `proctop: cannot read the history store ${store}: permission denied\n`);
});
