import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ProcessInfo } from '../../../src/model/snapshot';
import { markOrphans } from '../../../src/sampler/orphans';
import { makeProcess, ProcessSpec } from '../../helpers/process-fixture';

/** init, always present: a group and session leader of its own. */
const INIT: ProcessSpec = { pid: 1, ppid: 0, pgid: 1, sid: 1 };

/** Group 40 (session 40) lost its leader: no process 40 is ever in these lists. */
const GONE_GROUP = { pgid: 40, sid: 40 };

function marked(specs: readonly ProcessSpec[]): Map<number, boolean> {
  return new Map(markOrphans(specs.map(makeProcess)).map((p) => [p.pid, p.orphan]));
}

function orphanOf(specs: readonly ProcessSpec[], pid: number): boolean {
  const flag = marked(specs).get(pid);
  if (flag === undefined) assert.fail(`pid ${pid} missing from the result`);
  return flag;
}

test('a process whose group leader is gone and whose parent is PID 1 is marked orphan', () => {
  assert.equal(orphanOf([INIT, { pid: 41, ppid: 1, ...GONE_GROUP }], 41), true);
});

test('a process adopted by PID 1 is marked even when init is not in the list', () => {
  assert.equal(orphanOf([{ pid: 41, ppid: 1, ...GONE_GROUP }], 41), true);
});

test('a process whose group leader is gone and whose parent is in another session (a subreaper) is marked orphan', () => {
  // systemd --user (pid 10, session 10) adopted a worker of the crashed master 40.
  assert.equal(orphanOf([INIT, { pid: 10, ppid: 1 }, { pid: 42, ppid: 10, ...GONE_GROUP }], 42), true);
});

test('a pipeline member whose leader exited but whose parent is the shell of its session is not marked', () => {
  // bash 100 ran `a | b`: a (101, the group leader) exited, b (102) is still bash's child in session 100.
  const specs: ProcessSpec[] = [INIT, { pid: 100, ppid: 1, pgid: 100, sid: 100 }, { pid: 102, ppid: 100, pgid: 101, sid: 100 }];
  assert.equal(orphanOf(specs, 102), false);
});

test('a process whose group leader is gone and whose parent (not PID 1) is not in the list is not marked', () => {
  assert.equal(orphanOf([INIT, { pid: 43, ppid: 999, ...GONE_GROUP }], 43), false);
});

test('a process whose group leader is still there is not marked, even when its parent is PID 1', () => {
  const specs: ProcessSpec[] = [INIT, { pid: 40, ppid: 1, pgid: 40, sid: 40 }, { pid: 41, ppid: 1, pgid: 40, sid: 40 }];
  assert.equal(orphanOf(specs, 41), false);
});

test('a group leader (pgid = pid) adopted by PID 1 is not marked', () => {
  assert.equal(orphanOf([INIT, { pid: 60, ppid: 1, pgid: 60, sid: 40 }], 60), false);
});

test('a kernel thread is not marked, even with a missing group leader and parent 1', () => {
  assert.equal(orphanOf([INIT, { pid: 70, ppid: 1, kernel: true, ...GONE_GROUP }], 70), false);
});

test('a thread row is not marked, even with a missing group leader and parent 1', () => {
  assert.equal(orphanOf([INIT, { pid: 81, tgid: 80, thread: true, ppid: 1, ...GONE_GROUP }], 81), false);
});

test('a thread row does not count as the group leader of a process', () => {
  // Thread 40 of process 39 is not process group 40's leader: 41 is still an orphan.
  const specs: ProcessSpec[] = [INIT, { pid: 40, tgid: 39, thread: true, ppid: 1 }, { pid: 41, ppid: 1, ...GONE_GROUP }];
  assert.equal(orphanOf(specs, 41), true);
});

for (const pgid of [0, -1]) {
  test(`a process with pgid ${pgid} (unknown group) is not marked`, () => {
    assert.equal(orphanOf([INIT, { pid: 90, ppid: 1, pgid, sid: 40 }], 90), false);
  });
}

test('rows that are not marked are returned as the same objects, in the same order', () => {
  const input = [INIT, { pid: 40, ppid: 1 }, { pid: 100, ppid: 1 }, { pid: 102, ppid: 100, pgid: 101, sid: 100 }].map(makeProcess);
  const output = markOrphans(input);
  assert.equal(output.length, input.length);
  output.forEach((p, i) => assert.equal(p, input[i], `pid ${p.pid} is the input object`));
});

test('a marked row is a new object equal to the input but for orphan; the input row is left unchanged', () => {
  const input: ProcessInfo[] = [INIT, { pid: 41, ppid: 1, ...GONE_GROUP }].map(makeProcess);
  const [init, orphan] = markOrphans(input);
  assert.equal(init, input[0]);
  assert.notEqual(orphan, input[1]);
  assert.deepEqual(orphan, { ...input[1], orphan: true });
  assert.equal(input[1]?.orphan, false);
});
