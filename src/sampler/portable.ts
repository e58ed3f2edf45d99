/**
 * The portable sampler: the same {@link Snapshot} as the /proc sampler, built
 * on systeminformation (process list, host memory, CPU load, uptime) and
 * pidusage (per-process CPU and memory), for systems without /proc (macOS,
 * the BSDs). On Linux it can be forced (`--sampler portable`) for testing.
 *
 * NEVER use it on the Linux hot path: `si.processes()` runs `ps` and then one
 * `cat /proc/PID/stat` per process (N forks per scan: ~0.6 s for 100
 * processes, ~13 s for 2,000), and its first `si.currentLoad()` waits 500 ms.
 * Schedule the next sample() after the previous one resolved; concurrent
 * calls are queued, never run side by side. systeminformation returns its
 * previous process list when asked again within 500 ms.
 *
 * What it cannot know is `undefined` where the type allows it (uid, shared,
 * wchan, exeDeleted; cpu on a process's first sample); required numbers it
 * cannot know get a documented stand-in:
 * - pgid and sid: the pid (ps through systeminformation gives neither), so
 *   `orphan` is always false;
 * - threads: 1 (no thread count), tgid = pid, no thread rows;
 * - startTicks: derived from the start time (whole seconds from ps's elapsed
 *   time) in ticks after the boot time of the first sample, kept stable per
 *   pid across samples (see {@link START_TOLERANCE_MS}); it does NOT equal
 *   /proc/PID/stat field 22, so start-time checks must come from this sampler;
 * - cpuTicks / cpuTime: pidusage's CPU time, 0 when pidusage could not read the pid;
 * - kernel: on Linux pid 2 and its children (kthreadd's), elsewhere pid 0.
 */
import { NOTHING_READ } from './optional-reads';
import * as os from 'node:os';
import * as si from 'systeminformation';
import type { Systeminformation } from 'systeminformation';
import { identityKey, ProcessInfo, Snapshot, SystemInfo } from '../model/snapshot';
import { countStates } from '../model/tree';
import { IdentityCache, StateTrack } from './identity-cache';
import { PidUsage, PidusageBatcher } from './portable-pidusage';
import { commandLine, cpuFromLoad, kbToBytes, memoryFromSi, parseStarted, stateLetter, topPriority, totalLoad } from './portable-map';
import { CLOCK_TICKS } from '../procfs/clock';

/**
 * A pid whose parsed start time moved by at most this much since the previous
 * sample is the same process (ps's elapsed time has whole seconds, so the start
 * derived from it jitters by a second); its first start time is kept.
 */
export const START_TOLERANCE_MS = 2000;

export interface PortableSamplerOptions {
  /** Wall clock in ms since the epoch; injected so tests can fake it. */
  readonly now: () => number;
}

/** What the previous sample left for rates and identity. */
interface Previous {
  readonly time: number;
  /** Identities pidusage measured last time: only these get a CPU% now (pidusage's first reading is 0). */
  readonly measured: ReadonlySet<string>;
}

export class PortableSampler {
  private readonly usage = new PidusageBatcher();
  private readonly states = new IdentityCache<StateTrack>();
  /** pid → start time (ms) as first seen, for a stable identity. */
  private starts = new Map<number, number>();
  /** Boot time of the first sample: the fixed origin of startTicks. */
  private tickOrigin: number | undefined;
  private previous: Previous | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;

  constructor(private readonly options: PortableSamplerOptions) {}

