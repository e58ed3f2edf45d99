/**
 * `node dist/bench/held-fds.js`: the scan with /proc/PID/stat (and statm) descriptors held across
 * scans and re-read with pread, against open/read/close per file, side by side on one population
 * of idle processes. A script, not a test: it prints figures and asserts nothing.
 *
 *   node dist/bench/held-fds.js [--procs N] [--rounds N] [--recorders S] [--tui S] [--json]
 *
 * 1. in-process: samplers of each variant scanned in turn (round-robin, so load drifts hit all
 *    alike), as `record` scans (recheckMs of a 10 s interval, cgroups, host reads; a clock that
 *    moves 10 s a scan) and as the TUI scans (statm every scan): CPU (utime + stime) per scan;
 * 2. `proctop record --interval 10` twice at once, one with PROCTOP_HELD_FDS=0: CPU % of a core over
 *    the window (from /proc/PID/stat, after the first frames);
 * 3. the TUI in tmux at -d 10, PROCTOP_HELD_FDS=0 and default, alternated: CPU % over each window.
 * Load averages beside every figure: the machine is shared.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { Sampler } from '../src/sampler/sampler';
import { recordRecheckMs } from '../src/cli/record';
import { cleanupAll, onCleanup } from '../test/helpers/cleanup';
import { cpuTicks, readStat, startPopulation } from './population';
import { sleep, stats, Stats } from './stats';
import { measureTui } from './tui';

type Load = readonly number[];
const load = (): Load => os.loadavg().map((x) => Math.round(x * 100) / 100);
const USER_HZ = 100;

interface Variant {
  readonly name: string;
  /** heldFdCap; undefined: the default (from RLIMIT_NOFILE). */
  readonly cap: number | undefined;
}

const VARIANTS: readonly Variant[] = [
  { name: 'open/read/close (cap 0)', cap: 0 },
  { name: 'stat and statm held', cap: undefined },
];

interface ScanFigures {
  readonly variant: string;
  readonly cpuMs: Stats;
  readonly userMs: number;
  readonly sysMs: number;
  readonly usPerProcess: number;
  readonly processes: number;
  readonly held: number;
}

function positiveInt(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError('expected a whole number');
  return Number(value);
}

/** `rounds` scans of each variant, round-robin, after one warm-up scan each. */
function inProcess(mode: 'record' | 'tui', rounds: number): ScanFigures[] {
  const samplers = VARIANTS.map((v) => {
    let clock = Date.now();
    const s = new Sampler({
      root: '/proc', passwdPath: '/etc/passwd', threads: false,
      now: mode === 'record' ? () => (clock += 10_000) : Date.now,
      ...(mode === 'record' ? { recheckMs: recordRecheckMs(10) } : {}),
      ...(v.cap === undefined ? {} : { heldFdCap: v.cap }),
    });
    if (mode === 'record') {
      s.setCgroups(true);
      s.setHostReads({ pressure: true, ownCgroup: true });
    }
    return s;
  });
  const cpu: number[][] = VARIANTS.map(() => []);
  const user: number[][] = VARIANTS.map(() => []);
  const sys: number[][] = VARIANTS.map(() => []);
  const procs: number[] = VARIANTS.map(() => 0);
  const scan = (i: number): number => {
    return samplers[i]!.sample().processCount;
  };
  for (let i = 0; i < VARIANTS.length; i++) scan(i);
  for (let r = 0; r < rounds; r++) {
    for (let i = 0; i < VARIANTS.length; i++) {
      const u = process.cpuUsage();
      procs[i] = scan(i);
      const d = process.cpuUsage(u);
      cpu[i]!.push((d.user + d.system) / 1000);
      user[i]!.push(d.user / 1000);
      sys[i]!.push(d.system / 1000);
    }
  }
  const out = VARIANTS.map((v, i) => {
    const c = stats(cpu[i]!);
    return { variant: v.name, cpuMs: c, userMs: stats(user[i]!).median, sysMs: stats(sys[i]!).median, usPerProcess: (c.median * 1000) / procs[i]!, processes: procs[i]!, held: samplers[i]!.heldFds().held };
  });
  for (const s of samplers) s.close();
  return out;
}

interface RecorderFigures {
  readonly env: string;
  readonly cpuPercent: number;
  readonly windowS: number;
}

