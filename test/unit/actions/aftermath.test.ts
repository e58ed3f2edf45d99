import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeAftermath, fate, Inspect, ProcessCheck } from '../../../src/actions/aftermath';
import { ProcessIdentity } from '../../../src/model/snapshot';

/** A probe that sees exactly these processes, keyed by pid; it records which pids it was asked about. */
function probe(seen: Readonly<Record<number, Partial<ProcessCheck>>>): Inspect & { asked: number[] } {
  const asked: number[] = [];
  const inspect = (pid: number): ProcessCheck | undefined => {
    asked.push(pid);
    const p = seen[pid];
    return p && { startTicks: 1000 + pid, state: 'S', ppid: 1, wchan: undefined, ...p };
  };
  return Object.assign(inspect, { asked });
}

/** A target with the start time the probe reports by default (1000 + pid). */
const target = (pid: number): ProcessIdentity => ({ pid, startTicks: 1000 + pid });

test('fate of a pid the probe no longer finds is gone', () => {
  assert.equal(fate(target(42), probe({})), 'gone');
});

test('fate of a pid now held by another process (other start time) is gone', () => {
  assert.equal(fate(target(42), probe({ 42: { startTicks: 99_999, state: 'S' } })), 'gone');
});

test('fate asks the probe about the target pid', () => {
  const p = probe({ 42: { state: 'S' } });
  fate(target(42), p);
  assert.deepEqual(p.asked, [42]);
});

test('fate of a zombie names the parent that has not reaped it', () => {
  assert.equal(fate(target(42), probe({ 42: { state: 'Z', ppid: 1300 } })), 'zombie (parent PID 1300 has not reaped it)');
});

test('fate of a process stuck in D names its wchan and says the signal waits for the kernel call', () => {
  assert.equal(
    fate(target(42), probe({ 42: { state: 'D', wchan: 'io_schedule' } })),
    'stuck in D (wchan io_schedule): it will act on the signal when the kernel call returns',
  );
});

for (const wchan of [undefined, '']) {
  test(`fate of a process stuck in D with wchan ${JSON.stringify(wchan)} leaves the wchan part out`, () => {
    assert.equal(fate(target(42), probe({ 42: { state: 'D', wchan } })), 'stuck in D: it will act on the signal when the kernel call returns');
  });
}

for (const state of ['T', 't']) {
  test(`fate of a process in state ${state} is stopped`, () => {
    assert.equal(fate(target(42), probe({ 42: { state } })), 'stopped');
  });
}

for (const state of ['R', 'S']) {
  test(`fate of a process in state ${state} is still running, handling or ignoring the signal`, () => {
    assert.equal(fate(target(42), probe({ 42: { state } })), 'still running (it handles or ignores the signal)');
  });
}

test('the aftermath line starts with the delay in seconds to one decimal', () => {
  assert.match(describeAftermath([target(1)], probe({}), 0.25), /^after 0\.3 s: /);
  assert.match(describeAftermath([target(1)], probe({}), 2), /^after 2\.0 s: /);
});

test('the aftermath line counts gone processes without listing their pids', () => {
  assert.equal(describeAftermath([target(10), target(11)], probe({}), 0.3), 'after 0.3 s: 2 gone');
});

test('the aftermath line groups targets by fate, in the order first met, with their pids', () => {
  const inspect = probe({
    11: { state: 'Z', ppid: 10 },
    12: { state: 'S' },
    13: { state: 'D', wchan: 'nfs_wait_bit_killable' },
    14: { state: 'Z', ppid: 10 },
    15: { state: 'T' },
  });
  assert.equal(
    describeAftermath([10, 11, 12, 13, 14, 15, 16].map(target), inspect, 0.3),
    'after 0.3 s: 2 gone; 2 zombie (parent PID 10 has not reaped it) [PID 11, 14]; 1 still running (it handles or ignores the signal) [PID 12]; '
      + '1 stuck in D (wchan nfs_wait_bit_killable): it will act on the signal when the kernel call returns [PID 13]; 1 stopped [PID 15]',
  );
});

test('zombies of different parents are told apart', () => {
  const inspect = probe({ 11: { state: 'Z', ppid: 10 }, 21: { state: 'Z', ppid: 20 } });
  assert.equal(
    describeAftermath([target(11), target(21)], inspect, 0.3),
    'after 0.3 s: 1 zombie (parent PID 10 has not reaped it) [PID 11]; 1 zombie (parent PID 20 has not reaped it) [PID 21]',
  );
});

test('the aftermath line lists at most 4 pids of a fate, then an ellipsis, but counts them all', () => {
  const pids = [31, 32, 33, 34, 35, 36];
  const inspect = probe(Object.fromEntries(pids.map((pid) => [pid, { state: 'S' }])));
  assert.equal(describeAftermath(pids.map(target), inspect, 0.3), 'after 0.3 s: 6 still running (it handles or ignores the signal) [PID 31, 32, 33, 34, …]');
});

test('exactly 4 pids of a fate are all listed without an ellipsis', () => {
  const pids = [31, 32, 33, 34];
  const inspect = probe(Object.fromEntries(pids.map((pid) => [pid, { state: 'T' }])));
  assert.equal(describeAftermath(pids.map(target), inspect, 0.3), 'after 0.3 s: 4 stopped [PID 31, 32, 33, 34]');
});

test('a target whose pid was reused counts as gone, not as the new process\'s state', () => {
  const inspect = probe({ 42: { startTicks: 5, state: 'D', wchan: 'io_schedule' } });
  assert.equal(describeAftermath([target(42)], inspect, 0.3), 'after 0.3 s: 1 gone');
});

test('after SIGCONT a running process has continued: not "still running (it handles or ignores the signal)"', () => {
  const running = probe({ 1: { state: 'R' }, 2: { state: 'S' }, 3: { state: 'S' }, 4: { state: 'S' }, 5: { state: 'S' }, 6: { state: 'S' } });
  const line = describeAftermath([1, 2, 3, 4, 5, 6].map(target), running, 0.3, 18);
  assert.equal(line, 'after 0.3 s: 6 continued [PID 1, 2, 3, 4, …]');
  assert.doesNotMatch(line, /still running|ignores/);
});

test('after SIGCONT a process still stopped says so, a traced one that its tracer holds it', () => {
  assert.equal(fate(target(7), probe({ 7: { state: 'T' } }), 18), 'still stopped (stopped again since?)');
  assert.match(fate(target(7), probe({ 7: { state: 't' } }), 18), /^still stopped \(traced/);
  // Other signals keep their words.
  assert.equal(fate(target(7), probe({ 7: { state: 'S' } }), 15), 'still running (it handles or ignores the signal)');
});
