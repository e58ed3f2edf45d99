/**
 * Scale: proctop against a big process table, a deep chain and a many-threaded process.
 *
 *   node dist/bench/scale.js [--procs 10000] [--chain 5000] [--threads 1000] [--tui-seconds 20] [--json]
 *
 * Builds, each in its own process group: `--procs` idle processes (bench/population.ts), a
 * chain of `--chain` processes each the child of the one before (sh -c starting sh -c …, the
 * last one `sleep`), and one python3 process with `--threads` threads. The chain's top is
 * handed to init (its starter exits), after a placeholder tmux server is up, so that in a tree
 * sorted by start time the chain comes last among init's children.
 *
 * Then measures, in this process: one Sampler scan (cold and warm; warm with threads),
 * buildForest + flattenForest over the whole snapshot, one 200×50 frame in tree view with the
 * chain expanded and its deepest process selected; and in tmux: proctop's first frame, RSS
 * and CPU after `--tui-seconds` at -d 10, then whether it stays responsive: `t` (tree), `K`
 * (hide kernel threads), End must show the chain's deepest pid within 5 s; `H` (threads) and a
 * search for the threaded process must show its thread rows.
 *
 * A script, not a test: it prints figures, it asserts nothing. Everything is killed by process
 * group however it ends. Progress goes to stderr; the table (or JSON) to stdout.
 */
import { Command, InvalidArgumentError } from 'commander';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Column, DEFAULT_COLUMNS, findColumn } from '../src/model/columns';
import { identityKey, Snapshot } from '../src/model/snapshot';
import { buildForest, flattenForest } from '../src/model/tree';
import { CLOCK_TICKS } from '../src/procfs/clock';
import { Sampler } from '../src/sampler/sampler';
import { buildView, FrameInput, frameRows, frameTableHeight, reconcile } from '../src/view/build-view';
import { ALL_METERS } from '../src/view/header';
import { initialState } from '../src/view/ui-state';
import { lineText } from '../src/view/view-model';
import { ProcessGroup } from '../test/helpers/process-group';
import { privateHome } from '../test/helpers/private-home';
import { parseScreen, rowPid } from '../test/helpers/screen';
import { TmuxSession } from '../test/helpers/tmux';
import { onCleanup } from '../test/helpers/cleanup';
import { cpuTicks, Limits, readLimits, readStat, startPopulation, statusKb } from './population';
import { fmt, msSince, sleep, stats } from './stats';

interface ScaleOptions {
  readonly procs: number;
  readonly chain: number;
  readonly threads: number;
  readonly tuiSeconds: number;
  readonly json: boolean;
}

const REPO = path.resolve(__dirname, '..', '..');
const BIN = path.join(REPO, 'bin', 'proctop');
const WIDTH = 200;
const HEIGHT = 50;
/** What "responsive" means for End → deepest pid on screen. */
const RESPONSIVE_MS = 5000;
/** How long each key reaction is waited for, beyond RESPONSIVE_MS, to report how late it was. */
const KEY_CEILING_MS = 60_000;

function positiveInt(max: number, min = 1) {
  return (value: string): number => {
    if (!/^\d+$/.test(value.trim()) || Number(value) < min || Number(value) > max) throw new InvalidArgumentError(`expected a whole number from ${min} to ${max}`);
    return Number(value);
  };
}

function parseOptions(argv: readonly string[]): ScaleOptions {
  const program = new Command('scale')
    .description('proctop at scale: 10,000 processes, a 5,000-deep chain, a 1,000-thread process')
    .option('--procs <n>', 'idle processes (one process group)', positiveInt(200_000, 0), 10_000)
    .option('--chain <n>', 'processes in the chain (each the child of the one before)', positiveInt(100_000, 2), 5000)
    .option('--threads <n>', 'threads of the threaded process', positiveInt(100_000, 1), 1000)
    .option('--tui-seconds <s>', 'seconds proctop runs (-d 10) before RSS is read', positiveInt(3600), 20)
    .option('--json', 'print JSON instead of the table', false)
    .allowExcessArguments(false);
  program.parse(argv as string[], { from: 'node' });
  const o = program.opts<{ procs: number; chain: number; threads: number; tuiSeconds: number; json: boolean }>();
  return { procs: o.procs, chain: o.chain, threads: o.threads, tuiSeconds: o.tuiSeconds, json: o.json };
}


