/**
 * The monitor loop stepping through time on fakes: a live FakeSource wrapped in the real
 * RewindSource and FrameRing, a clock that moves only when told, a painter that keeps frames.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runLoop } from '../../../src/loop/monitor-loop';
import { FrameRing } from '../../../src/history/frame-ring';
import { RewindSource } from '../../../src/history/rewind-source';
import { Snapshot } from '../../../src/model/snapshot';
import { lineText } from '../../../src/view/view-model';
import { FakeActions, FakeClock, FakeExitHooks, FakeSource, FakeTerminal } from '../../helpers/loop-fakes';
import { makeSnapshot, makeUiState } from '../../helpers/process-fixture';

const T0 = 1_700_000_100_000;

/** Frame n, 1 s apart: pid 500 ("doomed") exists in frames 0..2 only. */
function frame(n: number): Snapshot {
  const doomed = n <= 2 ? [{ pid: 500, name: 'doomed', command: 'doomed --work' }] : [];
  return makeSnapshot([{ pid: 1, command: '/sbin/init' }, { pid: 20, command: 'steady' }, ...doomed], { time: T0 + n * 1000 });
}

async function rig(frames: number) {
  const term = new FakeTerminal();
  const clock = new FakeClock(T0);
  const live = new FakeSource();
  const source = new RewindSource(live, new FrameRing({ maxAgeMs: 600_000, maxBytes: 1024 ** 3 }, 100));
  live.push(frame(0));
  const first = (await source.sample()) as Snapshot;
  const actions = new FakeActions();
  const done = runLoop({
    source, first, openTerminal: term.open, clock, exitHooks: new FakeExitHooks().install, errorOut: () => undefined,
    selfPid: 99_999, actions, selfCost: () => ({ cpu: undefined, rss: undefined }), hostname: 'fake-host',
    settingsChanged: () => undefined, configPath: undefined, maxIterations: undefined, initial: makeUiState({ delay: 10, sortKey: 'pid', descending: false }),
  });
  for (let n = 1; n < frames; n++) {
    live.push(frame(n));
    await clock.advance(1000);
  }
  return { term, clock, live, source, actions, done };
}

const pids = (term: FakeTerminal): number[] => term.rows().map((r) => Number(r.trim().replace(/^[x*]\s*/, '').split(/\s+/)[0]));
const header = (term: FakeTerminal): string => term.last.header.map(lineText).join('\n');

test('{ steps back to a frame where an exited process still shows, PAUSED with its time; } and L come back to live', async () => {
  const { term, source, done } = await rig(6);
  assert.deepEqual(pids(term), [1, 20], 'live: pid 500 has exited');
  assert.doesNotMatch(header(term), /PAUSED/);
  term.keys('{', '{', '{');
  assert.deepEqual(pids(term), [1, 20, 500], 'three frames back (frame 2) pid 500 is there');
  assert.match(header(term), /PAUSED at \d\d:\d\d:\d\d \(−\ds\)/);
  assert.match(header(term), /frame 3 of 6/);
  assert.equal(source.live, false);
  term.keys('}');
  assert.deepEqual(pids(term), [1, 20]);
  term.keys('(');
  assert.match(header(term), /frame 1 of 6/, 'a minute back from frame 4 clamps to the oldest');
  assert.match(term.status(), /oldest frame in memory/);
  term.keys('L');
  assert.doesNotMatch(header(term), /PAUSED/);
  assert.equal(source.live, true);
  assert.match(term.status(), /Live again/);
  term.keys('q');
  assert.equal(await done, 0);
});

test('the past keeps filling while paused: going live shows frames taken meanwhile', async () => {
  const { term, clock, live, done } = await rig(3);
  term.keys('{');
  live.push(makeSnapshot([{ pid: 1 }, { pid: 777, name: 'newcomer' }], { time: T0 + 3000 }));
  await clock.advance(1000);
  assert.deepEqual(pids(term), [1, 20, 500], 'the screen stays on the past frame');
  assert.match(header(term), /frame 2 of 4/);
  term.keys('L');
  assert.deepEqual(pids(term), [1, 777]);
  term.keys('q');
  assert.equal(await done, 0);
});