/** Two `proctop record --interval 10` at once, one with PROCTOP_HELD_FDS=0. */
async function recorders(bin: string, tmp: string, windowS: number, log: (line: string) => void): Promise<RecorderFigures[]> {
  const runs = [{ env: 'PROCTOP_HELD_FDS=0', extra: { PROCTOP_HELD_FDS: '0' } }, { env: '(default)', extra: {} }].map((r, i) => {
    const dir = path.join(tmp, `store-${i}`);
    const child = spawn(bin, ['record', '--interval', '10', '--dir', dir], { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, ...r.extra } });
    const pid = child.pid;
    if (pid === undefined) throw new Error('could not start proctop record');
    const start = readStat(pid)?.starttime;
    onCleanup(`stop proctop record ${pid}`, () => {
      if (readStat(pid)?.starttime === start) process.kill(pid, 'SIGKILL');
    });
    return { ...r, pid, start };
  });
  log('  recorders started; 25 s for start-up and the first frames');
  await sleep(25_000);
  const t0 = Date.now();
  const a = runs.map((r) => cpuTicks(r.pid) ?? NaN);
  await sleep(windowS * 1000);
  const b = runs.map((r) => cpuTicks(r.pid) ?? NaN);
  const wall = (Date.now() - t0) / 1000;
  for (const r of runs) if (readStat(r.pid)?.starttime === r.start) process.kill(r.pid, 'SIGTERM');
  return runs.map((r, i) => ({ env: r.env, cpuPercent: ((b[i]! - a[i]!) / USER_HZ / wall) * 100, windowS: wall }));
}

async function main(): Promise<void> {
  const program = new Command('held-fds')
    .option('--procs <n>', 'idle processes to start', positiveInt, 2000)
    .option('--rounds <n>', 'in-process scans of each variant', positiveInt, 30)
    .option('--recorders <s>', 'window of the two recorders side by side, s (0: skip)', positiveInt, 120)
    .option('--tui <s>', 'window of each TUI run, s (0: skip)', positiveInt, 30)
    .option('--json', 'JSON instead of lines', false);
  program.parse(process.argv);
  const o = program.opts<{ procs: number; rounds: number; recorders: number; tui: number; json: boolean }>();
  const log = (line: string): void => void process.stderr.write(`${line}\n`);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'proctop-held-'));
  onCleanup('remove temporary directory', () => fs.rmSync(tmp, { recursive: true, force: true }));
  const bin = path.join(__dirname, '..', '..', 'bin', 'proctop');
  const population = await startPopulation(o.procs, log);
  const result: Record<string, unknown> = { procs: population.reached, notes: population.notes, kernel: os.release(), node: process.version, nproc: os.cpus().length };
  try {
    for (const mode of ['record', 'tui'] as const) {
      const l0 = load();
      const figures = inProcess(mode, o.rounds);
      result[`scan-${mode}`] = { figures, load: [l0, load()] };
      log(`in-process, as ${mode} scans (load ${l0.join(' ')} -> ${load().join(' ')}):`);
      for (const f of figures) log(`  ${f.variant.padEnd(34)} ${f.cpuMs.median.toFixed(1)} ms CPU/scan (user ${f.userMs.toFixed(1)}, sys ${f.sysMs.toFixed(1)}; min ${f.cpuMs.min.toFixed(1)}), ${f.usPerProcess.toFixed(1)} us/process, ${f.processes} processes, ${f.held} fds held`);
    }
    if (o.recorders > 0) {
      const l0 = load();
      const r = await recorders(bin, tmp, o.recorders, log);
      result.recorders = { figures: r, load: [l0, load()] };
      log(`proctop record --interval 10 side by side (load ${l0.join(' ')} -> ${load().join(' ')}):`);
      for (const f of r) log(`  ${f.env.padEnd(20)} ${f.cpuPercent.toFixed(3)} % of a core over ${f.windowS.toFixed(0)} s`);
    }
    if (o.tui > 0) {
      const tui: { env: string; cpuPercent: number | undefined; load: Load[] }[] = [];
      for (const round of [0, 1]) {
        for (const env of round === 0 ? ['PROCTOP_HELD_FDS=0', 'PROCTOP_HELD_FDS=auto'] : ['PROCTOP_HELD_FDS=auto', 'PROCTOP_HELD_FDS=0']) {
          const l0 = load();
          const t = await measureTui({ name: `proctop ${env}`, command: ['env', env, `HOME=${tmp}`, bin, '-d', '10'] }, 1, o.tui, 3, log);
          tui.push({ env, cpuPercent: t.cpuPercent, load: [l0, load()] });
          log(`  TUI ${env}: ${t.cpuPercent?.toFixed(2) ?? '?'} % of a core over ${o.tui} s (load ${l0.join(' ')} -> ${load().join(' ')})`);
        }
      }
      result.tui = tui;
    }
  } finally {
    result.leftAfterStop = await population.stop();
  }
  if (o.json) process.stdout.write(`${JSON.stringify(result)}\n`);
}

main().then(() => cleanupAll(), (err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
  cleanupAll();
  process.exitCode = 1;
});