function threadCount(pid: number): number | undefined {
  try {
    return Number(/^Threads:\s+(\d+)/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);
  } catch {
    return undefined;
  }
}

function python(): string | undefined {
  for (const p of ['/usr/bin/python3', '/usr/local/bin/python3']) if (fs.existsSync(p)) return p;
  return undefined;
}

/** Level n starts level n-1 and waits for it; level 0 writes its pid to $2 and becomes `sleep $3`. */
const CHAIN_LEVEL = `n=$1
if [ "$n" -gt 0 ]; then
  sh -c "$0" "$0" $((n - 1)) "$2" "$3"
  exit $?
fi
echo $$ > "$2.tmp" && mv "$2.tmp" "$2"
exec sleep "$3"`;

/** Starts the chain's top in the background and exits, so the top is adopted by init (or a subreaper). */
const CHAIN_STARTER = `sh -c "$1" "$1" "$2" "$3" "$4" </dev/null >/dev/null 2>&1 &
echo "top $!"`;

const THREADS = String.raw`
import sys, threading
n = int(sys.argv[1])
threading.stack_size(256 * 1024)
ev = threading.Event()
made = 0
err = ''
for _ in range(n):
    try:
        threading.Thread(target=ev.wait, daemon=True).start()
        made += 1
    except Exception as e:
        err = str(e)
        break
sys.stdout.write('ready %d %s\n' % (made, err))
sys.stdout.flush()
ev.wait()
`;

interface ChainResult {
  requested: number;
  /** Processes of the chain found in its group when it stopped growing or completed. */
  reached: number;
  /** Levels from the top to the deepest, walking ppid (the top is level 1). */
  depth: number | undefined;
  top: number | undefined;
  topParent: number | undefined;
  deepest: number | undefined;
  buildMs: number;
  notes: string[];
}

interface ThreadsResult {
  requested: number;
  reached: number;
  pid: number | undefined;
  note: string;
}

interface KeyCheck {
  readonly what: string;
  /** ms from the key to the screen showing it, undefined when it never did within KEY_CEILING_MS. */
  readonly ms: number | undefined;
  readonly ok: boolean;
  readonly detail: string;
}

interface Result {
  machine: { nproc: number; memTotalMb: number; kernel: string; node: string; loadStart: readonly number[]; loadEnd: readonly number[] };
  options: ScaleOptions;
  limits: Limits;
  population: { requested: number; reached: number; spawnMs: number; notes: readonly string[]; leftAfterStop?: number };
  chain?: ChainResult;
  threads?: ThreadsResult;
  processesOnMachine?: number;
  threadRows?: number;
  scan?: { coldMs: number; warmMs: number; warmMedianMs: number; threadsWarmMs: number; processes: number; rows: number; threadRows: number };
  tree?: { buildMs: number; flattenMs: number; rows: number; maxDepth: number };
  frame?: { frameRowsMs: number; reconcileMs: number; buildViewMs: number; totalMs: number; deepestShown: boolean; rows: number };
  tui?: {
    firstFrameMs: number | undefined;
    rssMb: number | undefined;
    hwmMb: number | undefined;
    cpuPercent: number | undefined;
    windowS: number;
    statusAtRead: string;
    keys: KeyCheck[];
    rssEndMb: number | undefined;
    hwmEndMb: number | undefined;
    notes: string[];
  };
  leftAfter?: { chain: number; threads: number };
  notes: string[];
}

