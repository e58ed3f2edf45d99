import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KillFn, sendSignal, SignalResult, StartTimeProbe, summarize } from '../../../src/actions/send-signal';

/** A kill(2) stand-in that records its calls and optionally fails with an errno code. */
function recorder(code?: string): { kill: KillFn; calls: [number, number][] } {
  const calls: [number, number][] = [];
  return {
    calls,
    kill: (pid, signal) => {
      calls.push([pid, signal]);
      if (code !== undefined) throw Object.assign(new Error(`kill ${code}`), { code, errno: -1, syscall: 'kill' });
    },
  };
}

/** A start-time probe that knows exactly these pids. */
function probeOf(known: Readonly<Record<number, number>>): StartTimeProbe {
  return (pid) => known[pid];
}

const target = { pid: 4242, startTicks: 777 };
const alive = probeOf({ 4242: 777 });

for (const pid of [0, -1, -4242, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
  test(`pid ${pid} is refused and kill is never called`, () => {
    const r = recorder();
    let probed = false;
    const result = sendSignal({ pid, startTicks: 1 }, 15, (p) => { probed = true; return alive(p); }, r.kill);
    assert.equal(result.outcome, 'refused');
    assert.deepEqual(r.calls, []);
    assert.equal(probed, false);
  });
}

for (const signal of [-1, 65, 2.5, Number.NaN]) {
  test(`signal ${signal} is refused and kill is never called`, () => {
    const r = recorder();
    const result = sendSignal(target, signal, alive, r.kill);
    assert.equal(result.outcome, 'refused');
    assert.deepEqual(r.calls, []);
  });
}

test('a start time that differs from the target means the pid was reused: not sent', () => {
  const r = recorder();
  const result = sendSignal(target, 9, probeOf({ 4242: 778 }), r.kill);
  assert.equal(result.outcome, 'reused');
  assert.deepEqual(r.calls, []);
  assert.match(result.message, /PID 4242: not sent/);
});

test('a process the probe cannot find is gone: not sent', () => {
  const r = recorder();
  const result = sendSignal(target, 15, probeOf({}), r.kill);
  assert.equal(result.outcome, 'gone');
  assert.deepEqual(r.calls, []);
});

test('EPERM from kill is permission-denied', () => {
  const r = recorder('EPERM');
  const result = sendSignal(target, 15, alive, r.kill);
  assert.equal(result.outcome, 'permission-denied');
  assert.match(result.message, /permission denied/);
});

test('ESRCH from kill (exited after the probe) is gone', () => {
  const result = sendSignal(target, 15, alive, recorder('ESRCH').kill);
  assert.equal(result.outcome, 'gone');
});

test('another errno from kill is refused and names the code', () => {
  const result = sendSignal(target, 15, alive, recorder('EINVAL').kill);
  assert.equal(result.outcome, 'refused');
  assert.match(result.message, /EINVAL/);
});

test('success is sent, with kill called exactly once with (pid, signal)', () => {
  const r = recorder();
  const result = sendSignal(target, 9, alive, r.kill);
  assert.equal(result.outcome, 'sent');
  assert.deepEqual(r.calls, [[4242, 9]]);
  assert.deepEqual(result.target, target);
  assert.equal(result.signal, 9);
});

test('signal 0 (existence check) is allowed', () => {
  const r = recorder();
  assert.equal(sendSignal(target, 0, alive, r.kill).outcome, 'sent');
  assert.deepEqual(r.calls, [[4242, 0]]);
});

test('the start-time probe is asked about the target pid', () => {
  const asked: number[] = [];
  sendSignal(target, 15, (pid) => { asked.push(pid); return 777; }, recorder().kill);
  assert.deepEqual(asked, [4242]);
});

// summarize

function result(pid: number, outcome: SignalResult['outcome'], message = `PID ${pid}: ${outcome}`): SignalResult {
  return { target: { pid, startTicks: 1 }, signal: 15, outcome, message };
}

test('summarize of one result is the signal name and that result\'s message', () => {
  assert.equal(summarize('SIGTERM', [result(12, 'sent', 'PID 12: sent')]), 'SIGTERM → PID 12: sent');
});

test('summarize of several results counts each outcome and lists the pids that were not sent', () => {
  const text = summarize('SIGTERM', [result(1, 'sent'), result(2, 'sent'), result(3, 'permission-denied'), result(4, 'gone')]);
  assert.equal(text, 'SIGTERM → 2 sent, 1 permission denied (PID 3), 1 already gone (PID 4)');
});

test('summarize lists at most five pids per outcome, then an ellipsis', () => {
  const results = [1, 2, 3, 4, 5, 6, 7].map((pid) => result(pid, 'reused'));
  assert.equal(summarize('SIGKILL', results), 'SIGKILL → 7 PID reused, not sent (PID 1, 2, 3, 4, 5, …)');
});

test('summarize of several successes is just the count', () => {
  assert.equal(summarize('SIGHUP', [result(1, 'sent'), result(2, 'sent')]), 'SIGHUP → 2 sent');
});

test('summarize of 20,000 results (a subtree or session) is linear, not quadratic', () => {
  const results = Array.from({ length: 20_000 }, (_, i) => result(i + 2, i % 10 === 0 ? 'gone' : 'sent'));
  const started = Date.now();
  const text = summarize('SIGKILL', results);
  const ms = Date.now() - started;
  assert.equal(text, 'SIGKILL → 2000 already gone (PID 2, 12, 22, 32, 42, …), 18000 sent');
  // Copying the pid list per result took ~1 s at 10,000 results and ~50 s at 20,000.
  assert.ok(ms < 2000, `${ms} ms`);
});
