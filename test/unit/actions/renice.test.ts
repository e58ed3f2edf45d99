import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renice } from '../../../src/actions/renice';
import { StartTimeProbe } from '../../../src/actions/send-signal';
import { Result } from '../../../src/base/result';

/** The status line either way: what was done, or why not. */
const textOf = (r: Result<string>): string => (r.ok ? r.value : r.error);

type SetPriority = (pid: number, n: number) => void;

/** An os.setPriority stand-in that records its calls and optionally throws. */
function recorder(fail?: () => Error): { setPriority: SetPriority; calls: [number, number][] } {
  const calls: [number, number][] = [];
  return {
    calls,
    setPriority: (pid, n) => {
      calls.push([pid, n]);
      if (fail) throw fail();
    },
  };
}

/** What Node's os.setPriority throws: a SystemError whose own code is generic and whose `info.code` is the errno. */
function systemError(errno: string): Error {
  return Object.assign(new Error(`A system error occurred: uv_os_setpriority returned ${errno}`), {
    code: 'ERR_SYSTEM_ERROR',
    info: { errno: -13, code: errno, message: 'permission denied', syscall: 'uv_os_setpriority' },
  });
}

const target = { pid: 4242, startTicks: 777 };
const alive: StartTimeProbe = (pid) => (pid === 4242 ? 777 : undefined);

test('renice sets the nice value of the target', () => {
  const r = recorder();
  const result = renice(target, 5, alive, r.setPriority);
  assert.deepEqual(r.calls, [[4242, 5]]);
  assert.equal(result.ok, true);
  assert.equal(textOf(result), 'PID 4242: nice set to 5');
});

test('renice clamps a value above 19 to 19', () => {
  const r = recorder();
  renice(target, 20, alive, r.setPriority);
  assert.deepEqual(r.calls, [[4242, 19]]);
});

test('renice clamps a value below -20 to -20', () => {
  const r = recorder();
  renice(target, -21, alive, r.setPriority);
  assert.deepEqual(r.calls, [[4242, -20]]);
});

test('EACCES in a SystemError\'s info (lowering nice without privilege) is a permission-denied message', () => {
  const result = renice(target, -5, alive, recorder(() => systemError('EACCES')).setPriority);
  assert.equal(result.ok, false);
  assert.match(textOf(result), /^PID 4242: permission denied/);
});

test('EPERM in a SystemError\'s info is a permission-denied message', () => {
  const result = renice(target, 5, alive, recorder(() => systemError('EPERM')).setPriority);
  assert.match(textOf(result), /permission denied/);
});

test('ESRCH in a SystemError\'s info (exited after the probe) says the process is gone', () => {
  const result = renice(target, 5, alive, recorder(() => systemError('ESRCH')).setPriority);
  assert.equal(result.ok, false);
  assert.match(textOf(result), /no such process/);
});

test('an errno-style error with code EACCES is also permission denied', () => {
  const err = (): Error => Object.assign(new Error('EACCES'), { code: 'EACCES' });
  assert.match(textOf(renice(target, -1, alive, recorder(err).setPriority)), /permission denied/);
});

test('a start time that differs from the target is refused without calling setPriority', () => {
  const r = recorder();
  const result = renice(target, 5, () => 778, r.setPriority);
  assert.equal(result.ok, false);
  assert.match(textOf(result), /another process/);
  assert.deepEqual(r.calls, []);
});

test('a process the probe cannot find is refused as gone without calling setPriority', () => {
  const r = recorder();
  const result = renice(target, 5, () => undefined, r.setPriority);
  assert.equal(result.ok, false);
  assert.match(textOf(result), /already gone/);
  assert.deepEqual(r.calls, []);
});

for (const pid of [0, -1]) {
  test(`renice refuses pid ${pid} (0 would mean proctop itself) without calling setPriority`, () => {
    const r = recorder();
    const result = renice({ pid, startTicks: 1 }, 5, () => 1, r.setPriority);
    assert.equal(result.ok, false);
    assert.deepEqual(r.calls, []);
  });
}

test('EPERM on a lower priority (`[`, nice +1 on another user\'s process) is not explained as raising priority', () => {
  const result = renice(target, 1, alive, recorder(() => systemError('EPERM')).setPriority);
  assert.equal(result.ok, false);
  assert.doesNotMatch(textOf(result), /raising/);
  assert.match(textOf(result), /permission denied \(another user's process/);
});