/** Builds the chain; resolves when its deepest process has reported, or when it stops growing. */
async function startChain(n: number, marker: string, dir: string, log: (line: string) => void): Promise<{ group: ProcessGroup; result: ChainResult }> {
  const file = path.join(dir, 'deepest');
  const t0 = process.hrtime.bigint();
  const group = ProcessGroup.start('sh', ['-c', CHAIN_STARTER, 'chain-starter', CHAIN_LEVEL, String(n - 1), file, marker], { comms: ['sh', 'sleep'] });
  onCleanup(`kill the chain's process group ${group.pgid}`, () => group.killSync());
  const result: ChainResult = { requested: n, reached: 0, depth: undefined, top: undefined, topParent: undefined, deepest: undefined, buildMs: 0, notes: [] };
  const deadline = Date.now() + Math.max(300_000, n * 100);
  let lastCount = -1;
  let stableSince = Date.now();
  let lastLog = Date.now();
  // Counting members scans all of /proc: every 5 s only, for progress and to notice a stall.
  for (let tick = 1; ; tick++) {
    await sleep(500);
    if (fs.existsSync(file)) break;
    if (tick % 10 !== 0) continue;
    const count = group.members().filter((m) => m.state !== 'Z').length;
    if (count !== lastCount) {
      lastCount = count;
      stableSince = Date.now();
    }
    if (Date.now() - lastLog > 10_000) {
      log(`  … chain: ${count} of ${n} processes after ${(msSince(t0) / 1000).toFixed(0)} s`);
      lastLog = Date.now();
    }
    if (Date.now() - stableSince > 20_000 && count > 0) {
      result.notes.push(`the chain stopped growing at ${count} processes${group.stderr ? `: ${group.stderr.trim().split('\n')[0]}` : ''}`);
      break;
    }
    if (Date.now() > deadline) {
      result.notes.push(`gave up after ${(msSince(t0) / 1000).toFixed(0)} s at ${count} processes`);
      break;
    }
  }
  result.buildMs = msSince(t0);
  result.top = Number(/top (\d+)/.exec(group.output)?.[1]) || undefined;
  result.topParent = result.top === undefined ? undefined : readStat(result.top)?.ppid;
  result.reached = group.members().filter((m) => m.state !== 'Z').length;
  if (fs.existsSync(file)) {
    const deepest = Number(fs.readFileSync(file, 'utf8').trim());
    // Walk up by ppid while still in the chain's group: the number of levels actually there.
    let depth = 0;
    for (let pid: number | undefined = deepest; pid !== undefined; ) {
      const s = readStat(pid);
      if (!s || s.pgrp !== group.pgid) break;
      depth++;
      pid = s.ppid > 1 ? s.ppid : undefined;
    }
    result.deepest = deepest;
    result.depth = depth;
  }
  return { group, result };
}

async function startThreads(n: number, marker: string): Promise<{ group: ProcessGroup | undefined; result: ThreadsResult }> {
  const py = python();
  if (!py) return { group: undefined, result: { requested: n, reached: 0, pid: undefined, note: 'no python3' } };
  const group = ProcessGroup.start(py, ['-', String(n), marker], { comms: ['python3'], input: THREADS });
  onCleanup(`kill the threaded process's group ${group.pgid}`, () => group.killSync());
  const deadline = Date.now() + 120_000;
  while (!/ready \d+/.test(group.output) && !group.leaderExited && Date.now() < deadline) await sleep(200);
  const m = /ready (\d+) ?(.*)/.exec(group.output);
  const reached = (threadCount(group.pgid) ?? 1) - 1;
  const note = m ? (m[2]?.trim() ? `thread creation stopped: ${m[2].trim()}` : '') : group.leaderExited ? `python3 exited: ${group.stderr.trim().slice(0, 200)}` : 'no report within 120 s';
  return { group, result: { requested: n, reached, pid: group.pgid, note } };
}

