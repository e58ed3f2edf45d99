/**
 * The parts of `npm run bench:history` that run in a process of their own
 * (so their memory and CPU are theirs alone), each printing one JSON line:
 *
 *   node dist/bench/history-child.js gen DIR HOURS INTERVAL_S SNAPSHOTS
 *     a store of HOURS at INTERVAL_S through the real StoreWriter with
 *     `record`'s settings and a fake clock: SNAPSHOTS real snapshots of the
 *     host (the bench's population) taken first, then written in turn with
 *     the fake times, so segments rotate hourly as `record`'s do;
 *   node --expose-gc dist/bench/history-child.js ring FRAMES on|off
 *     FRAMES real scans taken back to back; with `on` each goes into a
 *     FrameRing (10 min, 32 MiB, as the TUI's) with times 1 s apart; RSS and
 *     heap after a full GC, the same with `off`.
 */
import * as os from 'node:os';
import { recordWriterOptions } from '../src/cli/record';
import { DEFAULT_REWIND_MS, FrameRing, REWIND_MAX_BYTES } from '../src/history/frame-ring';
import { StoreWriter } from '../src/history/store-writer';
import type { Snapshot } from '../src/model/snapshot';
import { CLOCK_TICKS } from '../src/procfs/clock';
import { Sampler } from '../src/sampler/sampler';
import { statusKb } from './population';
import { cpuMs, msSince, stats, Stats } from './stats';

export interface GenResult {
  readonly frames: number;
  readonly processes: number;
  readonly first: number;
  readonly last: number;
  /** CPU ms per frame of StoreWriter.append (encode + compress + write). */
  readonly appendCpu: Stats;
  readonly wallS: number;
}

export interface RingResult {
  readonly frames: number;
  readonly ring: boolean;
  readonly processes: number;
  readonly ringFrames: number;
  readonly ringBytes: number;
  readonly ringPayloadBytes: number;
  /** CPU ms of one ring push (encode + deflate 1). */
  readonly pushCpu: Stats | undefined;
  readonly rssKb: number | undefined;
  readonly hwmKb: number | undefined;
  readonly heapUsed: number;
  readonly external: number;
  readonly arrayBuffers: number;
}

function sampler(cgroups: boolean): Sampler {
  const s = new Sampler({ root: '/proc', passwdPath: '/etc/passwd', threads: false, now: Date.now });
  s.setCgroups(cgroups);
  return s;
}

function gen(dir: string, hours: number, intervalS: number, count: number): GenResult {
  const t0 = process.hrtime.bigint();
  // As `record` samples: cgroups on.
  const live = sampler(true);
  const real: Snapshot[] = [];
  for (let i = 0; i < count; i++) real.push(live.sample());
  const frames = Math.max(1, Math.round((hours * 3600) / intervalS));
  const first = Math.floor((Date.now() - hours * 3_600_000) / 1000) * 1000;
  let now = first;
  const identity = { host: os.hostname(), bootId: live.reader.readBootId() ?? 'unknown', writer: 'proctop', clockTicks: CLOCK_TICKS };
  const writer = new StoreWriter(recordWriterOptions({ interval: intervalS, dir, retain: 7 * 86_400_000, maxSize: 256 * 1024 * 1024 }, identity, () => now));
  const cpu: number[] = [];
  for (let i = 0; i < frames; i++) {
    now = first + i * intervalS * 1000;
    const base = real[i % real.length] as Snapshot;
    const c = cpuMs();
    const outcome = writer.append({ ...base, time: now, interval: i === 0 ? undefined : intervalS * 1000 });
    cpu.push(cpuMs() - c);
    if (outcome.error) throw outcome.error;
  }
  writer.close();
  return { frames, processes: (real[0] as Snapshot).processCount, first, last: now, appendCpu: stats(cpu), wallS: msSince(t0) / 1000 };
}

function ring(frames: number, on: boolean): RingResult {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with node --expose-gc');
  // As the TUI samples by default: no cgroups, no threads.
  const live = sampler(false);
  const r = new FrameRing({ maxAgeMs: DEFAULT_REWIND_MS, maxBytes: REWIND_MAX_BYTES }, CLOCK_TICKS);
  const start = Date.now();
  const push: number[] = [];
  let last: Snapshot | undefined;
  for (let i = 0; i < frames; i++) {
    last = live.sample();
    if (!on) continue;
    const c = cpuMs();
    r.push({ ...last, time: start + i * 1000 });
    push.push(cpuMs() - c);
  }
  gc();
  gc();
  const m = process.memoryUsage();
  return {
    frames,
    ring: on,
    processes: last?.processCount ?? 0,
    ringFrames: r.length,
    ringBytes: r.bytes,
    ringPayloadBytes: r.payloadBytes,
    pushCpu: on ? stats(push) : undefined,
    rssKb: statusKb(process.pid, 'VmRSS'),
    hwmKb: statusKb(process.pid, 'VmHWM'),
    heapUsed: m.heapUsed,
    external: m.external,
    arrayBuffers: m.arrayBuffers,
  };
}

function main(argv: readonly string[]): void {
  const [mode, ...rest] = argv;
  const num = (s: string | undefined): number => {
    const n = Number(s);
    if (!Number.isFinite(n) || n <= 0) throw new Error(`bad number ${String(s)}`);
    return n;
  };
  let out: GenResult | RingResult;
  if (mode === 'gen') out = gen(rest[0] as string, num(rest[1]), num(rest[2]), num(rest[3]));
  else if (mode === 'ring') out = ring(num(rest[0]), rest[1] === 'on');
  else throw new Error('usage: history-child.js gen DIR HOURS INTERVAL_S SNAPSHOTS | ring FRAMES on|off');
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

if (require.main === module) main(process.argv.slice(2));
