import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { decodeFrame, currentLayout, encodeFrame, StringTable } from '../../../src/history/frame-codec';
import { PROCESS_FIELDS } from '../../../src/history/fields';
import { decodeStrings, encodeStrings } from '../../../src/history/segment-builder';
import type { Snapshot } from '../../../src/model/snapshot';
import { makeSnapshot, makeSystem } from '../../helpers/process-fixture';

const TICKS = 100;

/** Encodes with a writer table, decodes with a reader table built only from the strings records. */
function roundTrip(snapshots: readonly Snapshot[]): Snapshot[] {
  const writerTable = new StringTable();
  const readerTable = new StringTable();
  return snapshots.map((s) => {
    const frame = encodeFrame(s, writerTable, TICKS);
    for (const [id, text] of decodeStrings(encodeStrings(frame.added))) readerTable.define(id, text);
    return decodeFrame(frame.bytes, currentLayout(TICKS), readerTable);
  });
}

test('a snapshot with every kind of field value comes back equal', () => {
  const s = makeSnapshot([
    { pid: 1, command: '/sbin/init', tty: undefined, uid: undefined, user: undefined, rss: undefined, shared: undefined, cpu: undefined, mem: undefined, exeDeleted: undefined },
    { pid: 70000, ppid: 1, state: 'Z', command: '[defunct]', wchan: 'do_wait', cpu: 12.345678901234, mem: 0.1 + 0.2, cpuTime: 1.23, startTime: 17e11 + 0.5 },
    { pid: 3, ppid: 70000, state: 'D', vsz: 2 ** 52, rss: 0, nice: -20, priority: -100, thread: true, tgid: 70000, kernel: true },
  ], { interval: undefined, system: makeSystem({ forks: 17 }) });
  assert.deepStrictEqual(roundTrip([s]), [s]);
});

test('integers near and past 2^53 come back exactly, whatever the row before held', () => {
  const big = [2 ** 52 - 1, 2 ** 52, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER, 2 ** 60, -0];
  const s = makeSnapshot(big.map((vsz, i) => ({ pid: i + 1, vsz, rss: -vsz })), { system: makeSystem({ forks: Number.MAX_SAFE_INTEGER }), interval: -(2 ** 53) });
  assert.deepStrictEqual(roundTrip([s]), [s]);
});

test('hostile strings come back byte for byte: escapes, bidi controls, U+FFFD, a lone surrogate', () => {
  const s = makeSnapshot([
    { pid: 5, name: 'a) R 1 (b', command: '\x1b]0;pwned\x07\x1b[2J x', user: '\u202etoor' },
    { pid: 6, name: '\ufffd\ufffd', command: 'bad \ud800 half', tty: 'pts/0', nameBytes: '//4=', commandBytes: 'YmFkIP/+' },
  ]);
  assert.deepStrictEqual(roundTrip([s]), [s]);
});

test('a command line is stored once per segment, not once per frame', () => {
  const table = new StringTable();
  const a = makeSnapshot([{ pid: 5, command: 'x'.repeat(4000) }]);
  const b = makeSnapshot([{ pid: 5, command: 'x'.repeat(4000), cpuTicks: 9 }], { time: a.time + 10_000 });
  const first = encodeFrame(a, table, TICKS);
  const second = encodeFrame(b, table, TICKS);
  assert.ok(first.added.some(([, text]) => text.length === 4000));
  assert.deepEqual(second.added, []);
  const text = Buffer.from('x'.repeat(100));
  assert.ok(!first.bytes.includes(text) && !second.bytes.includes(text), 'frames hold the string\'s number, not the string');
});

test('a derived field that differs from its derivation is stored as it is', () => {
  const s = makeSnapshot([{ pid: 9, cpuTicks: 250, cpuTime: 99, rss: 1000, mem: 42, startTime: 5 }]);
  assert.deepStrictEqual(roundTrip([s]), [s]);
});

test('property: any process numbers and strings round-trip exactly', () => {
  const num = fc.oneof(fc.integer({ min: -(2 ** 40), max: 2 ** 40 }), fc.double({ noNaN: false }), fc.constant(undefined));
  fc.assert(
    fc.property(fc.array(fc.record({ pid: fc.integer({ min: 1, max: 4194304 }), command: fc.fullUnicodeString({ maxLength: 40 }), cpu: num, rss: num, cpuTicks: fc.nat() }), { maxLength: 20 }), (specs) => {
      const s = makeSnapshot(specs.map((p) => ({ ...p, rss: p.rss as number | undefined, cpu: p.cpu as number | undefined })));
      assert.deepStrictEqual(roundTrip([s]), [s]);
    }),
    { numRuns: 100 },
  );
});

test('a frame whose bytes were cut short is refused, not half read', () => {
  const table = new StringTable();
  const s = makeSnapshot([{ pid: 1 }, { pid: 2 }]);
  const frame = encodeFrame(s, table, TICKS);
  for (let cut = 0; cut < frame.bytes.length; cut++) {
    assert.throws(() => decodeFrame(frame.bytes.subarray(0, cut), currentLayout(TICKS), table));
  }
});

test('a frame from an older field layout reads with the fields it lacks unknown', () => {
  const table = new StringTable();
  const s = makeSnapshot([{ pid: 1, wchan: 'x', orphan: true }, { pid: 2 }]);
  const { orphan: _dropped, ...olderFields } = PROCESS_FIELDS;
  const layout = currentLayout(TICKS);
  const older = { ...layout, process: layout.process.filter((f) => f.name !== 'orphan') };
  const read = decodeFrame(encodeFrame(s, table, TICKS, olderFields).bytes, older, table);
  assert.deepStrictEqual(read.processes.map((p) => p.orphan), [undefined, undefined]);
  assert.deepStrictEqual(read.processes.map((p) => p.wchan), ['x', undefined]);
  assert.deepStrictEqual({ ...read, processes: [] }, { ...s, processes: [] });
});
