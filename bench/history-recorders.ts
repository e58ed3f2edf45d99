/**
 * `proctop record` and `atop -w FILE INTERVAL` side by side on the same
 * population, at the same interval, over the same window: each one's CPU
 * (utime + stime, plus its reaped children's, from /proc/PID/stat) and
 * bytes written, counted over whole samples. A sample is seen as the
 * store (or atop's file) growing; the window runs from a sample after the
 * first (start-up is not the steady state) to the first sample after it
 * ends, so both figures cover n whole samples of each tool.
 */
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { decodeIndex, RecordRef } from '../src/history/segment-format';
import { onCleanup } from '../test/helpers/cleanup';
import { readStat, statusKb } from './population';
import { sleep } from './stats';
import { hasCommand } from './tui';

export interface RecorderRun {
  readonly tool: string;
  readonly pid: number;
  /** Samples counted (whole intervals between the first and the last seen). */
  readonly samples: number;
  readonly windowS: number;
  /** CPU ms over those samples (own + reaped children). */
  readonly cpuMs: number;
  /** CPU ms from start to the first counted sample (start-up and the first samples). */
  readonly startCpuMs: number;
  /** Bytes written over those samples. */
  readonly bytes: number;
  /** Bytes on disk when the first counted sample was seen (header and first samples). */
  readonly startBytes: number;
  readonly rssKb: number | undefined;
  readonly hwmKb: number | undefined;
  readonly notes: readonly string[];
}

interface Tracked {
  readonly tool: string;
  readonly pid: number;
  readonly start: number | undefined;
  readonly size: () => number;
  lastSize: number;
  /** Set when the size moved at the previous poll (the sample is counted once it stops moving). */
  moving: boolean;
  events: { t: number; bytes: number; ticks: number }[];
}

const USER_HZ = 100;

/** utime + stime + cutime + cstime (clock ticks) of a live process; undefined when gone. */
export function ticksWithChildren(pid: number): number | undefined {
  try {
    const text = fs.readFileSync(`/proc/${pid}/stat`, 'latin1');
    const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]);
  } catch {
    return undefined;
  }
}

function dirBytes(dir: string): number {
  let n = 0;
  try {
    for (const name of fs.readdirSync(dir)) n += fs.statSync(path.join(dir, name)).size;
  } catch {
    // not yet made
  }
  return n;
}

function fileBytes(file: string): number {
  try {
    return fs.statSync(file).size;
  } catch {
    return 0;
  }
}

