/**
 * Reading a store back: `proctop --once --replay DIR --at T` as a whole
 * cold command (wall, and CPU from this process's reaped-children times),
 * next to `node -e 0` and a live `proctop --once`; the same seek in-process
 * (open the store, binary-search the time, read and decode the frame); and
 * one step to the next frame, as replay does on `}`.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { HistoryReader } from '../src/history/store-reader';
import type { Snapshot } from '../src/model/snapshot';
import { msSince, stats, Stats } from './stats';

const USER_HZ = 100;

/** cutime + cstime of this process (ticks): the CPU of the children it has reaped. */
function childTicks(): number {
  const text = fs.readFileSync('/proc/self/stat', 'latin1');
  const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return Number(f[13]) + Number(f[14]);
}

export interface CommandTiming {
  readonly label: string;
  readonly wall: Stats;
  readonly cpu: Stats;
  /** Lines the last run printed (a check that it printed the frame). */
  readonly lines: number;
  readonly failures: readonly string[];
}

/** Runs `argv` `runs` times, output captured (a pipe, as a script would). */
export function timeCommand(label: string, argv: readonly string[], runs: number, env: NodeJS.ProcessEnv): CommandTiming {
  const wall: number[] = [];
  const cpu: number[] = [];
  const failures: string[] = [];
  let lines = 0;
  for (let i = 0; i < runs; i++) {
    const c0 = childTicks();
    const t0 = process.hrtime.bigint();
    const r = spawnSync(argv[0] as string, argv.slice(1), { env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    wall.push(msSince(t0));
    cpu.push(((childTicks() - c0) * 1000) / USER_HZ);
    lines = (r.stdout ?? '').split('\n').filter(Boolean).length;
    if (r.status !== 0) failures.push(`${label}: exit ${String(r.status)}: ${(r.stderr ?? '').trim().split('\n')[0] ?? ''}`);
  }
  return { label, wall: stats(wall), cpu: stats(cpu), lines, failures };
}

export interface SeekTiming {
  readonly at: number;
  /** HistoryReader.open: every segment's header and index. */
  readonly open: Stats;
  /** Binary search + read + checksum + decompress + decode (the segment's strings loaded first). */
  readonly seekDecode: Stats;
  readonly total: Stats;
  readonly processes: number;
}

/** Open + seek + decode in this process, a new reader each run (the files are in the page cache, as after a first look). */
export function seekInProcess(dir: string, times: readonly number[], runs: number): { per: SeekTiming[]; frames: number; segments: number; warnings: number } {
  const per: SeekTiming[] = [];
  let frames = 0;
  let segments = 0;
  let warnings = 0;
  for (const at of times) {
    const open: number[] = [];
    const seek: number[] = [];
    const total: number[] = [];
    let processes = 0;
    for (let i = 0; i < runs; i++) {
      const t0 = process.hrtime.bigint();
      const opened = HistoryReader.open(dir);
      if (!opened.ok) throw new Error(opened.message);
      const t1 = process.hrtime.bigint();
      const entry = opened.store.frameAtOrBefore(at);
      const snap = entry ? opened.store.read(entry) : undefined;
      const done = msSince(t0);
      open.push(Number(t1 - t0) / 1e6);
      seek.push(done - Number(t1 - t0) / 1e6);
      total.push(done);
      processes = snap?.processCount ?? 0;
      frames = opened.store.frames.length;
      segments = opened.store.segments.length;
      warnings = opened.store.warnings.length;
      opened.store.close();
    }
    per.push({ at, open: stats(open), seekDecode: stats(seek), total: stats(total), processes });
  }
  return { per, frames, segments, warnings };
}

export interface StepTiming {
  /** Read + decode of the next frame, the previous one already shown. */
  readonly decode: Stats;
  readonly steps: number;
  /** Two consecutive decoded frames, for the view measurement. */
  readonly pair: readonly [Snapshot, Snapshot];
}

/** `steps` single steps forward from the middle of the store (a segment's strings already loaded, as after the first frame shown). */
export function stepInProcess(dir: string, steps: number): StepTiming {
  const opened = HistoryReader.open(dir);
  if (!opened.ok) throw new Error(opened.message);
  const store = opened.store;
  const start = Math.max(0, Math.floor(store.frames.length / 2) - Math.floor(steps / 2));
  let previous = store.read(store.frames[start]) as Snapshot;
  let current = previous;
  const decode: number[] = [];
  for (let i = start + 1; i < Math.min(store.frames.length, start + 1 + steps); i++) {
    const t0 = process.hrtime.bigint();
    const next = store.read(store.frames[i]);
    decode.push(msSince(t0));
    if (next) {
      previous = current;
      current = next;
    }
  }
  store.close();
  return { decode: stats(decode), steps: decode.length, pair: [previous, current] };
}
