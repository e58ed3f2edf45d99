/**
 * `--once --replay --at T` reads only the segments that can hold the frame at or before T
 * (seekFrame): the same frame as a search over the whole store, without opening the rest.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import { frameAt, seekFrame, segmentsFor } from '../../../src/cli/replay';
import { segmentName, segmentStart } from '../../../src/history/retention';
import { HistoryReader } from '../../../src/history/store-reader';
import { StoreWriter } from '../../../src/history/store-writer';
import { makeSnapshot } from '../../helpers/process-fixture';

const T0 = 1_700_000_000_000;
const HOUR = 3_600_000;

/**
 * Five hourly segments, a frame every 20 minutes (pid = frame number), each frame timed 2 s before
 * the append that writes it (a scan starts before its append, which may start a segment).
 */
function hourlyStore(t: { after: (fn: () => void) => void }): { dir: string; times: number[] } {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'proctop-seek-segments-'));
  t.after(() => fs.rmSync(base, { recursive: true, force: true }));
  const dir = path.join(base, 'store');
  let now = T0;
  const writer = new StoreWriter({
    dir, identity: { host: 'h', bootId: 'b', writer: 'test', clockTicks: 100 }, now: () => now,
    segmentMaxBytes: 1e9, segmentMaxAgeMs: HOUR, pendingMaxBytes: 1e9, retainMs: 1e12, maxBytes: 1e12,
  });
  const times: number[] = [];
  for (let i = 0; i < 15; i++) {
    now = T0 + i * 20 * 60_000;
    const time = now - 2000;
    times.push(time);
    assert.equal(writer.append(makeSnapshot([{ pid: i + 1 }], { time })).error, undefined);
  }
  writer.close();
  return { dir, times };
}

function sink(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (d: Buffer) => (text += d.toString()));
  return { stream, text: () => text };
}

test('segmentStart reads a segment name back to its start time', () => {
  assert.equal(segmentStart(segmentName(T0 + 123, 0)), T0 + 123);
  assert.equal(segmentStart(segmentName(T0, 2)), T0);
  assert.equal(segmentStart('notes.txt'), undefined);
});

test('segmentsFor picks the last segment started by T (+ slack), and more before it on request', () => {
  const names = [0, 1, 2, 3].map((h) => segmentName(T0 + h * HOUR, 0));
  assert.deepEqual(segmentsFor(names, T0 + 2.5 * HOUR, 0), [names[2]]);
  assert.deepEqual(segmentsFor(names, T0 + 2.5 * HOUR, 1), [names[1], names[2]]);
  assert.deepEqual(segmentsFor(names, T0 + 3 * HOUR - 30_000, 0), [names[3]], 'a segment starting within the slack may hold the frame');
  assert.deepEqual(segmentsFor(names, T0 - HOUR, 0), [names[0]], 'before the store: the first segment');
  assert.deepEqual(segmentsFor(names, undefined, 0), [names[3]], 'no time: the last segment');
});

test('seekFrame finds the same frame as a search over the whole store, at every frame time and between', (t) => {
  const { dir, times } = hourlyStore(t);
  const opened = HistoryReader.open(dir);
  if (!opened.ok) return assert.fail(opened.message);
  t.after(() => opened.store.close());
  assert.equal(opened.store.segments.length, 5);
  const probes = [undefined, T0 - HOUR, ...times.flatMap((x) => [x - 1, x, x + 1, x + 1000]), T0 + 10 * HOUR];
  for (const at of probes) {
    const whole = frameAt(opened.store, at);
    const err = sink();
    const found = seekFrame(dir, at, err.stream);
    if (typeof whole === 'string') {
      assert.equal(found, undefined, `at ${String(at)}`);
      assert.equal(err.text(), `proctop: ${whole}\n`);
    } else {
      assert.equal(found?.snapshot.processes[0]?.pid, whole.snapshot.processes[0]?.pid, `at ${String(at)}`);
      assert.equal(err.text(), '');
    }
  }
});

test('seekFrame does not open the segments it does not need: a damaged old segment says nothing for a late time', (t) => {
  const { dir, times } = hourlyStore(t);
  const names = fs.readdirSync(dir).filter((n) => n.endsWith('.seg')).sort();
  fs.writeFileSync(path.join(dir, names[0] as string), 'not a segment');
  const late = sink();
  assert.equal(seekFrame(dir, times[times.length - 1], late.stream)?.snapshot.processes[0]?.pid, times.length);
  assert.equal(late.text(), '');
  const early = sink();
  assert.equal(seekFrame(dir, times[1], early.stream), undefined, 'the frame was in the damaged segment');
  assert.match(early.text(), /segment skipped/);
});
