/**
 * A store damaged the ways crashes and bad disks damage files: cut anywhere
 * in its last frame, a flipped byte in the middle, a lost or damaged index.
 * Each costs what it hit and nothing else, with a warning.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { HistoryReader } from '../../../src/history/store-reader';
import { StoreWriter } from '../../../src/history/store-writer';
import { INDEX_ENTRY_BYTES, RecordKind } from '../../../src/history/segment-format';
import type { Snapshot } from '../../../src/model/snapshot';
import { makeSnapshot, makeSystem } from '../../helpers/process-fixture';

const FRAMES = 6;

function snapshots(): Snapshot[] {
  return Array.from({ length: FRAMES }, (_, i) =>
    makeSnapshot(
      [{ pid: 1, command: '/sbin/init' }, { pid: 40 + i, ppid: 1, command: `worker --n ${i}`, cpuTicks: i * 7, cpu: i * 1.5 }, { pid: 99, state: 'Z', ppid: 1 }],
      { time: 1_700_000_100_000 + i * 10_000, system: makeSystem({ forks: i }) },
    ));
}

/** A store of FRAMES frames in a fresh directory; returns its dir and segment/index paths. */
function writeStore(t: { after: (fn: () => void) => void }): { dir: string; seg: string; idx: string; frames: Snapshot[] } {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'proctop-crash-'));
  t.after(() => fs.rmSync(base, { recursive: true, force: true }));
  const dir = path.join(base, 'store');
  const frames = snapshots();
  const writer = new StoreWriter({
    dir, identity: { host: 'h', bootId: 'b', writer: 'test', clockTicks: 100 }, now: () => 1_700_000_100_000,
    segmentMaxBytes: 1e9, segmentMaxAgeMs: 1e9, pendingMaxBytes: 1e9, retainMs: 1e12, maxBytes: 1e12,
  });
  for (const s of frames) assert.equal(writer.append(s).error, undefined);
  writer.close();
  const seg = fs.readdirSync(dir).find((n) => n.endsWith('.seg')) as string;
  return { dir, seg: path.join(dir, seg), idx: path.join(dir, seg.replace(/\.seg$/, '.idx')), frames };
}

function readAll(dir: string): { frames: (Snapshot | undefined)[]; warnings: string[] } {
  const opened = HistoryReader.open(dir);
  if (!opened.ok) assert.fail(opened.message);
  const frames = opened.store.frames.map((f) => opened.store.read(f));
  opened.store.close();
  return { frames, warnings: opened.store.warnings };
}

/** Frame records as the index lists them. */
function frameRecords(idx: string): { offset: number; length: number; kind: number }[] {
  const bytes = fs.readFileSync(idx);
  const out = [];
  for (let at = 0; at < bytes.length; at += INDEX_ENTRY_BYTES) {
    out.push({ offset: bytes.readDoubleLE(at + 8), length: bytes.readUInt32LE(at + 16), kind: bytes.readUInt8(at + 20) });
  }
  return out;
}

test('the store reads back every frame equal to what was written', (t) => {
  const { dir, frames } = writeStore(t);
  assert.deepStrictEqual(readAll(dir), { frames, warnings: [] });
});

test('cut at every byte of the last frame: every complete frame reads back, with or without its index entry', (t) => {
  const { dir, seg, idx, frames } = writeStore(t);
  const records = frameRecords(idx);
  const last = records[records.length - 1];
  assert.equal(last.kind, RecordKind.Frame);
  const whole = fs.readFileSync(seg);
  const index = fs.readFileSync(idx);
  assert.equal(last.offset + last.length, whole.length, 'the last record ends the segment');
  for (const keepIndex of [true, false]) {
    for (let cut = last.offset; cut < whole.length; cut++) {
      fs.writeFileSync(seg, whole.subarray(0, cut));
      // A crash between the frame and its index entry leaves the index one entry short.
      fs.writeFileSync(idx, keepIndex ? index : index.subarray(0, index.length - INDEX_ENTRY_BYTES));
      const read = readAll(dir);
      assert.deepStrictEqual(read.frames, frames.slice(0, -1), `cut at ${cut}, index ${keepIndex ? 'whole' : 'short'}`);
      if (cut > last.offset) assert.match(read.warnings.join('\n'), /incomplete record at the end/, `cut at ${cut}`);
    }
  }
});

test('a flipped byte in the middle of a segment costs exactly that frame, with a warning', (t) => {
  const { dir, seg, idx, frames } = writeStore(t);
  const frameRecs = frameRecords(idx).filter((r) => r.kind === RecordKind.Frame);
  const victim = Math.floor(frameRecs.length / 2);
  const whole = fs.readFileSync(seg);
  const index = fs.readFileSync(idx);
  const r = frameRecs[victim];
  // A byte in the payload, one in the length field, one in the magic: each is caught.
  for (const at of [r.offset + Math.floor(r.length / 2), r.offset + 9, r.offset + 1]) {
    for (const withIndex of [true, false]) {
      const damaged = Buffer.from(whole);
      damaged[at] ^= 0x20;
      fs.writeFileSync(seg, damaged);
      if (withIndex) fs.writeFileSync(idx, index);
      else fs.rmSync(idx);
      const read = readAll(dir);
      const expected = frames.filter((_, i) => i !== victim);
      assert.deepStrictEqual(read.frames.filter((f) => f !== undefined), expected, `byte ${at}, index ${withIndex}`);
      assert.ok(read.warnings.length > 0, `a warning for byte ${at}`);
    }
  }
});

test('a flipped byte in one copy of a strings record costs nothing', (t) => {
  const { dir, seg, idx, frames } = writeStore(t);
  const strings = frameRecords(idx).filter((r) => r.kind === RecordKind.Strings);
  const whole = fs.readFileSync(seg);
  whole[strings[0].offset + Math.floor(strings[0].length / 2)] ^= 0xff;
  fs.writeFileSync(seg, whole);
  assert.deepStrictEqual(readAll(dir).frames, frames);
});

test('a damaged index entry is worked around by scanning that stretch of the segment', (t) => {
  const { dir, idx, frames } = writeStore(t);
  const index = fs.readFileSync(idx);
  index[INDEX_ENTRY_BYTES * 3 + 5] ^= 0xff;
  fs.writeFileSync(idx, index);
  const read = readAll(dir);
  assert.deepStrictEqual(read.frames, frames);
});
