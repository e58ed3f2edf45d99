/**
 * The rewind ring encoding each frame after it is drawn (RewindSource's `later`, setImmediate in the
 * TUI): frames wait, uncoded, until the deferred run or a time key, and the timeline counts them.
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

function frame(n: number): Snapshot {
  const doomed = n <= 2 ? [{ pid: 500, name: 'doomed', command: 'doomed --work' }] : [];
  return makeSnapshot([{ pid: 1, command: '/sbin/init' }, { pid: 20, command: 'steady' }, ...doomed], { time: T0 + n * 1000 });
}

test('frames reach the ring only when the deferred run comes (or a time key), and the timeline counts them meanwhile', async () => {
  const term = new FakeTerminal();
  const clock = new FakeClock(T0);
  const live = new FakeSource();
  const ring = new FrameRing({ maxAgeMs: 600_000, maxBytes: 1024 ** 3 }, 100);
  const queued: (() => void)[] = [];
  const source = new RewindSource(live, ring, (run) => queued.push(run));
  live.push(frame(0));
  const first = (await source.sample()) as Snapshot;
  assert.equal(ring.length, 0, 'the first frame is not encoded before it is drawn');
  assert.equal(queued.length, 1);
  const done = runLoop({
    source, first, openTerminal: term.open, clock, exitHooks: new FakeExitHooks().install, errorOut: () => undefined,
    selfPid: 99_999, actions: new FakeActions(), selfCost: () => ({ cpu: undefined, rss: undefined }), hostname: 'fake-host',
    settingsChanged: () => undefined, configPath: undefined, maxIterations: undefined, initial: makeUiState({ delay: 10, sortKey: 'pid', descending: false }),
  });
  for (let n = 1; n < 4; n++) {
    live.push(frame(n));
    await clock.advance(1000);
  }
  assert.equal(ring.length, 0, 'nothing ran the deferred encoding yet');
  assert.equal(queued.length, 1, 'one run pending covers every frame waiting');
  term.keys('{', '{');
  assert.equal(ring.length, 4, 'a time key encodes what waits first');
  assert.deepEqual(term.rows().map((r) => Number(r.trim().split(/\s+/)[0])), [1, 20, 500], 'two frames back (frame 1) pid 500 is there');
  assert.match(term.last.header.map(lineText).join('\n'), /frame 2 of 4/);
  (queued.shift() as () => void)();
  assert.equal(ring.length, 4, 'the late run finds nothing left');
  term.keys('L');
  live.push(frame(4));
  await clock.advance(1000);
  assert.equal(ring.length, 4);
  (queued.shift() as () => void)();
  assert.equal(ring.length, 5);
  term.keys('q');
  assert.equal(await done, 0);
});

test('a frame taken outside sample() (the first frame read in two steps) joins the ring as the latest', () => {
  const ring = new FrameRing({ maxAgeMs: 600_000, maxBytes: 1024 ** 3 }, 100);
  const source = new RewindSource(new FakeSource(), ring);
  const whole = frame(0);
  assert.equal(source.take(whole), whole, 'following live: the frame to show');
  assert.equal(ring.length, 1);
  assert.equal(ring.timeAt(0), whole.time);
});
