/**
 * Record a live landscape (zombies, stopped, traced, a deep chain, threads, hostile names with
 * escapes and invalid UTF-8), read it back: every field of every frame equals the snapshot
 * taken at that frame.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { HostileLandscape } from '../helpers/hostile-procs';
import { Sampler } from '../../src/sampler/sampler';
import type { Snapshot } from '../../src/model/snapshot';
import { StoreWriter } from '../../src/history/store-writer';
import { HistoryReader } from '../../src/history/store-reader';
import { CLOCK_TICKS } from '../../src/procfs/clock';
import { ESCAPE_ARGV, HOSTILE_COMM, proc, samplerOptions, spawnLandscape, type LivePids } from './live-landscape';

const land = new HostileLandscape();
let pids: LivePids;
let hostile: number[];
let dir: string;

before(async () => {
  [pids, hostile] = await Promise.all([
    spawnLandscape(land),
    land.family([
      { comm: Buffer.from([0x66, 0xff, 0xfe, 0x1b, 0x5b, 0x32, 0x4a]), argv: [Buffer.from([0xc3, 0x28, 0x0a, 0x9b, 0x31, 0x6d]), Buffer.from('')] },
      { comm: Buffer.from('{red-fg}x'), argv: [Buffer.from('\u202e\u2028 tab\there')] },
    ]),
  ]);
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'proctop-history-'));
});

after(async () => {
  try {
    await land.cleanup();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

function record(threads: boolean, frames: number): { snapshots: Snapshot[]; store: string } {
  const store = path.join(dir, threads ? 'threads' : 'processes');
  const sampler = new Sampler(samplerOptions(threads));
  const writer = new StoreWriter({
    dir: store, identity: { host: os.hostname(), bootId: sampler.reader.readBootId() ?? '?', writer: 'test', clockTicks: CLOCK_TICKS }, now: Date.now,
    segmentMaxBytes: 64 * 1024 * 1024, segmentMaxAgeMs: 3_600_000, pendingMaxBytes: 1e8, retainMs: 1e12, maxBytes: 1e12,
  });
  const snapshots: Snapshot[] = [];
  for (let i = 0; i < frames; i++) {
    const s = sampler.sample();
    snapshots.push(s);
    assert.equal(writer.append(s).error, undefined);
  }
  writer.close();
  return { snapshots, store };
}

/** A snapshot as a store keeps it: `ratesNext` (a first scan's promise to its header) is not stored. */
function asStored(s: Snapshot): Snapshot {
  const { ratesNext, ...kept } = s;
  assert.ok(ratesNext === undefined || s.interval === undefined, 'only a first scan promises rates');
  return kept;
}

function readBack(store: string): { frames: Snapshot[]; warnings: string[] } {
  const opened = HistoryReader.open(store);
  if (!opened.ok) assert.fail(opened.message);
  const frames = opened.store.frames.map((f) => opened.store.read(f) as Snapshot);
  opened.store.close();
  return { frames, warnings: opened.store.warnings };
}

test('a live landscape recorded and read back: every field of every frame equal', () => {
  const { snapshots, store } = record(false, 3);
  const back = readBack(store);
  assert.deepEqual(back.warnings, []);
  assert.deepStrictEqual(back.frames, snapshots.map(asStored));
  const last = back.frames[back.frames.length - 1];
  // The landscape is there, as recorded: not an empty equality.
  for (const z of pids.zombies) assert.equal(proc(last, z).state, 'Z');
  assert.equal(proc(last, pids.stopped).state, 'T');
  if (pids.traced) assert.match(proc(last, pids.traced.tracee).state, /^[St]$/);
  assert.equal(proc(last, pids.argv).command, ESCAPE_ARGV.join(' '));
  assert.equal(proc(last, pids.comm).name, HOSTILE_COMM);
  assert.equal(proc(last, hostile[0]).name, Buffer.from([0x66, 0xff, 0xfe, 0x1b, 0x5b, 0x32, 0x4a]).toString('utf8'));
  assert.equal(proc(last, hostile[1]).command, '\u202e\u2028 tab\there');
  assert.ok(last.system.forks !== undefined && last.system.forks > 0, 'the fork counter is recorded');
});

test('with thread rows: every thread row comes back too', () => {
  const { snapshots, store } = record(true, 2);
  assert.ok(snapshots[1].processes.filter((p) => p.thread && p.tgid === pids.threaded).length >= 19);
  assert.deepStrictEqual(readBack(store).frames, snapshots.map(asStored));
});