function timeIt<T>(f: () => T): { value: T; ms: number } {
  const t = process.hrtime.bigint();
  const value = f();
  return { value, ms: msSince(t) };
}

function measureInProcess(r: Result, deepest: number | undefined, log: (line: string) => void): void {
  const make = (threads: boolean): Sampler => new Sampler({ root: '/proc', passwdPath: '/etc/passwd', threads, now: Date.now });
  log('sampler: a cold scan, then 3 warm ones…');
  const sampler = make(false);
  const cold = timeIt(() => sampler.sample());
  const warm: number[] = [];
  let previous: Snapshot = cold.value;
  let snapshot: Snapshot = cold.value;
  for (let i = 0; i < 3; i++) {
    const s = timeIt(() => sampler.sample());
    warm.push(s.ms);
    previous = snapshot;
    snapshot = s.value;
  }
  log('sampler with threads: a cold scan, then a warm one…');
  const withThreads = make(true);
  withThreads.sample();
  const tw = timeIt(() => withThreads.sample());
  r.scan = {
    coldMs: cold.ms,
    warmMs: warm[warm.length - 1] ?? NaN,
    warmMedianMs: stats(warm).median,
    threadsWarmMs: tw.ms,
    processes: snapshot.processCount,
    rows: snapshot.processes.length,
    threadRows: tw.value.processes.length - tw.value.processCount,
  };
  r.processesOnMachine = snapshot.processCount;
  r.threadRows = r.scan.threadRows;

  log('tree: buildForest + flattenForest over the whole snapshot (median of 5)…');
  const builds: number[] = [];
  const flattens: number[] = [];
  let rows = 0;
  let maxDepth = 0;
  for (let i = 0; i < 5; i++) {
    const f = timeIt(() => buildForest(snapshot.processes));
    const flat = timeIt(() => flattenForest(f.value));
    builds.push(f.ms);
    flattens.push(flat.ms);
    rows = flat.value.length;
    maxDepth = flat.value.reduce((m, row) => Math.max(m, row.depth), 0);
  }
  r.tree = { buildMs: stats(builds).median, flattenMs: stats(flattens).median, rows, maxDepth };

  log(`frame: ${WIDTH}×${HEIGHT}, tree view, chain expanded, its deepest process selected (median of 5)…`);
  const columns = DEFAULT_COLUMNS.map((id) => findColumn(id)).filter((c): c is Column => c !== undefined);
  let state = initialState({ tree: true, highlight: true, readonly: true, showThreads: false, columns: DEFAULT_COLUMNS, delay: 10, theme: 'default', meters: [...ALL_METERS] });
  const target = deepest === undefined ? undefined : snapshot.processes.find((p) => p.pid === deepest && !p.thread);
  if (target) state = { ...state, selected: identityKey(target) };
  const input: FrameInput = { snapshot, previous, width: WIDTH, height: HEIGHT, columns, hostname: os.hostname(), self: { cpu: 1, rss: process.memoryUsage.rss() }, tzOffset: new Date().getTimezoneOffset() };
  // As the app does: the table height of the frame buildView will draw (the header includes proctop's own cost).
  const tableHeight = frameTableHeight(state, input);
  const fr: number[] = [];
  const rc: number[] = [];
  const bv: number[] = [];
  let shown = false;
  let frameRowsCount = 0;
  for (let i = 0; i < 5; i++) {
    const a = timeIt(() => frameRows(state, snapshot, previous));
    const b = timeIt(() => reconcile(state, a.value.rows, tableHeight, a.value.present));
    const c = timeIt(() => buildView(b.value, input, a.value));
    fr.push(a.ms);
    rc.push(b.ms);
    bv.push(c.ms);
    frameRowsCount = a.value.rows.length;
    if (deepest !== undefined) shown = c.value.rows.some((line) => new RegExp(`(^|\\s)${deepest}(\\s|$)`).test(lineText(line)));
  }
  const m = (xs: number[]): number => stats(xs).median;
  r.frame = { frameRowsMs: m(fr), reconcileMs: m(rc), buildViewMs: m(bv), totalMs: m(fr) + m(rc) + m(bv), deepestShown: shown, rows: frameRowsCount };
}

