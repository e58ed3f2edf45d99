/**
 * `proctop record` as the real binary: it loads no TUI code, prints nothing, exits 0 on SIGTERM
 * and SIGINT after its frame, creates its store 0700 with files 0600, keeps retention by age and
 * size to its own segments, and rejects bad flags with one line and status 2.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { waitFor } from '../helpers/wait';
import { HistoryReader } from '../../src/history/store-reader';

const REPO = path.resolve(__dirname, '..', '..', '..');
const BIN = path.join(REPO, 'bin', 'proctop');

interface Running {
  readonly child: ChildProcess;
  readonly out: () => string;
  readonly err: () => string;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** The real launcher, or (with `command`) another program and its arguments, e.g. node and the unbundled CLI. */
function startRecorder(args: readonly string[], env: NodeJS.ProcessEnv = {}, command: readonly [string, ...string[]] = [BIN]): Running {
  const child = spawn(command[0], [...command.slice(1), 'record', ...args], { cwd: REPO, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  return { child, out: () => out, err: () => err, exited };
}

/** Kills a recorder this test started, by its pid, if it is still running. */
function stopQuietly(r: Running): void {
  if (r.child.exitCode === null && r.child.signalCode === null && r.child.pid !== undefined) r.child.kill('SIGKILL');
}

function tempDir(t: { after: (fn: () => void) => void }): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'proctop-record-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function frameCount(dir: string): number {
  const opened = HistoryReader.open(dir);
  if (!opened.ok) return 0;
  opened.store.close();
  return opened.store.frames.length;
}

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  test(`record prints nothing and exits 0 on ${signal}, its last frame whole`, async (t) => {
    const store = path.join(tempDir(t), 'store');
    const r = startRecorder(['--interval', '0.2', '--dir', store]);
    t.after(() => stopQuietly(r));
    await waitFor(() => frameCount(store) >= 3, 15_000, 'three frames');
    r.child.kill(signal);
    assert.deepEqual(await r.exited, { code: 0, signal: null });
    assert.equal(r.out(), '');
    assert.equal(r.err(), '');
    const opened = HistoryReader.open(store);
    assert.ok(opened.ok);
    assert.deepEqual(opened.store.warnings, [], 'the last frame was finished, not cut');
    opened.store.close();
  });
}

test('record loads no blessed and no ui/ module (the CLI\'s module graph, unbundled)', async (t) => {
  const base = tempDir(t);
  const store = path.join(base, 'store');
  const modules = path.join(base, 'modules.json');
  const hook = path.join(base, 'hook.js');
  // bin/proctop runs one bundle, where require.cache cannot tell modules apart: the tsc output of
  // the same sources, which the bundle keeps lazy in the same places, shows what record evaluates.
  const entry = path.join(base, 'entry.js');
  fs.writeFileSync(entry, `require(${JSON.stringify(path.join(REPO, 'dist', 'src', 'cli.js'))}).main(process.argv);`);
  fs.writeFileSync(hook, `process.on('exit', () => require('fs').writeFileSync(${JSON.stringify(modules)}, JSON.stringify(Object.keys(require.cache))));`);
  const r = startRecorder(['--interval', '0.2', '--dir', store], {}, [process.execPath, '--require', hook, entry]);
  t.after(() => stopQuietly(r));
  await waitFor(() => frameCount(store) >= 2, 15_000, 'two frames');
  r.child.kill('SIGTERM');
  assert.deepEqual(await r.exited, { code: 0, signal: null });
  const loaded = JSON.parse(fs.readFileSync(modules, 'utf8')) as string[];
  assert.ok(loaded.some((m) => m.endsWith(path.join('history', 'recorder.js'))), 'the hook saw the recorder load');
  assert.deepEqual(loaded.filter((m) => /node_modules[\\/]blessed|[\\/]src[\\/]ui[\\/]/.test(m)), []);
});

test('the store is created 0700 (with its parents) and its files 0600, whatever the umask', async (t) => {
  const base = tempDir(t);
  const store = path.join(base, 'a', 'b');
  const r = startRecorder(['--interval', '0.2', '--dir', store]);
  t.after(() => stopQuietly(r));
  await waitFor(() => frameCount(store) >= 1, 15_000, 'a frame');
  r.child.kill('SIGTERM');
  await r.exited;
  assert.equal(fs.statSync(store).mode & 0o777, 0o700);
  assert.equal(fs.statSync(path.join(base, 'a')).mode & 0o777, 0o700);
  const files = fs.readdirSync(store);
  assert.ok(files.length >= 2);
  for (const f of files) assert.equal(fs.statSync(path.join(store, f)).mode & 0o777, 0o600, f);
});

test('retention deletes segments past the age, then the oldest past the size, and nothing else', async (t) => {
  const store = path.join(tempDir(t), 'store');
  fs.mkdirSync(store, { mode: 0o700 });
  const now = Date.now();
  const fake = (hoursAgo: number, bytes: number): string => {
    const name = `${new Date(now - hoursAgo * 3_600_000).toISOString().replace(/[-:]/g, '')}.seg`;
    fs.writeFileSync(path.join(store, name), Buffer.alloc(bytes));
    fs.writeFileSync(path.join(store, name.replace('.seg', '.idx')), '');
    const when = new Date(now - hoursAgo * 3_600_000);
    fs.utimesSync(path.join(store, name), when, when);
    return name;
  };
  const ancient = fake(30, 1000);
  const old = fake(5, 400 * 1024);
  const newer = fake(3, 400 * 1024);
  const newest = fake(1, 400 * 1024);
  fs.writeFileSync(path.join(store, 'notes.txt'), 'not a segment');
  const r = startRecorder(['--interval', '0.2', '--dir', store, '--retain', '1d', '--max-size', '1M']);
  t.after(() => stopQuietly(r));
  await waitFor(() => !fs.existsSync(path.join(store, old)), 15_000, 'retention to run');
  r.child.kill('SIGTERM');
  await r.exited;
  const left = fs.readdirSync(store);
  assert.ok(!left.includes(ancient) && !left.includes(ancient.replace('.seg', '.idx')), 'past the age: gone with its index');
  assert.ok(!left.includes(old), 'the oldest over the size limit: gone');
  assert.ok(left.includes(newer) && left.includes(newest), 'newer segments kept (2 × 400 KiB and the current one fit in 1 MiB)');
  assert.ok(left.includes('notes.txt'), 'a file that is not a segment is never touched');
});

for (const [args, pattern] of [
  [['--interval', '0'], /^proctop record: .*--interval.*expected seconds from 0\.1 to 3600/],
  [['--retain', '3x'], /^proctop record: .*--retain.*expected an age/],
  [['--max-size', '10'], /^proctop record: .*--max-size.*expected a size/],
  [['--bogus'], /^proctop record: unknown option '--bogus'/],
  [['extra'], /^proctop record: too many arguments/],
] as const) {
  test(`record ${args.join(' ')}: one line, status 2`, () => {
    const result = spawnSync(BIN, ['record', ...args], { cwd: REPO, encoding: 'utf8', timeout: 20_000 });
    assert.equal(result.status, 2);
    assert.equal(result.stdout, '');
    assert.match(result.stderr, pattern);
    assert.equal(result.stderr.trimEnd().split('\n').length, 1, result.stderr);
  });
}
