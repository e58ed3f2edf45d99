import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Recorder, REPORT_EVERY_MS } from '../../../src/history/recorder';
import type { AppendOutcome } from '../../../src/history/store-writer';
import { makeSnapshot } from '../../helpers/process-fixture';

function enospc(): NodeJS.ErrnoException {
  return Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
}

/** A recorder over a writer that fails while `full` is true, with a clock the test moves. */
function setup() {
  const state = { full: false, now: 0, pending: 0, appended: 0 };
  const lines: string[] = [];
  const writer = {
    append: (): AppendOutcome => {
      state.appended++;
      state.pending = state.full ? state.pending + 1 : 0;
      return { error: state.full ? enospc() : undefined, pendingFrames: state.pending, droppedFrames: 0 };
    },
    flush: () => (state.full ? enospc() : undefined),
    close: () => undefined,
    get pendingFrames() {
      return state.pending;
    },
  };
  const recorder = new Recorder({ sample: () => makeSnapshot([{ pid: 1 }]), writer, dir: '/store', intervalMs: 10_000, now: () => state.now, report: (l) => lines.push(l) });
  return { state, lines, recorder };
}

test('a full disk is reported once an hour while sampling goes on', () => {
  const { state, lines, recorder } = setup();
  state.full = true;
  for (let i = 0; i < 360; i++, state.now += 10_000) recorder.tick();
  assert.equal(state.appended, 360, 'every tick still samples');
  assert.equal(lines.length, 1);
  assert.match(lines[0], /cannot write to \/store: ENOSPC .*sampling on into memory/);
  state.now = REPORT_EVERY_MS + 10_000;
  recorder.tick();
  assert.equal(lines.length, 2, 'reported again after an hour');
});

test('writing again is said once, and a later failure is reported at once', () => {
  const { state, lines, recorder } = setup();
  state.full = true;
  recorder.tick();
  state.full = false;
  state.now += 10_000;
  recorder.tick();
  recorder.tick();
  assert.equal(lines.length, 2);
  assert.match(lines[1], /writing to \/store again/);
  state.full = true;
  recorder.tick();
  assert.equal(lines.length, 3);
});

test('nothing is printed while writes succeed', () => {
  const { state, lines, recorder } = setup();
  for (let i = 0; i < 10; i++, state.now += 10_000) recorder.tick();
  assert.deepEqual(lines, []);
});

test('run takes a frame at once and stops when asked, after the frame it is taking', async () => {
  const { state, recorder } = setup();
  let stop!: () => void;
  const stopped = new Promise<void>((resolve) => (stop = resolve));
  const running = recorder.run(stopped);
  assert.equal(state.appended, 1);
  stop();
  await running;
  assert.equal(state.appended, 1);
});
