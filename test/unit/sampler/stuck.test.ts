import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ProcessInfo, Snapshot } from '../../../src/model/snapshot';
import { Sampler } from '../../../src/sampler/sampler';
import { scenario, tempDir } from '../procfs/fixtures';
import { parseSchedExecStart } from '../../../src/procfs/parse/sched';

const T1 = 1_795_783_433_710;
const TIMES = [T1, T1 + 1500, T1 + 3000, T1 + 4500, T1 + 6000];
const [S1, S2, S3] = TIMES;

function proc(snapshot: Snapshot, pid: number): ProcessInfo {
  const p = snapshot.processes.find((x) => x.pid === pid);
  if (!p) assert.fail(`pid ${pid} missing from the snapshot`);
  return p;
}

/**
 * One sampler over a symlinked root and a scan per scenario name in `plan`,
 * the root pointed at that scenario before each scan; the clock gives TIMES in turn.
 */
function scans(t: { after: (fn: () => void) => void }, plan: readonly string[], onSampler?: (s: Sampler) => void): Snapshot[] {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const root = path.join(dir, 'root');
  const clock = [...TIMES];
  let sampler: Sampler | undefined;
  const snapshots = plan.map((name) => {
    if (fs.existsSync(root)) fs.unlinkSync(root);
    fs.symlinkSync(scenario(name), root);
    sampler ??= new Sampler({ root, passwdPath: path.join(root, 'passwd'), threads: false, now: () => clock.shift() ?? NaN, pageSize: 4096 });
    return sampler.sample();
  });
  if (sampler && onSampler) onSampler(sampler);
  return snapshots;
}

// stateSince

test('stateSince of every process is the time of the first scan that saw it', (t) => {
  const [first] = scans(t, ['stuck1']);
  assert.deepEqual(first?.processes.map((p) => [p.pid, p.stateSince]), [[1, S1], [700, S1], [701, S1], [702, S1]]);
});

test('stateSince stays at the first scan across scans while the state is unchanged', (t) => {
  const snaps = scans(t, ['stuck1', 'stuck1', 'stuck1']);
  for (const [i, s] of snaps.entries()) {
    assert.deepEqual([1, 700, 701, 702].map((pid) => proc(s, pid).stateSince), [S1, S1, S1, S1], `scan ${i + 1}`);
  }
});

test('stateSince resets to the scan that saw the new state when the state changes', (t) => {
  const [, , third] = scans(t, ['stuck1', 'stuck1', 'stuck2']);
  assert.ok(third);
  // 700 D → R and 701 S → D changed in the third scan; 1 (S) and 702 (D) did not.
  assert.deepEqual([700, 701].map((pid) => [proc(third, pid).state, proc(third, pid).stateSince]), [['R', S3], ['D', S3]]);
  assert.deepEqual([1, 702].map((pid) => proc(third, pid).stateSince), [S1, S1]);
});

test('after a state change stateSince stays at the scan of the change', (t) => {
  const [, , fourth] = scans(t, ['stuck1', 'stuck2', 'stuck2', 'stuck2']);
  assert.ok(fourth);
  assert.deepEqual([700, 701, 702].map((pid) => proc(fourth, pid).stateSince), [S2, S2, S1]);
});

test('a process that returns to an earlier state gets the time of its return, not of the first time in it', (t) => {
  // 700: D, then R, then D again.
  const [, , third] = scans(t, ['stuck1', 'stuck2', 'stuck1']);
  assert.ok(third);
  assert.deepEqual([proc(third, 700).state, proc(third, 700).stateSince], ['D', S3]);
});

test('a reused pid in the same state starts its own stateSince', (t) => {
  // tick1 → tick2: pid 12 is a new process (new start time), sleeping in both scans.
  const [first, second] = scans(t, ['tick1', 'tick2']);
  assert.ok(first && second);
  assert.deepEqual([proc(first, 12).state, proc(second, 12).state], ['S', 'S']);
  assert.notEqual(proc(first, 12).startTicks, proc(second, 12).startTicks);
  assert.equal(proc(second, 12).stateSince, S2);
  assert.equal(proc(second, 15).stateSince, S1);
});

test('a process first seen in a later scan has that scan as stateSince', (t) => {
  const [, second] = scans(t, ['tick1', 'tick2']);
  assert.ok(second);
  assert.equal(proc(second, 13).stateSince, S2);
});

test('state tracking forgets processes that are gone, and the old identity of a reused pid', (t) => {
  // tick1 → tick2: 14 exited and 12 was reused; 7 processes in each scan.
  let states: number | undefined;
  const [, second] = scans(t, ['tick1', 'tick2'], (s) => { states = s.cacheSizes().states; });
  assert.equal(second?.processes.length, 7);
  assert.equal(states, 7);
});

// wchan

test('a D-state process gets its wchan from /proc/PID/wchan', (t) => {
  const [first] = scans(t, ['stuck1']);
  assert.ok(first);
  assert.equal(proc(first, 700).wchan, 'io_schedule');
});

test('a process not in D has no wchan, even when /proc/PID/wchan names a function', (t) => {
  const [first] = scans(t, ['stuck1']);
  assert.ok(first);
  assert.equal(fs.readFileSync(path.join(scenario('stuck1'), '701', 'wchan'), 'utf8'), 'do_nanosleep');
  assert.deepEqual([proc(first, 701).state, proc(first, 701).wchan], ['S', undefined]);
});

