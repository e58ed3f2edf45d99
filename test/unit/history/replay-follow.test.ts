/**
 * A replay of a store a recorder is still writing: at the newest frame (opened without --at, or
 * after L) each refresh shows the frames written since; a step back stops following; the store
 * is reopened only when its mark (segment names, newest size) changed.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { HistoryReader } from '../../../src/history/store-reader';
import { StoreWriter } from '../../../src/history/store-writer';
import { ReplaySource } from '../../../src/history/replay-source';
import { runLoop } from '../../../src/loop/monitor-loop';
import { lineText } from '../../../src/view/view-model';
import { replayActions } from '../../../src/loop/replay-actions';
import { makeSnapshot, makeUiState } from '../../helpers/process-fixture';
import { FakeClock, FakeExitHooks, FakeTerminal } from '../../helpers/loop-fakes';

const T0 = 1_700_000_000_000;
const dirs: string[] = [];
after(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

/** A store in a fresh directory and a writer to grow it; frame n is at T0 + n s and holds pid 100 + n. */
function store(): { dir: string; write: (n: number) => void; close: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'proctop-follow-'));
  dirs.push(dir);
  let now = T0;
  const writer = new StoreWriter({
    dir, identity: { host: 'h', bootId: 'b', writer: 'test', clockTicks: 100 }, now: () => now,
    segmentMaxBytes: 1e9, segmentMaxAgeMs: 1e9, pendingMaxBytes: 1e9, retainMs: 1e12, maxBytes: 1e12,
  });
  const write = (n: number): void => {
    now = T0 + n * 1000;
    const outcome = writer.append(makeSnapshot([{ pid: 1 }, { pid: 100 + n, name: `gen${n}`, command: `gen${n} --work` }], { time: now }));
    assert.equal(outcome.error, undefined);
  };
  return { dir, write, close: () => writer.close() };
}

function open(dir: string, at: number | undefined, reopen = (d: string): ReturnType<typeof HistoryReader.open> => HistoryReader.open(d)): ReplaySource {
  const opened = HistoryReader.open(dir);
  assert.ok(opened.ok);
  const replay = ReplaySource.open(opened.store, at, reopen);
  assert.ok(typeof replay !== 'string', String(replay));
  return replay.source;
}

const pidsOf = (s: { processes: readonly { pid: number }[] } | undefined): number[] | undefined => s?.processes.map((p) => p.pid);

test('opened at the newest frame, a replay shows each frame the recorder writes; a step back stops following and L resumes', async () => {
  const s = store();
  for (let n = 0; n < 3; n++) s.write(n);
  let reopened = 0;
  const source = open(s.dir, undefined, (d) => { reopened++; return HistoryReader.open(d); });
  assert.equal(source.travel.timeline().atLive, true, 'following');
  assert.equal(await source.sample(), undefined, 'nothing written: nothing newer');
  assert.equal(reopened, 0, 'an unchanged store is not reopened');

  s.write(3);
  assert.deepEqual(pidsOf(await source.sample()), [1, 103]);
  assert.equal(reopened, 1);
  assert.deepEqual([source.travel.timeline().index, source.travel.timeline().count], [3, 4]);
  s.write(4);
  s.write(5);
  assert.deepEqual(pidsOf(await source.sample()), [1, 105], 'two frames written: the newest shows');

  const back = source.travel.travel({ kind: 'step', frames: -1 });
  assert.ok(typeof back !== 'string');
  assert.deepEqual(pidsOf(back.snapshot), [1, 104]);
  assert.equal(source.travel.timeline().atLive, false);
  s.write(6);
  assert.equal(await source.sample(), undefined, 'in the past the screen stays on its frame');
  assert.equal(source.travel.timeline().shown, T0 + 4000);

  const live = source.travel.travel({ kind: 'live' });
  assert.ok(typeof live !== 'string');
  assert.deepEqual(pidsOf(live.snapshot), [1, 106], 'L: the newest frame, written while not following');
  assert.match(live.note ?? '', /newest frame, and new frames show as they are recorded/);
  assert.equal(source.travel.timeline().count, 7);
  s.write(7);
  assert.deepEqual(pidsOf(await source.sample()), [1, 107]);
  s.close();
  source.close();
});

test('opened --at a time, a replay stays on it while the store grows', async () => {
  const s = store();
  for (let n = 0; n < 3; n++) s.write(n);
  const source = open(s.dir, T0 + 1000);
  assert.equal(source.travel.timeline().atLive, false);
  s.write(3);
  assert.equal(await source.sample(), undefined);
  assert.equal(source.travel.timeline().shown, T0 + 1000);
  s.close();
  source.close();
});

test('in the TUI loop a following replay draws new frames on its refresh, with "(following)" in the REPLAY line', async () => {
  const s = store();
  for (let n = 0; n < 2; n++) s.write(n);
  const opened = HistoryReader.open(s.dir);
  assert.ok(opened.ok);
  const replay = ReplaySource.open(opened.store, undefined);
  assert.ok(typeof replay !== 'string');
  const term = new FakeTerminal();
  const clock = new FakeClock(T0 + 10_000);
  const done = runLoop({
    source: replay.source, first: replay.first, openTerminal: term.open, clock, exitHooks: new FakeExitHooks().install, errorOut: () => undefined,
    selfPid: 99_999, actions: replayActions, selfCost: () => ({ cpu: undefined, rss: undefined }), hostname: 'h',
    settingsChanged: () => undefined, configPath: undefined, maxIterations: undefined, initial: makeUiState({ delay: 10, sortKey: 'pid', descending: false }),
  });
  const header = (): string => term.last.header.map(lineText).join('\n');
  const rows = (): string => term.rows().join('\n');
  assert.match(header(), /REPLAY at .* frame 2 of 2 \(following\)/);
  assert.match(rows(), /gen1/);
  s.write(2);
  await clock.advance(1000);
  assert.match(header(), /frame 3 of 3 \(following\)/);
  assert.match(rows(), /gen2/);
  term.keys('{');
  assert.match(header(), /frame 2 of 3,/);
  s.write(3);
  await clock.advance(1000);
  assert.match(header(), /frame 2 of 3,/, 'a step back: the screen stays');
  term.keys('L');
  assert.match(header(), /frame 4 of 4 \(following\)/);
  assert.match(rows(), /gen3/);
  term.keys('q');
  assert.equal(await done, 0);
  s.close();
});
