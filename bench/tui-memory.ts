/**
 * `node dist/bench/tui-memory.js`: the TUI's memory and CPU at N idle processes, several builds
 * side by side in one run (issue 15's RSS budget), each in its own tmux server at 200×50, `-d 10`,
 * started together so they share the same load:
 *
 *   node dist/bench/tui-memory.js [--procs N] [--seconds S] [--settle S] [--rounds R]
 *        [--variant NAME=ROOT[:ENV=VALUE,…]]… [--probe DIR] [--sample A,B]
 *
 * A variant is a proctop tree (bin/ and dist/bundle/ are copied at start, so a rebuild during the
 * run changes nothing), optionally with environment variables for it. Without --variant: the
 * working tree's build. Each round starts every variant at once; the rounds' figures are listed
 * one after the other. Per variant: RSS sampled every second over the window (median, max), at
 * the end VmRSS, RssAnon, RssFile, VmHWM and the resident memory by kind of mapping
 * (/proc/PID/smaps), and CPU % of one core over the window (utime + stime).
 * `--probe DIR` loads bench/memory-probe.js into each (V8 heap spaces and GCs every second, and
 * with --sample a sampling heap profile of allocations) and writes its files into DIR.
 *
 * A script, not a test: it prints figures and asserts nothing.
 */
import { Command, InvalidArgumentError } from 'commander';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { cleanupAll, onCleanup } from '../test/helpers/cleanup';
import { TmuxSession } from '../test/helpers/tmux';
import { cpuTicks, startPopulation, statusKb } from './population';
import { sleep, stats } from './stats';
import { firstFrameShown } from './tui';

interface Variant {
  readonly name: string;
  readonly root: string;
  readonly env: readonly string[];
}

interface Options {
  readonly procs: number;
  readonly seconds: number;
  readonly settle: number;
  readonly rounds: number;
  readonly variants: readonly Variant[];
  readonly probe: string | undefined;
  readonly sample: string | undefined;
  readonly args: readonly string[];
}

const USER_HZ = 100;

function positiveInt(value: string): number {
  if (!/^\d+$/.test(value.trim()) || Number(value) < 1) throw new InvalidArgumentError('expected a whole number ≥ 1');
  return Number(value);
}

function parseVariant(value: string, previous: Variant[]): Variant[] {
  const m = /^([\w.-]+)=([^:]+)(?::(.*))?$/.exec(value);
  if (!m) throw new InvalidArgumentError('expected NAME=ROOT or NAME=ROOT:ENV=VALUE,…');
  return [...previous, { name: m[1] as string, root: path.resolve(m[2] as string), env: m[3] ? (m[3]).split(',') : [] }];
}

function parseOptions(argv: readonly string[]): Options {
  const program = new Command('tui-memory')
    .option('--procs <n>', 'idle processes to start', positiveInt, 2000)
    .option('--seconds <s>', 'measuring window, seconds', positiveInt, 30)
    .option('--settle <s>', 'seconds after the first frame before the window', positiveInt, 3)
    .option('--rounds <n>', 'rounds (all variants at once in each)', positiveInt, 1)
    .option('--variant <name=root[:env]>', 'a proctop tree to measure (repeatable)', parseVariant, [])
    .option('--probe <dir>', 'load the memory probe into each and write its files here')
    .option('--sample <a,b>', 'with --probe: sampling heap profile from second a to b after start')
    .option('--args <argv>', 'extra proctop arguments, space separated', '')
    .allowExcessArguments(false);
  program.parse(argv as string[], { from: 'node' });
  const o = program.opts<{ procs: number; seconds: number; settle: number; rounds: number; variant: Variant[]; probe?: string; sample?: string; args: string }>();
  const variants = o.variant.length > 0 ? o.variant : [{ name: 'tree', root: path.resolve(__dirname, '..', '..'), env: [] }];
  return { procs: o.procs, seconds: o.seconds, settle: o.settle, rounds: o.rounds, variants, probe: o.probe, sample: o.sample, args: o.args.split(' ').filter(Boolean) };
}