/** Row pids on the screen (PID column), or [] when no table is drawn. */
function screenPids(screen: string): number[] {
  const t = parseScreen(screen);
  if (!t) return [];
  return t.rows.map((row) => rowPid(t.header, row)).filter((p): p is number => p !== undefined);
}

async function keyCheck(term: TmuxSession, what: string, send: () => void, check: (screen: string) => string | undefined): Promise<KeyCheck> {
  const t0 = Date.now();
  send();
  try {
    const detail = await term.waitForScreen((s) => check(s), KEY_CEILING_MS, what);
    const ms = Date.now() - t0;
    return { what, ms, ok: true, detail };
  } catch (err) {
    const screen = term.capture();
    const t = parseScreen(screen);
    const pids = screenPids(screen);
    return { what, ms: undefined, ok: false, detail: `not within ${KEY_CEILING_MS / 1000} s; status "${t?.status.trim() ?? ''}", rows ${pids[0] ?? '?'}…${pids[pids.length - 1] ?? '?'}${err instanceof Error && /exited/.test(err.message) ? '; proctop exited' : ''}` };
  }
}

async function measureTui(r: Result, term: TmuxSession, env: Readonly<Record<string, string>>, opts: ScaleOptions, deepest: number | undefined, chainMarker: string, threaded: ThreadsResult | undefined, threadMarker: string, log: (line: string) => void): Promise<void> {
  const notes: string[] = [];
  const envPairs = Object.entries(env).map(([k, v]) => `${k}=${v}`);
  log('tui: proctop -d 10 -s start in the tmux pane…');
  const t0 = Date.now();
  term.tmux(['respawn-pane', '-k', '-c', REPO, 'env', '-u', 'LC_ALL', 'TERM=xterm-256color', 'LANG=C.UTF-8', ...envPairs, BIN, '-d', '10', '-s', 'start']);
  let firstFrameMs: number | undefined;
  try {
    await term.waitForText(/Tasks:/, 300_000);
    firstFrameMs = Date.now() - t0;
  } catch (err) {
    notes.push(`no first frame: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`);
  }
  const pid = term.panePid();
  const start = readStat(pid)?.starttime;
  onCleanup(`proctop pid ${pid}`, () => {
    const s = readStat(pid);
    if (pid > 1 && s && s.starttime === start) process.kill(pid, 'SIGKILL');
  });
  log(`  first frame after ${firstFrameMs ?? '–'} ms (pid ${pid}); running ${opts.tuiSeconds} s…`);
  const a = cpuTicks(pid);
  const w0 = Date.now();
  await sleep(opts.tuiSeconds * 1000);
  const b = cpuTicks(pid);
  const windowS = (Date.now() - w0) / 1000;
  const rssMb = (statusKb(pid, 'VmRSS') ?? NaN) / 1024;
  const hwmMb = (statusKb(pid, 'VmHWM') ?? NaN) / 1024;
  const statusAtRead = parseScreen(term.capture())?.status.trim() ?? '';
  log(`  RSS ${fmt(rssMb, 1)} MB, HWM ${fmt(hwmMb, 1)} MB; status "${statusAtRead}"`);

  const keys: KeyCheck[] = [];
  const push = (k: KeyCheck): KeyCheck => {
    keys.push(k);
    log(`  ${k.what}: ${k.ok ? `${k.ms} ms` : 'FAILED'} — ${k.detail}`);
    return k;
  };
  push(await keyCheck(term, 't: tree view', () => term.sendKeys('t'), (s) => (/[├└]─/.test(s) ? 'tree guides drawn' : undefined)));
  push(await keyCheck(term, 'K: hide kernel threads', () => term.sendKeys('K'), (s) => (/Kernel threads hidden/.test(s) ? 'status says so' : undefined)));
  if (deepest !== undefined) {
    const end = push(await keyCheck(term, `End: deepest chain pid ${deepest} on screen`, () => term.sendKeys('End'), (s) => (screenPids(s).includes(deepest) ? 'shown' : undefined)));
    if (!end.ok) {
      const pids = screenPids(term.capture());
      notes.push(`End landed on pid ${pids[pids.length - 1] ?? '?'} (${readStat(pids[pids.length - 1] ?? 0)?.comm ?? 'gone'}), not on the chain: a process adopted by init after the chain sorts after it`);
      push(await keyCheck(term, `filter (\\) on the chain's marker, then End: pid ${deepest}`, () => {
        term.sendKeys('\\');
        term.pasteText(chainMarker);
        term.sendKeys('Enter', 'End');
      }, (s) => (screenPids(s).includes(deepest) ? 'shown' : undefined)));
      term.sendKeys('\\', 'Escape');
    }
  }
  if (threaded?.pid !== undefined) {
    const tpid = threaded.pid;
    let tids: Set<number>;
    try {
      tids = new Set(fs.readdirSync(`/proc/${tpid}/task`).map(Number).filter((t) => t !== tpid));
    } catch {
      tids = new Set();
    }
    push(await keyCheck(term, 'H: threads shown', () => term.sendKeys('H'), (s) => (/User threads shown/.test(s) ? 'status says so' : undefined)));
    push(await keyCheck(term, `search (/) for the threaded process: its thread rows on screen`, () => {
      term.sendKeys('/');
      term.pasteText(threadMarker);
      term.sendKeys('Enter');
    }, (s) => {
      const shown = screenPids(s).filter((p) => tids.has(p)).length;
      return screenPids(s).includes(tpid) && shown >= 10 ? `process row and ${shown} of its thread rows visible` : undefined;
    }));
    const before = screenPids(term.capture());
    const want = Math.min(20, Math.floor(tids.size / 3));
    push(await keyCheck(term, 'PageDown through the thread rows', () => term.sendKeys('PageDown'), (s) => {
      const pids = screenPids(s);
      const shown = pids.filter((p) => tids.has(p)).length;
      return pids[0] !== before[0] && shown >= want ? `${shown} thread rows visible` : undefined;
    }));
  }
  const rssEndMb = (statusKb(pid, 'VmRSS') ?? NaN) / 1024;
  const hwmEndMb = (statusKb(pid, 'VmHWM') ?? NaN) / 1024;
  if (term.paneDead()) notes.push(`proctop exited; screen:\n${term.capture()}`);
  r.tui = {
    firstFrameMs,
    rssMb,
    hwmMb,
    cpuPercent: a === undefined || b === undefined ? undefined : ((b - a) / CLOCK_TICKS / windowS) * 100,
    windowS,
    statusAtRead,
    keys,
    rssEndMb,
    hwmEndMb,
    notes,
  };
}

