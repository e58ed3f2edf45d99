/**
 * readProcessDetails against the live /proc on real processes: a chain of three (sh → sh →
 * sleep), a python process with four threads, a process that exited, a wrong start time, and
 * PID 1 read as `nobody` (setpriv) to see "permission denied" fields instead of a throw.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { Landscape, waitFor } from '../helpers/landscape';
import { findExecutable } from '../helpers/landscape-tools';
import { readStat } from '../helpers/proc-read';
import { readProcessDetails, type Field, type ProcessDetails } from '../../src/procfs/details';
import { ProcReader } from '../../src/procfs/reader';

const execFileP = promisify(execFile);
const IS_ROOT = process.getuid?.() === 0;
const reader = new ProcReader('/proc');
const land = new Landscape();
after(() => land.cleanup());

/** Start ticks as the helpers read them (not via src/), so a reader bug can't hide here. */
function startOf(pid: number): number {
  const starttime = readStat(pid)?.starttime;
  assert.ok(starttime !== undefined, `pid ${pid} is alive`);
  return starttime;
}

function details(pid: number): ProcessDetails {
  const found = readProcessDetails(reader, pid, startOf(pid));
  assert.ok(found, `details of pid ${pid}`);
  return found;
}

let chain: number[] = [];
let threaded = 0;
let spawnedFrom = 0;
let spawnedTo = 0;

before(async () => {
  spawnedFrom = Date.now();
  chain = await land.chain(3);
  spawnedTo = Date.now();
  threaded = await land.threaded(4);
});

test('the middle of a chain: parents from the chain root up to a root, the leaf as only child', () => {
  const [root, middle, leaf] = chain;
  const got = details(middle);
  assert.deepEqual(got.parentChain.slice(0, 2), [{ pid: root, name: 'sh' }, { pid: process.pid, name: readStat(process.pid)?.comm.toString() }]);
  const top = got.parentChain.at(-1);
  assert.ok(top && (top.pid === 1 || readStat(top.pid)?.ppid === 0), `chain ends at a root, not ${JSON.stringify(top)}`);
  assert.equal(new Set(got.parentChain.map((p) => p.pid)).size, got.parentChain.length, 'no pid twice');
  assert.deepEqual(got.children, [{ pid: leaf, name: 'sleep', state: 'S' }]);
  assert.equal(got.state, 'S');
});

test('exe and cwd are the link targets the kernel gives; argv and the start time are right', () => {
  const middle = chain[1];
  const got = details(middle);
  assert.deepEqual(got.exe, { ok: true, value: fs.readlinkSync(`/proc/${middle}/exe`) });
  assert.deepEqual(got.cwd, { ok: true, value: fs.readlinkSync(`/proc/${middle}/cwd`) });
  assert.equal(got.argv.ok && got.argv.value[0], 'sh');
  // btime has whole-second resolution, so allow a second either side of the spawn window.
  assert.ok(got.startTime >= spawnedFrom - 1000 && got.startTime <= spawnedTo + 1000, `startTime ${got.startTime}`);
  assert.deepEqual(got.openFiles, { ok: true, value: fs.readdirSync(`/proc/${middle}/fd`).length });
});

test('as root every field of our own process reads ok (namespaces only if /proc/1/ns is readable)', { skip: !IS_ROOT && 'not root' }, () => {
  const got = details(chain[1]);
  const isField = (entry: [string, unknown]): entry is [string, Field<unknown>] =>
    typeof entry[1] === 'object' && entry[1] !== null && 'ok' in entry[1];
  const fields = Object.entries(got).filter(isField);
  assert.equal(fields.length, 19);
  let initNsReadable = true;
  try {
    fs.readlinkSync('/proc/1/ns/mnt');
  } catch {
    initNsReadable = false; // e.g. a VM whose init denies even root ptrace access
  }
  for (const [name, field] of fields) {
    const want: object = name === 'namespacesDifferingFromInit' && !initNsReadable ? { ok: false, reason: 'permission denied' } : { ok: true };
    assert.deepEqual(field.ok ? { ok: true } : field, want, name);
  }
  assert.deepEqual(got.uids, { ok: true, value: [0, 0, 0, 0] });
  assert.ok(got.limits.ok && got.limits.value.some((r) => r.name === 'Max open files'));
  assert.ok(got.io.ok && typeof got.io.value.rchar === 'number');
});

