import { test } from 'node:test';
import assert from 'node:assert/strict';
import { zombieGroups } from '../../../src/view/zombies';
import { makeProcess, ProcessSpec } from '../../helpers/process-fixture';

const procs = (specs: readonly ProcessSpec[]): ReturnType<typeof makeProcess>[] => specs.map(makeProcess);

test('zombies are grouped under their parent, ordered by pid', () => {
  const groups = zombieGroups(procs([{ pid: 10 }, { pid: 13, ppid: 10, state: 'Z' }, { pid: 11, ppid: 10, state: 'Z' }, { pid: 12, ppid: 10 }]));
  assert.equal(groups.length, 1);
  assert.equal(groups[0]?.parentPid, 10);
  assert.equal(groups[0]?.parent?.pid, 10);
  assert.deepEqual(groups[0]?.zombies.map((z) => z.pid), [11, 13]);
});

test('the parent with most zombies comes first, then the one with the oldest zombie', () => {
  const groups = zombieGroups(procs([
    { pid: 10 }, { pid: 20 }, { pid: 30 },
    { pid: 31, ppid: 30, state: 'Z', stateSince: 500 },
    { pid: 21, ppid: 20, state: 'Z', stateSince: 100 }, { pid: 22, ppid: 20, state: 'Z', stateSince: 900 },
    { pid: 11, ppid: 10, state: 'Z', stateSince: 50 },
  ]));
  assert.deepEqual(groups.map((g) => g.parentPid), [20, 10, 30]);
  assert.equal(groups[0]?.oldestSince, 100);
});

test('a zombie whose parent is not in the snapshot has an undefined parent', () => {
  const groups = zombieGroups(procs([{ pid: 5, ppid: 4, state: 'Z' }]));
  assert.equal(groups[0]?.parentPid, 4);
  assert.equal(groups[0]?.parent, undefined);
});

test('thread rows are neither zombies nor parents', () => {
  const groups = zombieGroups(procs([{ pid: 7, tgid: 6, thread: true, state: 'Z' }]));
  assert.deepEqual(groups, []);
});

test('20,000 zombies under one parent are grouped in linear time', () => {
  const zombie = makeProcess({ pid: 100, ppid: 1, state: 'Z' });
  const all = [makeProcess({ pid: 1 })];
  for (let i = 0; i < 20_000; i++) all.push({ ...zombie, pid: 100 + i, startTicks: i });
  const started = Date.now();
  assert.equal(zombieGroups(all)[0]?.zombies.length, 20_000);
  const ms = Date.now() - started;
  // Copying the group's list per zombie took ~2 s at 10,000 and minutes at 30,000.
  assert.ok(ms < 3000, `${ms} ms`);
});

test('160,000 zombies under one parent do not overflow the stack (no Math.min spread)', () => {
  const n = 160_000;
  const zombie = makeProcess({ pid: 100, ppid: 1, state: 'Z' });
  const all = [makeProcess({ pid: 1 })];
  for (let i = 0; i < n; i++) all.push({ ...zombie, pid: 100 + i, startTicks: i, stateSince: 1_000_000 - i });
  const started = Date.now();
  const groups = zombieGroups(all);
  const ms = Date.now() - started;
  assert.equal(groups[0]?.zombies.length, n);
  assert.equal(groups[0]?.oldestSince, 1_000_000 - n + 1);
  assert.ok(ms < 3000, `${ms} ms`);
});