/** bin/, dist/bundle and package.json of a tree, copied (node_modules linked): the build measured is the one present at start. */
function freeze(root: string, into: string): string {
  fs.cpSync(path.join(root, 'bin'), path.join(into, 'bin'), { recursive: true });
  fs.cpSync(path.join(root, 'dist', 'bundle'), path.join(into, 'dist', 'bundle'), { recursive: true });
  fs.copyFileSync(path.join(root, 'package.json'), path.join(into, 'package.json'));
  fs.symlinkSync(path.join(root, 'node_modules'), path.join(into, 'node_modules'), 'dir');
  return into;
}

/** Resident kB by kind of mapping, from /proc/PID/smaps. */
export function smapsByKind(text: string): Record<string, number> {
  const kinds: Record<string, number> = {};
  let kind = '';
  for (const l of text.split('\n')) {
    const head = /^([0-9a-f]+)-([0-9a-f]+) (\S+) \S+ \S+ \S+\s*(.*)$/.exec(l);
    if (head) {
      const start = parseInt(head[1] as string, 16);
      const size = parseInt(head[2] as string, 16) - start;
      const name = (head[4] as string).trim();
      if (name === '') {
        // glibc's secondary malloc arenas are 64 MiB-aligned reservations (HEAP_MAX_SIZE).
        kind = start % (64 * 2 ** 20) === 0 && size <= 64 * 2 ** 20 ? 'anon: malloc arena' : 'anon: other (V8 heap, main malloc mmaps)';
      } else if (name.startsWith('[')) kind = name;
      else if (/\/node$/.test(name)) kind = 'node binary';
      else kind = name.endsWith('.so') || /\.so\./.test(name) ? 'shared libraries' : `file: ${path.basename(name)}`;
      continue;
    }
    const rss = /^Rss:\s+(\d+) kB/.exec(l);
    if (rss) kinds[kind] = (kinds[kind] ?? 0) + Number(rss[1]);
  }
  return kinds;
}

interface Run {
  readonly variant: Variant;
  readonly term: TmuxSession;
  pid?: number;
  firstFrameMs?: number;
  rss: number[];
  cpuStart?: number;
  end?: { cpuPercent: number; rssKb: number; anonKb: number; fileKb: number; hwmKb: number; smaps: Record<string, number> };
}

async function round(opts: Options, frozen: readonly Variant[], tmp: string, r: number, log: (l: string) => void): Promise<Run[]> {
  const home = path.join(tmp, `home-${r}`);
  fs.mkdirSync(path.join(home, '.config'), { recursive: true });
  const runs: Run[] = [];
  const t0 = Date.now();
  for (const v of frozen) {
    // bin/proctop is run as a program (the launcher, or in older trees a Node script): the probe
    // reaches Node through NODE_OPTIONS, after any the variant sets.
    const variantOptions = v.env.find((e) => e.startsWith('NODE_OPTIONS='))?.slice('NODE_OPTIONS='.length);
    const probeOptions = opts.probe === undefined ? [] : [`NODE_OPTIONS=${[variantOptions, `--require=${path.join(__dirname, 'memory-probe.js')}`].filter((o) => o !== undefined).join(' ')}`];
    const probeEnv = opts.probe === undefined ? [] : [`PROBE_OUT=${path.join(opts.probe, `${v.name}-${r}.jsonl`)}`, ...(opts.sample ? [`PROBE_SAMPLE=${opts.sample}`] : [])];
    const argv = ['env', `HOME=${home}`, `XDG_CONFIG_HOME=${path.join(home, '.config')}`, ...v.env, ...probeOptions, ...probeEnv, path.join(v.root, 'bin', 'proctop'), '-d', '10', ...opts.args];
    runs.push({ variant: v, term: TmuxSession.start(argv, { width: 200, height: 50, bare: true }), rss: [] });
  }
  for (const run of runs) run.pid = run.term.startedPid();
  const deadline = Date.now() + 60_000;
  while (runs.some((x) => x.firstFrameMs === undefined) && Date.now() < deadline) {
    for (const run of runs) {
      if (run.firstFrameMs === undefined && firstFrameShown(run.term.tmux(['capture-pane', '-p']))) run.firstFrameMs = Date.now() - t0;
    }
    await sleep(20);
  }
  log(`  round ${r + 1}: first frames ${runs.map((x) => `${x.variant.name} ${x.firstFrameMs ?? '–'} ms`).join(', ')}; settling ${opts.settle} s`);
  await sleep(opts.settle * 1000);
  for (const run of runs) run.cpuStart = run.pid === undefined ? undefined : cpuTicks(run.pid);
  const w0 = Date.now();
  while (Date.now() - w0 < opts.seconds * 1000) {
    await sleep(1000);
    for (const run of runs) {
      const kb = run.pid === undefined ? undefined : statusKb(run.pid, 'VmRSS');
      if (kb !== undefined) run.rss.push(kb);
    }
  }
  const wallS = (Date.now() - w0) / 1000;
  for (const run of runs) {
    const pid = run.pid;
    const ticks = pid === undefined ? undefined : cpuTicks(pid);
    if (pid === undefined || ticks === undefined || run.cpuStart === undefined) continue;
    let smaps: Record<string, number> = {};
    try {
      smaps = smapsByKind(fs.readFileSync(`/proc/${pid}/smaps`, 'utf8'));
    } catch {
      // gone
    }
    run.end = {
      cpuPercent: ((ticks - run.cpuStart) / USER_HZ / wallS) * 100,
      rssKb: statusKb(pid, 'VmRSS') ?? NaN,
      anonKb: statusKb(pid, 'RssAnon') ?? NaN,
      fileKb: statusKb(pid, 'RssFile') ?? NaN,
      hwmKb: statusKb(pid, 'VmHWM') ?? NaN,
      smaps,
    };
  }
  for (const run of runs) await run.term.kill(15_000);
  return runs;
}