/** atop on PATH, or installed with apt-get (root only) when `install`. */
export function findAtop(install: boolean, log: (line: string) => void): { ok: true; version: string } | { ok: false; why: string } {
  const version = (): string => (spawnSync('atop', ['-V'], { encoding: 'utf8' }).stdout ?? '').split('\n')[0]?.trim() ?? '';
  if (hasCommand('atop')) return { ok: true, version: version() };
  if (!install) return { ok: false, why: 'atop not installed (and --no-install-atop)' };
  if (process.getuid?.() !== 0) return { ok: false, why: 'atop not installed and not root, so it cannot be apt-get installed' };
  if (!hasCommand('apt-get')) return { ok: false, why: 'atop not installed and no apt-get' };
  log('  installing atop: apt-get install -y atop');
  const r = spawnSync('apt-get', ['install', '-y', 'atop'], { stdio: ['ignore', 2, 2], env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  if (r.status !== 0 || !hasCommand('atop')) return { ok: false, why: `apt-get install -y atop failed (status ${String(r.status)})` };
  return { ok: true, version: version() };
}

function launch(tool: string, command: string, args: readonly string[], env: NodeJS.ProcessEnv, size: () => number): Tracked {
  const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'], env });
  const pid = child.pid;
  if (pid === undefined) throw new Error(`could not start ${tool}`);
  child.stderr.on('data', () => undefined);
  const start = readStat(pid)?.starttime;
  onCleanup(`stop ${tool} (pid ${pid})`, () => {
    // Only the process we started: same pid and start time.
    if (readStat(pid)?.starttime !== start) return;
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone
    }
  });
  return { tool, pid, start, size, lastSize: 0, moving: false, events: [] };
}

function poll(t: Tracked): void {
  const bytes = t.size();
  if (bytes !== t.lastSize) {
    t.lastSize = bytes;
    t.moving = true;
    return;
  }
  if (t.moving) {
    t.moving = false;
    t.events.push({ t: Date.now(), bytes, ticks: ticksWithChildren(t.pid) ?? NaN });
  }
}

async function stop(t: Tracked): Promise<void> {
  if (readStat(t.pid)?.starttime !== t.start) return;
  try {
    process.kill(t.pid, 'SIGTERM');
  } catch {
    return;
  }
  const until = Date.now() + 10_000;
  while (Date.now() < until && readStat(t.pid)?.starttime === t.start && readStat(t.pid)?.state !== 'Z') await sleep(100);
}

function result(t: Tracked, skip: number, notes: string[]): RecorderRun {
  const from = t.events[skip];
  const to = t.events[t.events.length - 1];
  if (!from || !to || to === from) {
    return { tool: t.tool, pid: t.pid, samples: 0, windowS: 0, cpuMs: NaN, startCpuMs: NaN, bytes: NaN, startBytes: NaN, rssKb: undefined, hwmKb: undefined, notes: [...notes, `${t.tool}: fewer than ${skip + 2} samples seen`] };
  }
  return {
    tool: t.tool,
    pid: t.pid,
    samples: t.events.length - 1 - skip,
    windowS: (to.t - from.t) / 1000,
    cpuMs: ((to.ticks - from.ticks) * 1000) / USER_HZ,
    startCpuMs: (from.ticks * 1000) / USER_HZ,
    bytes: to.bytes - from.bytes,
    startBytes: from.bytes,
    rssKb: statusKb(t.pid, 'VmRSS'),
    hwmKb: statusKb(t.pid, 'VmHWM'),
    notes,
  };
}

export interface SideBySide {
  readonly proctop: RecorderRun;
  readonly atop: RecorderRun | { readonly skipped: string };
  readonly storeDir: string;
}

/**
 * Runs both recorders for `windowS` (plus a sample or two each side) while
 * `during` runs; `atopOk` false runs proctop alone.
 */
export async function recordSideBySide(
  opts: { bin: string; tmp: string; intervalS: number; windowS: number; atop: { ok: true } | { ok: false; why: string }; env: NodeJS.ProcessEnv },
  log: (line: string) => void,
  during: () => Promise<void>,
): Promise<SideBySide> {
  const storeDir = path.join(opts.tmp, 'store-window');
  const atopFile = path.join(opts.tmp, 'atop.raw');
  const tracked: Tracked[] = [
    launch('proctop record', opts.bin, ['record', '--interval', String(opts.intervalS), '--dir', storeDir], opts.env, () => dirBytes(storeDir)),
  ];
  if (opts.atop.ok) tracked.push(launch('atop -w', 'atop', ['-w', atopFile, String(opts.intervalS)], opts.env, () => fileBytes(atopFile)));
  const startedAt = Date.now();
  // Skip the first sample of each (start-up, cold caches): count from the second.
  const SKIP = 1;
  let windowEnd: number | undefined;
  let duringDone = false;
  const duringRun = during().finally(() => {
    duringDone = true;
  });
  let lastLog = Date.now();
  for (;;) {
    for (const t of tracked) poll(t);
    if (windowEnd === undefined && tracked.every((t) => t.events.length > SKIP)) {
      windowEnd = Date.now() + opts.windowS * 1000;
      log(`  window of ${opts.windowS} s started (${tracked.map((t) => t.tool).join(', ')} each past its first sample)`);
    }
    if (windowEnd !== undefined && Date.now() >= windowEnd) {
      // Until each has written one more sample after the window's end.
      const last = (t: Tracked): number => t.events[t.events.length - 1]?.t ?? 0;
      if (tracked.every((t) => last(t) >= windowEnd!) || Date.now() > windowEnd + (opts.intervalS + 10) * 1000) break;
    }
    if (Date.now() - startedAt > (opts.windowS + 6 * opts.intervalS + 120) * 1000) break;
    if (Date.now() - lastLog > 60_000) {
      lastLog = Date.now();
      log(`  … ${tracked.map((t) => `${t.tool}: ${t.events.length} samples`).join(', ')}${duringDone ? '' : ' (other measurements running meanwhile)'}`);
    }
    await sleep(250);
  }
  const results = tracked.map((t) => result(t, SKIP, []));
  for (const t of tracked) await stop(t);
  await duringRun;
  return {
    proctop: results[0] as RecorderRun,
    atop: opts.atop.ok ? (results[1] as RecorderRun) : { skipped: opts.atop.why },
    storeDir,
  };
}

/**
 * What a new segment costs over a steady frame: the header, the first
 * frame's strings records (twice) and that frame, with their index entries,
 * less one steady sample. `record` starts a segment every hour.
 */
export function segmentStartBytes(storeDir: string, steadyPerSample: number): number | undefined {
  const idx = fs.readdirSync(storeDir).filter((n) => n.endsWith('.idx')).sort()[0];
  if (!idx) return undefined;
  const refs: RecordRef[] = decodeIndex(fs.readFileSync(path.join(storeDir, idx)));
  if (refs.length === 0) return undefined;
  const header = Math.min(...refs.map((r) => r.offset));
  const first = refs.filter((r) => r.frame === 0);
  return header + first.reduce((n, r) => n + r.length + 32, 0) - steadyPerSample;
}
