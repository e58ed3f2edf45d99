/**
 * How the history store encodes a frame, decided by measurement:
 *   node dist/bench/history-encoding.js [--procs N] [--frames K]
 * Starts N idle processes (as the bench does), takes K snapshots 1 s apart
 * and prints, per candidate encoding, the bytes of a steady-state frame and
 * the CPU to encode it. A script: it prints figures, it asserts nothing.
 */
import { brotliCompressSync, constants, deflateRawSync } from 'node:zlib';
import { Sampler } from '../src/sampler/sampler';
import type { Snapshot } from '../src/model/snapshot';
import { encodeFrame, StringTable } from '../src/history/frame-codec';
import { encodeStrings } from '../src/history/segment-builder';
import { CLOCK_TICKS } from '../src/procfs/clock';
import { cleanupAll } from '../test/helpers/cleanup';
import { startPopulation } from './population';
import { fmt, sleep } from './stats';

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};

const ROUNDS = 5;

const deflate = (b: Buffer): Buffer => deflateRawSync(b, { level: 6 });
const brotli = (q: number) => (b: Buffer): Buffer => brotliCompressSync(b, { params: { [constants.BROTLI_PARAM_QUALITY]: q, [constants.BROTLI_PARAM_SIZE_HINT]: b.length } });

interface Candidate {
  readonly name: string;
  /** Bytes written for `s` (the frame after `prev`); `state` is per-candidate memory across frames. */
  encode(s: Snapshot, prev: Snapshot | undefined, state: Map<string, unknown>): number;
}

const binary = (compressor: (b: Buffer) => Buffer): Candidate['encode'] => (s, _prev, state) => {
  const table = (state.get('table') as StringTable | undefined) ?? new StringTable();
  state.set('table', table);
  const frame = encodeFrame(s, table, CLOCK_TICKS);
  const strings = frame.added.length > 0 ? 2 * compressor(encodeStrings(frame.added)).length : 0;
  return compressor(frame.bytes).length + strings;
};

const CANDIDATES: Candidate[] = [
  { name: 'JSON + deflate-raw 6', encode: (s) => deflate(Buffer.from(JSON.stringify(s))).length },
  { name: 'JSON + brotli 5', encode: (s) => brotli(5)(Buffer.from(JSON.stringify(s))).length },
  { name: 'columns + deflate-raw 6', encode: binary(deflate) },
  { name: 'columns + brotli 5', encode: binary(brotli(5)) },
  { name: 'columns + brotli 9', encode: binary(brotli(9)) },
  {
    // Delta: the previous frame's bytes as the deflate dictionary (last 32 KiB only, deflate's window).
    name: 'columns + deflate, previous frame as dictionary',
    encode: (s, _prev, state) => {
      const table = (state.get('table') as StringTable | undefined) ?? new StringTable();
      state.set('table', table);
      const frame = encodeFrame(s, table, CLOCK_TICKS);
      const dictionary = state.get('last') as Buffer | undefined;
      state.set('last', frame.bytes);
      const strings = frame.added.length > 0 ? 2 * deflate(encodeStrings(frame.added)).length : 0;
      return deflateRawSync(frame.bytes, dictionary ? { level: 6, dictionary: dictionary.subarray(-32768) } : { level: 6 }).length + strings;
    },
  },
];

async function main(): Promise<void> {
  const procs = arg('--procs', 2000);
  const frames = arg('--frames', 6);
  const population = await startPopulation(procs, (line) => process.stderr.write(`${line}\n`));
  try {
    const sampler = new Sampler({ root: '/proc', passwdPath: '/etc/passwd', threads: false, now: Date.now });
    const snaps: Snapshot[] = [];
    for (let i = 0; i < frames; i++) {
      snaps.push(sampler.sample());
      await sleep(1000);
    }
    const n = snaps[snaps.length - 1].processes.length;
    process.stdout.write(`${n} processes, ${frames} frames 1 s apart; steady state = mean of frames 2..${frames}\n`);
    process.stdout.write('| encoding | first frame, bytes | steady frame, bytes | encode CPU, ms/frame |\n|---|---|---|---|\n');
    for (const c of CANDIDATES) {
      // One untimed pass first, so the JIT warm-up is not charged to whichever candidate runs first.
      const warm = new Map<string, unknown>();
      snaps.forEach((s, i) => c.encode(s, snaps[i - 1], warm));
      const state = new Map<string, unknown>();
      const sizes: number[] = [];
      const start = process.cpuUsage();
      for (let round = 0; round < ROUNDS; round++) {
        state.clear();
        sizes.length = 0;
        snaps.forEach((s, i) => sizes.push(c.encode(s, snaps[i - 1], state)));
      }
      const cpu = process.cpuUsage(start);
      const steady = sizes.slice(1).reduce((a, b) => a + b, 0) / (sizes.length - 1);
      process.stdout.write(`| ${c.name} | ${sizes[0]} | ${fmt(steady)} | ${fmt((cpu.user + cpu.system) / 1000 / frames / ROUNDS)} |\n`);
    }
  } finally {
    await population.stop();
    cleanupAll();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
  cleanupAll();
  process.exitCode = 1;
});