async function run(opts: ScaleOptions, log: (line: string) => void): Promise<Result> {
  const home = privateHome();
  onCleanup(`remove ${home.dir}`, () => home.remove());
  const r: Result = {
    machine: {
      nproc: os.availableParallelism(), memTotalMb: Math.round(os.totalmem() / 2 ** 20), kernel: `${os.type()} ${os.release()}`, node: process.version,
      loadStart: os.loadavg().map((x) => Math.round(x * 100) / 100), loadEnd: [],
    },
    options: opts,
    limits: readLimits(),
    population: { requested: opts.procs, reached: 0, spawnMs: 0, notes: [] },
    notes: [],
  };
  const l = r.limits;
  log(`limits: ulimit -u ${String(l.nprocSoft)}/${String(l.nprocHard)}, pid_max ${String(l.pidMax)}, threads-max ${String(l.threadsMax)}, cgroup pids.max ${String(l.cgroupPidsMax)}, tasks now ${String(l.tasks)}`);
  const need = (l.tasks ?? 0) + opts.procs + opts.chain + opts.threads + 500;
  if (l.pidMax !== undefined && l.pidMax < need) r.notes.push(`pid_max ${l.pidMax} < ${need} tasks needed (now + population + chain + threads + 500)`);
  const chainMarker = `259200.${String(randomBytes(3).readUIntBE(0, 3)).padStart(8, '0')}`;
  const threadMarker = `pst${randomBytes(4).toString('hex')}`;

  let population: Awaited<ReturnType<typeof startPopulation>> | undefined;
  let chain: ProcessGroup | undefined;
  let threads: ProcessGroup | undefined;
  let term: TmuxSession | undefined;
  try {
    if (opts.procs > 0) {
      log(`population: ${opts.procs} idle processes (sleep 100000) in one process group…`);
      population = await startPopulation(opts.procs, log);
      r.population = { requested: opts.procs, reached: population.reached, spawnMs: population.spawnMs, notes: population.notes };
      log(`  ${population.reached} in group ${population.pgid} after ${(population.spawnMs / 1000).toFixed(1)} s`);
    }
    log(`threads: one python3 with ${opts.threads} threads…`);
    const t = await startThreads(opts.threads, threadMarker);
    threads = t.group;
    r.threads = t.result;
    log(`  pid ${String(t.result.pid)}: ${t.result.reached} threads${t.result.note ? ` (${t.result.note})` : ''}`);

    // The tmux server first: it is a child of init, and must be older than the chain's top.
    term = TmuxSession.start(['sleep', '100000'], { width: WIDTH, height: HEIGHT, cwd: REPO, env: home.env });
    const session = term;
    onCleanup(`tmux server ${session.socket}`, () => session.killSync());

    log(`chain: ${opts.chain} processes, each the child of the one before…`);
    const c = await startChain(opts.chain, chainMarker, home.dir, log);
    chain = c.group;
    r.chain = c.result;
    log(`  depth ${String(c.result.depth)} (deepest pid ${String(c.result.deepest)}, top ${String(c.result.top)} under pid ${String(c.result.topParent)}) after ${(c.result.buildMs / 1000).toFixed(1)} s`);

    measureInProcess(r, c.result.deepest, log);
    await measureTui(r, term, home.env, opts, c.result.deepest, chainMarker, r.threads, threadMarker, log);
  } finally {
    log('cleaning up: tmux server, then each process group…');
    if (term) await term.kill().catch((err: unknown) => r.notes.push(`tmux kill: ${String(err)}`));
    r.leftAfter = { chain: chain ? await chain.kill() : 0, threads: threads ? await threads.kill() : 0 };
    if (population) r.population.leftAfterStop = await population.stop();
    home.remove();
  }
  r.machine.loadEnd = os.loadavg().map((x) => Math.round(x * 100) / 100);
  return r;
}

