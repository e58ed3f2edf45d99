import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findColumn, Column } from '../../../src/model/columns';
import { formatStateAge } from '../../../src/model/format';
import { zombieGroups } from '../../../src/view/zombies';
import { makeProcess } from '../../helpers/process-fixture';

const NOW = 1_800_000_000_000;

test('a state age the kernel dated prints plainly; a lower bound prints with ≥', () => {
  assert.equal(formatStateAge(180_000, false), '3m00s');
  assert.equal(formatStateAge(38_000, true), '≥38s');
});

test('the STATE-AGE cell marks a lower bound', () => {
  const column = findColumn('stateage') as Column;
  const ctx = { now: NOW, tzOffset: 0 };
  assert.equal(column.format(makeProcess({ pid: 5, stateSince: NOW - 38_000, stateSinceLowerBound: true }), ctx), '≥38s');
  assert.equal(column.format(makeProcess({ pid: 5, stateSince: NOW - 180_000 }), ctx), '3m00s');
});

test('the zombie view’s OLDEST is the oldest zombie’s age, a lower bound only when that zombie’s is', () => {
  const parent = makeProcess({ pid: 10, ppid: 1 });
  const exact = zombieGroups([parent, makeProcess({ pid: 11, ppid: 10, state: 'Z', stateSince: NOW - 180_000 }), makeProcess({ pid: 12, ppid: 10, state: 'Z', stateSince: NOW - 1000, stateSinceLowerBound: true })]);
  assert.deepEqual([exact[0]?.oldestSince, exact[0]?.oldestLowerBound], [NOW - 180_000, false]);
  const bound = zombieGroups([parent, makeProcess({ pid: 11, ppid: 10, state: 'Z', stateSince: NOW - 38_000, stateSinceLowerBound: true })]);
  assert.deepEqual([bound[0]?.oldestSince, bound[0]?.oldestLowerBound], [NOW - 38_000, true]);
});
