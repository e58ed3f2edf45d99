import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Snapshot } from '../../../src/model/snapshot';
import { renderJson } from '../../../src/output/json';
import { makeSnapshot, ProcessSpec } from '../../helpers/process-fixture';

type Json = Record<string, unknown>;

const NOW = makeSnapshot([]).time;

function parse(snapshot: Snapshot, stuckAfterMs?: number, processes = snapshot.processes): Json {
  return JSON.parse(renderJson(snapshot, processes, stuckAfterMs)) as Json;
}

function processOf(doc: Json, pid: number): Json {
  const p = (doc.processes as Json[]).find((x) => x.pid === pid);
  if (!p) assert.fail(`no process ${pid} in the JSON`);
  return p;
}

/** The three per-process fields this file checks. */
const stuckFields = (p: Json): Json => ({ stuck: p.stuck, stateAge: p.stateAge, wchan: p.wchan });

// zombieGroups

const ZOMBIES: readonly ProcessSpec[] = [
  { pid: 1 },
  { pid: 10, ppid: 1 },
  { pid: 11, ppid: 10, state: 'Z' },
  { pid: 12, ppid: 10 },
  { pid: 13, ppid: 10, state: 'Z' },
  { pid: 20, ppid: 1 },
  { pid: 21, ppid: 20, state: 'Z' },
  { pid: 31, ppid: 30, state: 'Z' },
];

test('JSON zombieGroups maps each parent pid to the pids of its zombie children', () => {
  assert.deepEqual(parse(makeSnapshot(ZOMBIES)).zombieGroups, { 10: [11, 13], 20: [21], 30: [31] });
});

test('JSON zombieGroups is empty when there are no zombies', () => {
  assert.deepEqual(parse(makeSnapshot([{ pid: 1 }, { pid: 2, ppid: 1 }])).zombieGroups, {});
});

test('JSON zombieGroups leaves out zombie thread rows', () => {
  const snapshot = makeSnapshot([{ pid: 10 }, { pid: 11, ppid: 10, state: 'Z' }, { pid: 12, tgid: 10, ppid: 10, thread: true, state: 'Z' }]);
  assert.deepEqual(parse(snapshot).zombieGroups, { 10: [11] });
});

test('JSON zombieGroups covers the whole scan even when only some processes are printed', () => {
  const snapshot = makeSnapshot(ZOMBIES);
  const doc = parse(snapshot, undefined, snapshot.processes.filter((p) => p.pid === 1));
  assert.equal((doc.processes as Json[]).length, 1);
  assert.deepEqual(doc.zombieGroups, { 10: [11, 13], 20: [21], 30: [31] });
});

// stuck, stateAge, wchan

const STATES: readonly ProcessSpec[] = [
  { pid: 100, state: 'D', stateSince: NOW - 12_500, wchan: 'nfs_wait_bit_killable' },
  { pid: 101, state: 'R', stateSince: NOW - 42_340 },
  { pid: 102, state: 'D', stateSince: NOW - 2_000, wchan: 'io_schedule' },
  { pid: 103, state: 'D', stateSince: NOW - 5_000, wchan: 'io_schedule' },
];

test('JSON of a D-state process past the stuck threshold: stuck, its seconds in D, its wchan', () => {
  assert.deepEqual(stuckFields(processOf(parse(makeSnapshot(STATES), 5000), 100)), { stuck: true, stateAge: 12.5, wchan: 'nfs_wait_bit_killable' });
});

test('JSON of a running process: not stuck, its seconds in R to a tenth, wchan null', () => {
  assert.deepEqual(stuckFields(processOf(parse(makeSnapshot(STATES), 5000), 101)), { stuck: false, stateAge: 42.3, wchan: null });
});

test('JSON of a D-state process not yet past the threshold is not stuck but keeps its wchan', () => {
  assert.deepEqual(stuckFields(processOf(parse(makeSnapshot(STATES), 5000), 102)), { stuck: false, stateAge: 2, wchan: 'io_schedule' });
});

test('JSON stuck needs longer than the threshold: exactly the threshold is not stuck', () => {
  assert.equal(processOf(parse(makeSnapshot(STATES), 5000), 103).stuck, false);
  assert.equal(processOf(parse(makeSnapshot(STATES), 4999), 103).stuck, true);
});

test('JSON stuck follows the threshold given (--stuck-after), 5 s by default', () => {
  const snapshot = makeSnapshot(STATES);
  assert.equal(processOf(parse(snapshot, 20_000), 100).stuck, false);
  assert.equal(processOf(parse(snapshot), 100).stuck, true);
  assert.equal(processOf(parse(snapshot), 102).stuck, false);
});

test('JSON stateAge is measured from the snapshot time and is never negative', () => {
  const snapshot = makeSnapshot([{ pid: 5, stateSince: 2_000_000 }, { pid: 6, stateSince: 2_000_000 + 9_000 }], { time: 2_000_000 + 7_000 });
  const doc = parse(snapshot);
  assert.deepEqual([processOf(doc, 5).stateAge, processOf(doc, 6).stateAge], [7, 0]);
});