test('@ goes to a typed time with the --at parser; a bad time keeps the prompt and says what it takes', async () => {
  const { term, clock, done } = await rig(6);
  term.keys('@', '-', '4', 's', 'enter');
  // Now is T0 + 5 s on the fake clock: -4s is frame 1.
  assert.equal(clock.now(), T0 + 5000);
  assert.match(header(term), /frame 2 of 6/);
  term.keys('@', 'x', 'enter');
  assert.match(term.status(), /Go to: cannot read "x"; expected HH:MM/);
  term.keys('escape', 'q');
  assert.equal(await done, 0);
});

test('a signal asked in the past asks to return to live; a process that has exited since is not signalled', async () => {
  const { term, actions, done } = await rig(6);
  term.keys('{', '{', '{', 'end');
  assert.match(term.rows().at(-1) ?? '', /doomed/);
  term.keys('k');
  assert.equal(term.last.dialog?.title, 'Return to live?');
  term.keys('y');
  assert.match(term.status(), /Back to live: PID 500 from the past has exited since/);
  assert.doesNotMatch(header(term), /PAUSED/);
  assert.equal(term.last.dialog, undefined, 'no signal menu opened');
  assert.deepEqual(actions.performed, []);
  term.keys('q');
  assert.equal(await done, 0);
});

test('a signal asked in the past for a process still alive opens the signal menu on it after going live', async () => {
  const { term, actions, done } = await rig(6);
  term.keys('{', '{', 'home', 'down');
  term.keys('F9'.toLowerCase());
  term.keys('n');
  assert.match(header(term), /PAUSED/, 'n stays in the past');
  assert.deepEqual(actions.performed, []);
  term.keys('k', 'enter');
  assert.doesNotMatch(header(term), /PAUSED/);
  assert.equal(term.last.dialog?.title, 'Send signal');
  assert.match(term.last.dialog?.lines.map(lineText).join('\n') ?? '', /To \(PID 20\)/);
  term.keys('escape', 'q');
  assert.equal(await done, 0);
});

test('renice and strace in the past ask first too: nothing reaches the actions', async () => {
  const { term, actions, done } = await rig(4);
  term.keys('{', ']');
  assert.equal(term.last.dialog?.title, 'Return to live?');
  term.keys('escape', 's');
  assert.equal(term.last.dialog?.title, 'Return to live?');
  term.keys('escape');
  assert.deepEqual(actions.performed, []);
  assert.deepEqual(actions.handOffs, []);
  term.keys('q');
  assert.equal(await done, 0);
});

test('the details panel in the past shows what the frame recorded; stepping follows the frame; live reads /proc again', async () => {
  const { term, actions, done } = await rig(6);
  term.keys('{', '{', '{', 'end', 'enter');
  const text = (): string => [term.last.dialog?.title ?? '', ...(term.last.dialog?.lines.map(lineText) ?? [])].join('\n');
  assert.match(text(), /PID 500 doomed/);
  assert.match(text(), /Recorded in the frame of/);
  assert.match(text(), /doomed --work/);
  assert.match(text(), /state: S \(sleeping\)/);
  assert.match(text(), /Not recorded \(read from \/proc live only\): .*open files/);
  assert.deepEqual(actions.detailsRead, [], 'nothing read from /proc for a past frame');
  term.keys('}');
  assert.match(text(), /PID 500 is not in the frame of/, 'frame 3: pid 500 had exited');
  term.keys('L');
  assert.match(text(), /The process is gone/, 'live: the panel reads /proc (the fake has nothing)');
  assert.deepEqual(actions.detailsRead, [500]);
  term.keys('escape', 'q');
  assert.equal(await done, 0);
});
