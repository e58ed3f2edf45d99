import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ADOPTION_GRACE_MS, followUpNotSent, followUpText, zombieGroups } from '../../../src/view/zombies';
import { ZombieFollowUp } from '../../../src/view/ui-state';
import { defaultStartTicks, makeProcess, makeSnapshot, ProcessSpec } from '../../helpers/process-fixture';

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

// followUpText: what became of a parent's zombies after a signal to it.

/** Snapshot time of the "after" snapshots below (makeSnapshot's default). */
const AFTER = makeSnapshot([]).time;

/** The follow-up remembered when SIGTERM was sent to PID 10 with zombies 11, 12, 13, `agoMs` before AFTER. */
function followUp(agoMs: number, zombiePids: readonly number[] = [11, 12, 13]): ZombieFollowUp {
  return { parentPid: 10, at: AFTER - agoMs, signal: 15, zombies: zombiePids.map((pid) => ({ pid, startTicks: defaultStartTicks(pid) })) };
}

test('follow-up: when none of the zombies is left, all are reported gone (reaped), without warning', () => {
  const after = makeSnapshot([{ pid: 1 }, { pid: 10, ppid: 1 }]);
  assert.deepEqual(followUpText(followUp(2000), after), { text: 'All 3 zombies of PID 10 are gone (reaped).', warn: false });
});

test('follow-up: a pid reused by a new zombie (other start time) does not count as one of the old zombies', () => {
  const after = makeSnapshot([{ pid: 10, ppid: 1 }, { pid: 11, ppid: 10, state: 'Z', startTicks: 99_999 }]);
  assert.deepEqual(followUpText(followUp(2000, [11]), after), { text: 'The zombie of PID 10 is gone (reaped).', warn: false });
  // (The same pid with its original start time would still be a zombie left.)
  const same = makeSnapshot([{ pid: 10, ppid: 1 }, { pid: 11, ppid: 10, state: 'Z' }]);
  assert.equal(followUpText(followUp(2000, [11]), same).warn, true);
});

test('follow-up: a former zombie pid now alive (not Z) counts as reaped', () => {
  const after = makeSnapshot([{ pid: 10, ppid: 1 }, { pid: 11, ppid: 10, state: 'R' }]);
  assert.equal(followUpText(followUp(2000, [11]), after).text, 'The zombie of PID 10 is gone (reaped).');
});

test('follow-up: zombies still under the same parent are counted, with a warning that it does not reap', () => {
  const after = makeSnapshot([{ pid: 10, ppid: 1 }, { pid: 12, ppid: 10, state: 'Z' }, { pid: 13, ppid: 10, state: 'Z' }]);
  // After SIGCHLD the next step is t; after a SIGTERM the parent survived, it is K (not "try t" again).
  assert.deepEqual(followUpText({ ...followUp(2000), signal: 17 }, after), {
    text: '2 of 3 zombies still under PID 10: it does not reap (try t: SIGTERM the parent).',
    warn: true,
  });
  assert.deepEqual(followUpText(followUp(2000), after), {
    text: '2 of 3 zombies still under PID 10: it does not reap (it survived SIGTERM; K: SIGKILL the parent).',
    warn: true,
  });
});

test('follow-up: t refused with EPERM says SIGTERM was not sent and why, not "try t"', () => {
  const after = makeSnapshot([{ pid: 10, ppid: 1 }, { pid: 11, ppid: 10, state: 'Z' }, { pid: 12, ppid: 10, state: 'Z' }, { pid: 13, ppid: 10, state: 'Z' }]);
  const f = followUpNotSent(followUp(2000), [{ pid: 10, reason: 'permission denied' }]);
  const shown = followUpText(f as ZombieFollowUp, after);
  assert.equal(shown.text, 'SIGTERM was not sent to PID 10 (permission denied): 3 of 3 zombies stay under it.');
  assert.doesNotMatch(shown.text, /try t/);
  // A failure elsewhere (another target) leaves the follow-up as it was.
  assert.deepEqual(followUpNotSent(followUp(2000), [{ pid: 99, reason: 'permission denied' }]), followUp(2000));
});

test('follow-up: zombies adopted by PID 1 that stay Z past the grace period are reported as not reaped, with a warning', () => {
  const after = makeSnapshot([{ pid: 1 }, { pid: 11, ppid: 1, state: 'Z' }, { pid: 12, ppid: 1, state: 'Z' }]);
  const f = followUpText(followUp(ADOPTION_GRACE_MS + 1000), after);
  assert.equal(f.warn, true);
  assert.equal(f.text, '2 zombie(s) were adopted by PID 1, which does not reap them: they stay Z until it calls wait() or exits.');
});

test('follow-up: zombies adopted by a subreaper name that subreaper, not PID 1', () => {
  const after = makeSnapshot([{ pid: 1 }, { pid: 500, ppid: 1 }, { pid: 13, ppid: 500, state: 'Z' }]);
  const f = followUpText(followUp(ADOPTION_GRACE_MS * 2), after);
  assert.equal(f.warn, true);
  assert.match(f.text, /^1 zombie\(s\) were adopted by PID 500, which does not reap them/);
});

test('follow-up: zombies adopted by two new parents name both', () => {
  const after = makeSnapshot([{ pid: 11, ppid: 1, state: 'Z' }, { pid: 12, ppid: 500, state: 'Z' }]);
  assert.match(followUpText(followUp(ADOPTION_GRACE_MS * 2), after).text, /^2 zombie\(s\) were adopted by PID 1, 500,/);
});

test('follow-up: within the grace period an adopting parent is given time to reap, without warning', () => {
  const after = makeSnapshot([{ pid: 1 }, { pid: 11, ppid: 1, state: 'Z' }]);
  assert.deepEqual(followUpText(followUp(ADOPTION_GRACE_MS - 1000), after), {
    text: '1 zombie(s) adopted by PID 1; waiting for it to reap them…',
    warn: false,
  });
});

test('follow-up: when some zombies were adopted and some stayed, the text tells both', () => {
  const f = { parentPid: 10, signal: 15, at: 1000, zombies: [{ pid: 11, startTicks: 1011 }, { pid: 12, startTicks: 1012 }] };
  const after = makeSnapshot([
    { pid: 1, ppid: 0 },
    { pid: 10, ppid: 1 },
    { pid: 11, ppid: 1, state: 'Z' },
    { pid: 12, ppid: 10, state: 'Z' },
  ], { time: 60_000 });
  const { text, warn } = followUpText(f, after);
  assert.match(text, /^1 zombie\(s\) were adopted by PID 1, which does not reap them/);
  assert.match(text, /1 still under PID 10\.$/);
  assert.equal(warn, true);
});