test('PSS of a shell: from smaps_rollup, above 0 and at most its RSS (libc pages are shared); RSS as statm gives it', () => {
  const pid = chain[1] as number;
  const got = details(pid);
  assert.ok(got.memory.ok, `smaps_rollup of ${pid}: ${JSON.stringify(got.memory)}`);
  const m = got.memory.value;
  assert.ok(m.pss > 0 && m.pss <= m.rss, `pss ${m.pss}, rss ${m.rss}`);
  const statmPages = Number(fs.readFileSync(`/proc/${pid}/statm`, 'utf8').split(' ')[1]);
  assert.ok(Math.abs(m.rss - statmPages * 4096) <= 64 * 4096, `smaps rss ${m.rss} vs statm ${statmPages} pages`);
  assert.ok(got.swap.ok && got.swap.value >= 0);
});

test('a threaded process lists its 4 threads with names, states and CPU ticks', () => {
  const got = details(threaded);
  assert.ok(got.threads.ok, 'threads readable');
  assert.equal(got.threads.value.length, 4);
  assert.equal(got.threads.value[0]?.tid, threaded, 'main thread first (tid = pid)');
  assert.equal(new Set(got.threads.value.map((t) => t.tid)).size, 4);
  for (const t of got.threads.value) assert.ok(Number.isInteger(t.cpuTicks) && t.cpuTicks >= 0 && t.name !== '');
});

test('a pid that exited gives undefined', async () => {
  const pid = await land.sleeper();
  const start = startOf(pid);
  process.kill(pid, 'SIGKILL');
  await waitFor(() => !fs.existsSync(`/proc/${pid}`), 5000, `pid ${pid} reaped`);
  assert.equal(readProcessDetails(reader, pid, start), undefined);
});

test('a start time that differs (a reused pid) gives undefined', () => {
  const middle = chain[1];
  assert.equal(readProcessDetails(reader, middle, startOf(middle) + 1), undefined);
});

/** Runs readProcessDetails(PID 1) as nobody from a copy of dist/src that nobody can read. */
async function detailsOfInitAsNobody(setpriv: string): Promise<{ details?: ProcessDetails; threw?: string }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'proctop-details-'));
  try {
    fs.chmodSync(dir, 0o755);
    // dist/src as compiled: this file runs from dist/test/integration.
    fs.cpSync(path.join(__dirname, '..', '..', 'src'), path.join(dir, 'src'), { recursive: true });
    const script = `
      const { ProcReader } = require(process.argv[1] + '/src/procfs/reader.js');
      const { readProcessDetails } = require(process.argv[1] + '/src/procfs/details.js');
      const reader = new ProcReader('/proc');
      let out;
      try { out = { details: readProcessDetails(reader, 1, reader.readStat(1).startTicks) }; }
      catch (err) { out = { threw: String(err && err.stack || err) }; }
      process.stdout.write(JSON.stringify(out));`;
    const args = ['--reuid=nobody', '--regid=nogroup', '--clear-groups', process.execPath, '-e', script, dir];
    const { stdout } = await execFileP(setpriv, args, { cwd: dir, timeout: 20_000 });
    return JSON.parse(stdout) as { details?: ProcessDetails; threw?: string };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

test('as nobody, PID 1 reads without throwing; exe, cwd and fd say permission denied', async (t) => {
  const setpriv = findExecutable('/usr/bin/setpriv') ?? findExecutable('setpriv');
  if (!IS_ROOT || setpriv === undefined) {
    t.skip(!IS_ROOT ? 'needs root to switch to nobody' : 'setpriv is not installed');
    return;
  }
  const out = await detailsOfInitAsNobody(setpriv);
  assert.equal(out.threw, undefined);
  const got = out.details;
  assert.ok(got, 'details of PID 1');
  const denied = { ok: false, reason: 'permission denied' };
  assert.deepEqual([got.exe, got.cwd, got.openFiles], [denied, denied, denied]);
  assert.equal(got.argv.ok, true, 'cmdline is world-readable');
  assert.deepEqual(got.memory, denied, 'smaps_rollup needs ptrace read access');
  assert.equal(got.swap.ok, true, 'VmSwap comes from status, which anyone may read');
  assert.equal(got.parentChain.length, 0);
});