function table(r: Result): string {
  const out: string[] = [];
  const row = (k: string, v: string): void => {
    out.push(`${k.padEnd(46)} ${v}`);
  };
  const l = r.limits;
  out.push(`proctop scale — ${r.machine.nproc} CPUs, ${r.machine.memTotalMb} MB, ${r.machine.kernel}, node ${r.machine.node}; load ${r.machine.loadStart.join(' ')} → ${r.machine.loadEnd.join(' ')}`);
  out.push(`limits: ulimit -u ${String(l.nprocSoft)} (hard ${String(l.nprocHard)}), pid_max ${String(l.pidMax)}, threads-max ${String(l.threadsMax)}, cgroup pids.max ${String(l.cgroupPidsMax)}, root ${l.root}`);
  out.push('');
  const p = r.population;
  row('idle processes (requested → reached)', `${p.requested} → ${p.reached} in ${fmt(p.spawnMs / 1000, 1)} s${p.notes.length ? `; ${p.notes.join('; ')}` : ''}`);
  if (r.chain) row('chain (requested → depth)', `${r.chain.requested} → ${String(r.chain.depth ?? `${r.chain.reached} processes, incomplete`)} in ${fmt(r.chain.buildMs / 1000, 1)} s; deepest pid ${String(r.chain.deepest)}, top's parent ${String(r.chain.topParent)}${r.chain.notes.length ? `; ${r.chain.notes.join('; ')}` : ''}`);
  if (r.threads) row('threaded process (requested → threads)', `${r.threads.requested} → ${r.threads.reached} (pid ${String(r.threads.pid)})${r.threads.note ? `; ${r.threads.note}` : ''}`);
  row('processes / thread rows seen by the sampler', `${String(r.processesOnMachine)} / ${String(r.threadRows)}`);
  out.push('');
  if (r.scan) {
    row('sampler scan, cold (argv, uid, exe for all)', `${fmt(r.scan.coldMs)} ms`);
    row('sampler scan, warm (median of 3)', `${fmt(r.scan.warmMedianMs)} ms`);
    row('sampler scan with threads, warm', `${fmt(r.scan.threadsWarmMs)} ms (${r.scan.threadRows} thread rows)`);
  }
  if (r.tree) row('buildForest + flattenForest', `${fmt(r.tree.buildMs)} + ${fmt(r.tree.flattenMs)} ms (${r.tree.rows} rows, max depth ${r.tree.maxDepth})`);
  if (r.frame) row(`frame ${WIDTH}×${HEIGHT}, tree, deepest selected`, `${fmt(r.frame.totalMs)} ms = frameRows ${fmt(r.frame.frameRowsMs)} + reconcile ${fmt(r.frame.reconcileMs)} + buildView ${fmt(r.frame.buildViewMs)}; deepest on the frame: ${r.frame.deepestShown ? 'yes' : 'NO'}`);
  out.push('');
  const t = r.tui;
  if (t) {
    row('TUI first frame (-d 10)', t.firstFrameMs === undefined ? '–' : `${fmt(t.firstFrameMs / 1000, 1)} s`);
    row(`TUI after ${fmt(t.windowS, 0)} s: RSS / VmHWM`, `${fmt(t.rssMb, 1)} / ${fmt(t.hwmMb, 1)} MB`);
    row(`TUI CPU over those ${fmt(t.windowS, 0)} s`, `${fmt(t.cpuPercent, 1)} % of one core`);
    if (t.statusAtRead) row('TUI status line then', t.statusAtRead);
    for (const k of t.keys) row(k.what, `${k.ok ? `${fmt(k.ms, 0)} ms${k.what.startsWith('End') ? (k.ms !== undefined && k.ms <= RESPONSIVE_MS ? ' (≤ 5 s)' : ' (> 5 s)') : ''}` : 'FAILED'} — ${k.detail}`);
    row('TUI at the end: RSS / VmHWM', `${fmt(t.rssEndMb, 1)} / ${fmt(t.hwmEndMb, 1)} MB`);
    for (const n of t.notes) out.push(`note: ${n}`);
  }
  out.push('');
  row('left after clean-up (population / chain / threads)', `${String(p.leftAfterStop ?? '–')} / ${String(r.leftAfter?.chain ?? '–')} / ${String(r.leftAfter?.threads ?? '–')}`);
  for (const n of r.notes) out.push(`note: ${n}`);
  return out.join('\n');
}

async function main(): Promise<void> {
  const opts = parseOptions(process.argv);
  const log = (line: string): void => {
    process.stderr.write(`${line}\n`);
  };
  const r = await run(opts, log);
  process.stdout.write(`${opts.json ? JSON.stringify(r, null, 2) : table(r)}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`scale: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