test('a D-state process whose wchan file reads 0 has an empty wchan, not undefined and not "0"', (t) => {
  const [first] = scans(t, ['stuck1']);
  assert.ok(first);
  assert.equal(proc(first, 702).wchan, '');
});

test('wchan follows the state: read when a process enters D, dropped when it leaves', (t) => {
  const [first, second] = scans(t, ['stuck1', 'stuck2']);
  assert.ok(first && second);
  assert.deepEqual([proc(second, 700).state, proc(second, 700).wchan], ['R', undefined]);
  assert.deepEqual([proc(second, 701).state, proc(second, 701).wchan], ['D', 'rpc_wait_bit_killable']);
});

test('wchan of a process that stays in D is read again each scan', (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const root = path.join(dir, 'stuck1');
  fs.cpSync(scenario('stuck1'), root, { recursive: true });
  const clock = [...TIMES];
  const sampler = new Sampler({ root, passwdPath: path.join(root, 'passwd'), threads: false, now: () => clock.shift() ?? NaN, pageSize: 4096 });
  assert.equal(proc(sampler.sample(), 700).wchan, 'io_schedule');
  fs.writeFileSync(path.join(root, '700', 'wchan'), 'blk_mq_get_tag');
  const second = sampler.sample();
  assert.deepEqual([proc(second, 700).wchan, proc(second, 700).stateSince], ['blk_mq_get_tag', S1]);
});

test('a D-state process without a wchan file has wchan undefined', (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const root = path.join(dir, 'stuck1');
  fs.cpSync(scenario('stuck1'), root, { recursive: true });
  fs.rmSync(path.join(root, '700', 'wchan'));
  const sampler = new Sampler({ root, passwdPath: path.join(root, 'passwd'), threads: false, now: () => T1, pageSize: 4096 });
  const p = proc(sampler.sample(), 700);
  assert.deepEqual([p.state, p.wchan], ['D', undefined]);
});

// The kernel's word: /proc/PID/sched

/** /proc/PID/sched as the kernel formats it (the lines around se.exec_start trimmed). */
const schedText = (comm: string, pid: number, execStartMs: string): string =>
  `${comm} (${pid}, #threads: 1)\n${'-'.repeat(67)}\nse.exec_start                                :   ${execStartMs}\nse.vruntime                                  :        176412.044949\nse.sum_exec_runtime                          :             7.385872\n`;

/** stuck1 copied, with sched files: proctop's own clock at 1,000,000 ms, 700 (D) last ran 3 minutes before. */
function withSched(t: { after: (fn: () => void) => void }, files: Readonly<Record<string, string>>): Sampler {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const root = path.join(dir, 'root');
  fs.cpSync(scenario('stuck1'), root, { recursive: true });
  for (const [at, text] of Object.entries(files)) {
    fs.mkdirSync(path.join(root, path.dirname(at)), { recursive: true });
    fs.writeFileSync(path.join(root, at), text);
  }
  const clock = [...TIMES];
  return new Sampler({ root, passwdPath: path.join(root, 'passwd'), threads: false, now: () => clock.shift() ?? NaN, pageSize: 4096 });
}

test('a D process first seen takes its state age from the kernel: se.exec_start against proctop’s own', (t) => {
  const sampler = withSched(t, { 'self/sched': schedText('node', 4242, '1000000.250000'), '700/sched': schedText('dd', 700, '820000.250000') });
  const first = sampler.sample();
  assert.deepEqual([proc(first, 700).state, S1 - proc(first, 700).stateSince, proc(first, 700).stateSinceLowerBound], ['D', 180_000, false]);
});

test('the kernel-dated age stays fixed across scans (not re-read while the state holds)', (t) => {
  const sampler = withSched(t, { 'self/sched': schedText('node', 4242, '1000000.0'), '700/sched': schedText('dd', 700, '820000.0') });
  sampler.sample();
  const second = sampler.sample();
  assert.equal(proc(second, 700).stateSince, (S1 as number) - 180_000);
});

test('without a sched file, a state held at the first scan is a lower bound; a sleeping process is not dated by the kernel', (t) => {
  const sampler = withSched(t, { 'self/sched': schedText('node', 4242, '1000000.0'), '701/sched': schedText('sleep', 701, '1.0') });
  const first = sampler.sample();
  // 702 is in D with no sched file; 701 sleeps (S): its sched file is not read, its age counts from first sight.
  assert.deepEqual([proc(first, 702).stateSince, proc(first, 702).stateSinceLowerBound], [S1, true]);
  assert.deepEqual([proc(first, 701).stateSince, proc(first, 701).stateSinceLowerBound], [S1, true]);
});

test('a state change seen between two scans is dated by the scan that saw it, not as a lower bound', (t) => {
  const [, , third] = scans(t, ['stuck1', 'stuck1', 'stuck2']);
  assert.ok(third);
  assert.deepEqual([proc(third, 701).stateSince, proc(third, 701).stateSinceLowerBound], [S3, false]);
});

test('se.exec_start is parsed from the sched text; a text without it is an error value', () => {
  assert.deepEqual(parseSchedExecStart(schedText('x', 1, '2549321.454066')), { ok: true, value: 2549321.454066 });
  assert.ok(!parseSchedExecStart('se.vruntime : 1.0\n').ok);
  assert.ok(!parseSchedExecStart('se.exec_start : -5.0\n').ok);
});
