/**
 * Proves each Landscape helper produces what it claims by reading /proc directly: raw fs
 * reads, plus the exported procState/procPpid, whose split at the last ')' is exercised by the
 * hostile comm in the withComm test.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { Landscape, procPpid, procState, uniqueMarker, waitFor } from '../helpers/landscape';

const land = new Landscape();
// Safety net if a test throws before the final cleanup test runs.
after(() => land.cleanup());

/** Every pid any test saw, checked by the last test after cleanup(). */
const seen = new Set<number>();
const note = (...pids: number[]): void => pids.forEach((p) => seen.add(p));

const raw = (pid: number, file: string): Buffer => fs.readFileSync(`/proc/${pid}/${file}`);
const statusField = (pid: number, key: string): string | undefined =>
  raw(pid, 'status').toString('latin1').split('\n').find((l) => l.startsWith(`${key}:`))?.slice(key.length + 1).trim();
/** Field 2 of /proc/PID/stat as raw bytes: between the first '(' and the last ')'. */
const statComm = (pid: number): Buffer => {
  const stat = raw(pid, 'stat');
  return stat.subarray(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
};
const nulJoined = (argv: string[]): Buffer => Buffer.from(argv.map((a) => `${a}\0`).join(''));
const starttime = (pid: number): string | undefined => {
  try {
    const stat = raw(pid, 'stat').toString('latin1');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[22 - 3];
  } catch {
    return undefined;
  }
};
const startedAt = new Map<number, string | undefined>();

test('sleeper: sleep 1000, child of the runner, marker in argv', async () => {
  const plain = await land.sleeper();
  const marker = uniqueMarker();
  const marked = await land.sleeper(marker);
  note(plain, marked);
  assert.deepEqual(raw(plain, 'cmdline'), nulJoined(['sleep', '1000']));
  assert.equal(procState(plain), 'S');
  assert.equal(procPpid(plain), process.pid);
  assert.deepEqual(raw(marked, 'cmdline'), nulJoined([marker, '1000']));
  assert.equal(procState(marked), 'S');
});

test('zombieFactory: n children in state Z whose ppid is the parent', async () => {
  const { parent, zombies } = await land.zombieFactory(3);
  note(parent, ...zombies);
  assert.equal(zombies.length, 3);
  assert.equal(procState(parent), 'S');
  for (const z of zombies) {
    assert.equal(procState(z), 'Z', `zombie ${z}`);
    assert.equal(procPpid(z), parent);
  }
});

test('stopped: state T', async () => {
  const pid = await land.stopped();
  note(pid);
  assert.equal(procState(pid), 'T');
});

test('chain: every level is the child of the previous', async () => {
  const pids = await land.chain(4);
  note(...pids);
  assert.equal(pids.length, 4);
  assert.equal(procPpid(pids[0]), process.pid);
  for (let i = 1; i < pids.length; i++) assert.equal(procPpid(pids[i]), pids[i - 1], `level ${i}`);
  assert.deepEqual(raw(pids[3], 'cmdline'), nulJoined(['sleep', '1000']));
});

test('threaded: Threads: 20 in /proc/PID/status', async () => {
  const pid = await land.threaded(20);
  note(pid);
  assert.equal(statusField(pid, 'Threads'), '20');
  assert.equal(fs.readdirSync(`/proc/${pid}/task`).length, 20);
});

test('withArgv: cmdline bytes are exactly argv joined by NUL', async () => {
  // Real sleep with a hostile argv[0] (terminal escapes, OSC title, newline).
  const viaSleep = ['\x1b[31mred\x1b[0m \x1b]0;pwned\x07\nfake', '1000'];
  // Arbitrary arguments that sleep itself would reject: goes through PR_SET_MM_MAP.
  const arbitrary = ['x', 'arg with spaces', '', 'a/b', '\x1b[2J', 'ünïcode'];
  const a = await land.withArgv(viaSleep);
  const b = await land.withArgv(arbitrary);
  note(a, b);
  assert.deepEqual(raw(a, 'cmdline'), nulJoined(viaSleep));
  assert.deepEqual(raw(b, 'cmdline'), nulJoined(arbitrary));
  assert.equal(procState(b), 'S');
});

test('withComm: /proc/PID/comm and stat field 2 hold the chosen bytes', async () => {
  const cases = ['evil) S 1 (\x1b[', 'two words', 'a/b (slash)', 'x\ny', 'abcdefghijklmnopqrst'];
  for (const comm of cases) {
    const pid = await land.withComm(comm);
    note(pid);
    const want = Buffer.from(comm).subarray(0, 15); // the kernel keeps 15 bytes
    assert.deepEqual(raw(pid, 'comm'), Buffer.concat([want, Buffer.from('\n')]), JSON.stringify(comm));
    assert.deepEqual(statComm(pid), want, JSON.stringify(comm));
    // procState must survive ") S 1 (" inside comm: it splits at the last ')'.
    assert.equal(procState(pid), 'S', JSON.stringify(comm));
  }
});

test('traced: TracerPid is the tracer', async (t) => {
  const got = await land.traced();
  if (got === undefined) {
    t.skip('neither strace nor python3 ptrace is usable here');
    return;
  }
  note(got.tracee, got.tracer);
  assert.equal(statusField(got.tracee, 'TracerPid'), String(got.tracer));
  assert.match(procState(got.tracee) ?? 'gone', /^[St]$/);
});

test('uniqueMarker is unique and waitFor names what it waited for', async () => {
  assert.notEqual(uniqueMarker(), uniqueMarker());
  assert.match(uniqueMarker('x'), new RegExp(`^x-${process.pid}-\\d+-[0-9a-f]{8}$`));
  assert.equal(await waitFor(() => 0, 100, 'zero'), 0, '0 is a value, not "not yet"');
  await assert.rejects(waitFor(() => false, 50, 'the moon'), /timed out after 50 ms waiting for the moon/);
});

test('cleanup: every tracked pid is gone or no longer ours; temp dirs removed; idempotent', async () => {
  for (const pid of land.pids) seen.add(pid);
  for (const pid of seen) startedAt.set(pid, starttime(pid));
  const dirs = land.tempDirs;
  assert.ok(dirs.length > 0, 'withComm made a temp dir');
  assert.ok(seen.size >= 15, `only ${seen.size} pids seen`);

  const t0 = Date.now();
  await Promise.all([land.cleanup(), land.cleanup()]);
  await land.cleanup();
  assert.ok(Date.now() - t0 < 3000, `cleanup took ${Date.now() - t0} ms`);

  for (const pid of seen) {
    const now = starttime(pid);
    if (now === undefined || now !== startedAt.get(pid)) continue; // gone, or pid reused
    // Still there: only allowed as an orphaned zombie waiting for init, never as ours.
    assert.equal(procState(pid), 'Z', `pid ${pid} survived cleanup`);
    assert.notEqual(procPpid(pid), process.pid, `zombie ${pid} is ours and unreaped`);
  }
  assert.deepEqual(land.pids, []);
  for (const dir of dirs) assert.equal(fs.existsSync(dir), false, dir);
});