  /** One scan; async because systeminformation and pidusage are. Calls are queued in order. */
  sample(): Promise<Snapshot> {
    if (this.closed) return Promise.reject(new Error('PortableSampler is closed'));
    const run = this.queue.then(() => this.scan());
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Releases pidusage's open /proc fds and its history; sample() fails afterwards. */
  close(): void {
    this.closed = true;
    this.usage.close();
  }

  private async scan(): Promise<Snapshot> {
    const [procs, mem, load] = await Promise.all([si.processes(), si.mem(), si.currentLoad(), this.usage.warm()]);
    // The clock is read when pidusage is about to read the processes, not before
    // the (slow) ps run, so `interval` spans the same time as pidusage's CPU%.
    const time = this.options.now();
    const uptime = si.time().uptime;
    const bootTime = time - uptime * 1000;
    this.tickOrigin ??= bootTime;
    const list = procs.list.filter((p) => Number.isInteger(p.pid) && p.pid >= 0);
    const usage = await this.usage.measure(list.filter((p) => p.pid > 0).map((p) => p.pid));

    const memory = memoryFromSi(mem);
    const prev = this.previous;
    const measured = new Set<string>();
    const alive = new Map<string, true>();
    const starts = new Map<number, number>();
    const processes = list.map((p) => {
      const startTime = this.stableStart(p.pid, parseStarted(p.started), time);
      starts.set(p.pid, startTime);
      const info = this.toInfo(p, startTime, usage.get(p.pid), memory.total, time, prev);
      const key = identityKey(info);
      alive.set(key, true);
      if (usage.has(p.pid)) measured.add(key);
      return info;
    });
    this.starts = starts;
    this.states.retainOnly(alive);
    this.previous = { time, measured };

    const system: SystemInfo = {
      cpu: cpuFromLoad(totalLoad(load)),
      cpus: load.cpus.map(cpuFromLoad),
      memory,
      load: loadAverage(),
      uptime,
      bootTime,
      // systeminformation has no fork counter.
      forks: undefined,
    };
    return {
      time,
      interval: prev ? time - prev.time : undefined,
      system,
      processes,
      processCount: processes.length,
      threadCount: processes.reduce((sum, p) => sum + (p.kernel ? 0 : p.threads), 0),
      states: countStates(processes),
      // systeminformation has no cgroup facts: the cgroup columns stay empty on the portable sampler.
      cgroups: [],
      pressure: undefined,
      ownCgroup: undefined,
    };
  }

  private toInfo(
    p: Systeminformation.ProcessesProcessData,
    startTime: number,
    usage: PidUsage | undefined,
    memTotal: number,
    time: number,
    prev: Previous | undefined,
  ): ProcessInfo {
    const linux = process.platform === 'linux';
    const startTicks = Math.max(0, Math.round(((startTime - (this.tickOrigin ?? 0)) * CLOCK_TICKS) / 1000));
    const key = identityKey({ pid: p.pid, startTicks });
    const state = stateLetter(p.state);
    const kernel = linux ? p.pid === 2 || p.parentPid === 2 : p.pid === 0;
    const name = p.name || p.command || String(p.pid);
    const argv = commandLine(p);
    const rss = kbToBytes(p.memRss) ?? usage?.memory;
    // No kernel word here: a state already held when the process is first seen (before the first
    // sample, or by a process older than the previous one) counts from then, as a lower bound.
    const seen = this.states.peek(key) !== undefined;
    const track = this.states.get({ pid: p.pid, startTicks }, (t) => t.state === state, () => ({ state, since: time, lowerBound: !seen && (prev === undefined || startTime < prev.time) }));
    return {
      pid: p.pid,
      startTicks,
      ppid: Number.isInteger(p.parentPid) ? p.parentPid : 0,
      tgid: p.pid,
      pgid: p.pid,
      sid: p.pid,
      tty: p.tty || undefined,
      state,
      name,
      command: kernel || state === 'Z' || argv === '' ? `[${name}]` : argv,
      kernel,
      thread: false,
      uid: undefined,
      user: p.user || undefined,
      priority: topPriority(p.priority, process.platform),
      nice: Number.isFinite(p.nice) ? p.nice : 0,
      threads: 1,
      startTime,
      cpuTicks: usage ? Math.round((usage.ctime * CLOCK_TICKS) / 1000) : 0,
      cpuTime: usage ? usage.ctime / 1000 : 0,
      rss,
      vsz: kbToBytes(p.memVsz) ?? 0,
      shared: undefined,
      // pidusage's first reading of a pid is 0, not a rate: only a second one counts.
      cpu: usage && prev?.measured.has(key) ? usage.cpu : undefined,
      mem: rss !== undefined && memTotal > 0 ? (rss * 100) / memTotal : undefined,
      wchan: undefined,
      stateSince: track.since,
      stateSinceLowerBound: track.lowerBound,
      exeDeleted: undefined,
      orphan: false,
      cgroup: undefined,
      container: undefined,
      unit: undefined,
      cgroupFlags: '',
      // No /proc here: nothing of status, oom_score or io is known.
      ...NOTHING_READ,
    };
  }

  /** The start time first seen for this pid while the parsed one stays within tolerance of it. */
  private stableStart(pid: number, parsed: number | undefined, time: number): number {
    const known = this.starts.get(pid);
    if (parsed === undefined) return known ?? time;
    return known !== undefined && Math.abs(parsed - known) <= START_TOLERANCE_MS ? known : parsed;
  }
}

function loadAverage(): readonly [number, number, number] {
  const [one = 0, five = 0, fifteen = 0] = os.loadavg();
  return [one, five, fifteen];
}
