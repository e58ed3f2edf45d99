/**
 * `proctop record [--interval SECONDS] [--dir DIR] [--retain AGE] [--max-size SIZE]`:
 * the recorder in the foreground. Loads the sampler and the store, never the TUI.
 */
import * as os from 'node:os';
import { CommanderError, InvalidArgumentError, Option } from 'commander';
import { parseArgs, subcommandProgram } from './subcommand';
import { Recorder } from '../history/recorder';
import { defaultStoreDir } from '../history/store-paths';
import type { SegmentIdentity } from '../history/segment-builder';
import { StoreWriter, StoreWriterOptions } from '../history/store-writer';
import { parseDuration, parseSize } from '../history/units';
import { CLOCK_TICKS } from '../procfs/clock';
import { Sampler } from '../sampler/sampler';
import { sanitize } from '../view/text';

export interface RecordOptions {
  /** Seconds between frames. */
  readonly interval: number;
  readonly dir: string;
  /** Segments older than this are deleted, ms. */
  readonly retain: number;
  /** The oldest segments are deleted while the store is larger, bytes. */
  readonly maxSize: number;
}

interface RecordOptionSpec {
  readonly flags: string;
  readonly key: keyof RecordOptions;
  readonly description: string;
  readonly defaultValue?: string;
  readonly parse: (value: string) => unknown;
}

function parseInterval(value: string): number {
  const n = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value.trim()) || n < 0.1 || n > 3600) throw new InvalidArgumentError('expected seconds from 0.1 to 3600');
  return n;
}

function parseAge(value: string): number {
  const ms = parseDuration(value);
  if (ms === undefined || ms < 60_000) throw new InvalidArgumentError('expected an age of at least a minute, e.g. 12h, 7d, 2w');
  return ms;
}

function parseMaxSize(value: string): number {
  const bytes = parseSize(value);
  if (bytes === undefined || bytes < 1024 * 1024) throw new InvalidArgumentError('expected a size of at least 1M, e.g. 256M, 2G');
  return bytes;
}

/**
 * Defaults for a small disk: at 2,000 idle processes a frame is ~10 KB (≈ 90 MB a day at 10 s),
 * so 256 MiB holds about three days of a busy host and weeks of a small one.
 */
export const RECORD_OPTIONS: readonly RecordOptionSpec[] = [
  { flags: '--interval <seconds>', key: 'interval', description: 'seconds between frames', defaultValue: '10', parse: parseInterval },
  { flags: '--dir <dir>', key: 'dir', description: 'store directory (default: $XDG_STATE_HOME/proctop/history, ~/.local/state/proctop/history, or /var/log/proctop as root)', parse: (v) => v },
  { flags: '--retain <age>', key: 'retain', description: 'delete segments older than this (s, m, h, d, w)', defaultValue: '7d', parse: parseAge },
  { flags: '--max-size <size>', key: 'maxSize', description: 'delete the oldest segments while the store is larger (K, M, G)', defaultValue: '256M', parse: parseMaxSize },
];

/** Parses `record`'s flags (argv after the word `record`); throws CommanderError on bad input. */
export function parseRecordOptions(args: readonly string[], env: NodeJS.ProcessEnv, uid: number, home: string): RecordOptions | 'help' {
  const program = subcommandProgram('proctop record', 'Record snapshots to an append-only store, in the foreground (for a systemd unit). Prints nothing but errors; SIGTERM/SIGINT finish the current frame and exit 0.');
  for (const spec of RECORD_OPTIONS) {
    const option = new Option(spec.flags, spec.description).argParser(spec.parse);
    if (spec.defaultValue !== undefined) option.default(spec.parse(spec.defaultValue), spec.defaultValue);
    program.addOption(option);
  }
  if (parseArgs(program, args) === 'help') return 'help';
  const o = program.opts<Partial<RecordOptions>>();
  return {
    interval: o.interval as number,
    dir: o.dir ?? defaultStoreDir(env, uid, home),
    retain: o.retain as number,
    maxSize: o.maxSize as number,
  };
}

/**
 * How often the recorder re-reads a process's argv, uid, exe link and cgroup: every six intervals
 * (the sampler's own periods, 10–15 s, when longer). With those alone, at 10 s most processes had
 * them re-read on every frame (four more syscalls each): ~60 % more CPU per frame at 2,000
 * processes (bench:history and the README's History budgets).
 */
export function recordRecheckMs(intervalS: number): number {
  return 6 * intervalS * 1000;
}

/** The store writer's settings for `record`'s options (the bench writes its 24 h store with the same). */
export function recordWriterOptions(options: RecordOptions, identity: SegmentIdentity, now: () => number): StoreWriterOptions {
  return {
    dir: options.dir,
    identity,
    now,
    retainMs: options.retain,
    maxBytes: options.maxSize,
    // Segments small enough that size retention deletes in steps of an eighth, and an hour at most so age retention can.
    segmentMaxBytes: Math.max(256 * 1024, Math.min(64 * 1024 * 1024, Math.floor(options.maxSize / 8))),
    segmentMaxAgeMs: Math.min(3_600_000, Math.max(60_000, options.retain / 4)),
    pendingMaxBytes: PENDING_MAX_BYTES,
  };
}

/** Entry of `proctop record`: returns the exit status (2 for bad flags). */
export async function runRecord(args: readonly string[], err: NodeJS.WritableStream = process.stderr): Promise<number> {
  let options: RecordOptions | 'help';
  try {
    options = parseRecordOptions(args, process.env, process.getuid?.() ?? -1, os.homedir());
  } catch (e) {
    if (!(e instanceof CommanderError)) throw e;
    err.write(`proctop record: ${sanitize(e.message.replace(/^error: /, '').replace(/\s*\n\s*/g, ' ').trim())} (see proctop record --help)\n`);
    return 2;
  }
  if (options === 'help') return 0;
  const root = process.env.PROCTOP_PROC_ROOT ?? '/proc';
  const sampler = new Sampler({ root, passwdPath: process.env.PROCTOP_PASSWD ?? '/etc/passwd', threads: false, now: Date.now, recheckMs: recordRecheckMs(options.interval) });
  // A frame holds each process's cgroup and the cgroup table, as --json does.
  sampler.setCgroups(true);
  sampler.setHostReads({ pressure: true, ownCgroup: true });
  const identity = { host: os.hostname(), bootId: sampler.reader.readBootId() ?? 'unknown', writer: 'proctop', clockTicks: CLOCK_TICKS };
  const writer = new StoreWriter(recordWriterOptions(options, identity, Date.now));
  const recorder = new Recorder({
    sample: () => sampler.sample(),
    writer,
    dir: options.dir,
    intervalMs: options.interval * 1000,
    now: Date.now,
    report: (line) => err.write(`${sanitize(line)}\n`),
  });
  const stop = new Promise<void>((resolve) => {
    process.once('SIGTERM', () => resolve());
    process.once('SIGINT', () => resolve());
  });
  await recorder.run(stop);
  sampler.close();
  return 0;
}

/** Frames kept in memory while the store cannot be written: ~3,000 frames of 2,000 processes (8 h at 10 s). */
export const PENDING_MAX_BYTES = 32 * 1024 * 1024;