const mib = (kb: number): string => (kb / 1024).toFixed(1);

async function main(): Promise<void> {
  const opts = parseOptions(process.argv);
  const log = (l: string): void => void process.stderr.write(`${l}\n`);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'proctop-tui-memory-'));
  onCleanup(`remove ${tmp}`, () => fs.rmSync(tmp, { recursive: true, force: true }));
  const frozen = opts.variants.map((v) => ({ ...v, root: freeze(v.root, path.join(tmp, v.name)) }));
  if (opts.probe) fs.mkdirSync(opts.probe, { recursive: true });
  const load0 = os.loadavg();
  const population = await startPopulation(opts.procs, log);
  log(`population: ${population.reached} of ${opts.procs} in ${(population.spawnMs / 1000).toFixed(1)} s`);
  const out: string[] = [];
  try {
    for (let r = 0; r < opts.rounds; r++) {
      const runs = await round(opts, frozen, tmp, r, log);
      for (const run of runs) {
        const s = stats(run.rss);
        const e = run.end;
        out.push(`round ${r + 1} ${run.variant.name.padEnd(12)} RSS median ${mib(s.median)} MiB (min ${mib(s.min)}, max ${mib(s.max)}, ${s.n} samples); `
          + (e ? `end ${mib(e.rssKb)} (anon ${mib(e.anonKb)}, file ${mib(e.fileKb)}), HWM ${mib(e.hwmKb)}; CPU ${e.cpuPercent.toFixed(2)} % of a core` : 'no end reading'));
        if (e) out.push(`    smaps: ${Object.entries(e.smaps).sort((a, b) => b[1] - a[1]).filter(([, kb]) => kb >= 256).map(([k, kb]) => `${k} ${mib(kb)}`).join('; ')}`);
      }
    }
  } finally {
    await population.stop();
  }
  const load1 = os.loadavg();
  process.stdout.write(`tui-memory: ${population.reached} idle processes + the host's, ${opts.seconds} s window after ${opts.settle} s, -d 10, 200x50; `
    + `load ${load0.map((x) => x.toFixed(1)).join(' ')} -> ${load1.map((x) => x.toFixed(1)).join(' ')}\n${out.join('\n')}\n`);
}

main().then(() => cleanupAll(), (err: unknown) => {
  process.stderr.write(`tui-memory: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
  cleanupAll();
  process.exitCode = 1;
});
