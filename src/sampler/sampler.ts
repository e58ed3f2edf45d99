import { CgroupInfo, identityKey, ProcessInfo, Snapshot, SystemInfo } from '../model/snapshot';
import type { MemBase } from '../model/settings';
import type { PressureSet } from '../kernel/cgroup';
import { HostReads, HostReadsWanted } from './host-reads';
import { countStates } from '../model/tree';
import { readPasswd, ProcReader, RawSystem } from '../procfs/reader';
import { FdCalls, HeldFiles, heldFdCap } from '../procfs/held-files';
import { bytesField, commandBytes, commandText } from '../procfs/parse/cmdline';
import { PF_KTHREAD, StatRecord } from '../procfs/parse/stat';
import { SystemStat } from '../procfs/parse/system-stat';
import { ttyName } from '../procfs/parse/tty';
import { cpuUsage, totalJiffies } from './cpu-usage';
import { diskRate, netRate } from './throughput';
import type { DiskCounters } from '../procfs/parse/diskstats';
import type { NetCounters } from '../procfs/parse/net-dev';
import { IdentityCache, IdentityFacts, MemoryReading, StateTrack } from './identity-cache';
import { KeySet, pidOfKey } from '../model/identity-index';
import type { StatmRecord } from '../procfs/parse/statm';
import { markOrphans } from './orphans';
import { CGROUP_RECHECK_MS, CgroupTracker, PodNameSource } from './cgroup-tracker';
import { recheckEvery } from './recheck';
import { IoScan, NOTHING_READ, OptionalFields, readOptional } from './optional-reads';
import type { ProcessFile } from '../kernel/process-files';
import type { IoBytes } from '../procfs/parse/io';
import * as os from 'node:os';
import * as path from 'node:path';

import { CLOCK_TICKS } from '../procfs/clock';


/** How often a process's argv is re-read to notice an in-place rewrite (setproctitle). */
export const ARGV_RECHECK_MS = 15_000;

/** Runs a scan to its end without pausing. */
function finish(scan: Generator<void, Snapshot>): Snapshot {
  for (;;) {
    const step = scan.next();
    if (step.done) return step.value;
  }
}

/** Processes read between two pauses of {@link Sampler.sampleInSlices}: about 5–10 ms of work. */
export const SLICE_PROCESSES = 200;

/** How often a process's /proc/PID/exe is re-read to notice a replaced binary. */
export const EXE_RECHECK_MS = 10_000;

export interface SamplerOptions {
  /** procfs root; `/proc` on a live system. */
  readonly root: string;
  /** passwd file for user names. */
  readonly passwdPath: string;
  /** Include one row per thread (from /proc/PID/task) besides each process. */
  readonly threads: boolean;
  /** Wall clock in ms since the epoch; injected so tests can fake it. */
  readonly now: () => number;
  /** Bytes per page; detected from the live /proc when omitted. */
  readonly pageSize?: number;
  /**
   * Prefix of the cgroupfs mount points read from `<root>/self/mountinfo`:
   * '' for the live /proc; for another root, its parent directory (a fixture
   * tree's `sys/fs/cgroup` beside its `proc`).
   */
  readonly cgroupPrefix?: string;
  /**
   * Where Kubernetes pod names come from (each pod's HOSTNAME in /proc/PID/environ); by default
   * read on the live /proc when root, against this host's name.
   */
  readonly podNames?: PodNameSource;
  /**
   * At least how often a process's rarely changing facts are re-read, ms: argv and uid
   * (default {@link ARGV_RECHECK_MS}), exe link ({@link EXE_RECHECK_MS}), cgroup
   * ({@link CGROUP_RECHECK_MS}); each at the larger of its default and this, spread over pids
   * (up to 1.95× it). Each re-read costs syscalls per process on the scans that do it: at a 10 s
   * interval the defaults re-read most processes on every scan, so `record` asks for six intervals.
   * When set, /proc/PID/statm too is re-read only when stat shows the memory may have moved
   * (see {@link Sampler.statmFor}) or after this period (spread over pids); when unset, every scan.
   */
  readonly recheckMs?: number;
  /**
   * Most descriptors of /proc/PID/stat and statm the scan keeps open from one scan to the next, to
   * re-read them with pread instead of an open/read/close each (see {@link HeldFiles}). Default:
   * {@link heldFdCap} of proctop's own RLIMIT_NOFILE on a procfs root; 0 (none) on a fixture tree,
   * whose plain files do not behave as /proc's (a replaced file would still read its old text).
   */
  readonly heldFdCap?: number;
  /** The descriptor calls behind the held files; a fake in tests. */
  readonly fdCalls?: FdCalls;
}

/**
 * The first scan, split (see {@link Sampler.sampleFirstInSlices}): the processes whose argv, uid and
 * statm were left unread, with the stat record each was scanned with, and what a row's MEM% needs.
 */
interface FirstScan {
  snapshot: Snapshot;
  readonly time: number;
  readonly memTotal: number | undefined;
  readonly pending: Map<number, { readonly record: StatRecord; readonly key: string }>;
}

/** A row's argv/uid facts and statm, read after its scan. */
interface Fill {
  readonly facts: IdentityFacts | undefined;
  readonly statm: StatmRecord | undefined;
}

/** What the previous scan left for computing rates. */
interface Previous {
  readonly time: number;
  readonly stat: SystemStat | undefined;
  /** Its number: a {@link Seen} of that scan holds the CPU ticks to take this scan's from. */
  readonly scan: number;
  /** /proc/PID/io storage counters of the processes whose io was read, by identity key. */
  readonly io: ReadonlyMap<string, IoBytes>;
  /** /proc/diskstats and /proc/net/dev counters, for the disk and network meters. */
  readonly disks: readonly DiskCounters[] | undefined;
  readonly net: readonly NetCounters[] | undefined;
}

/**
 * Highest CPU% a row can truly show: a task runs on one CPU at a time, so a thread row or a
 * single-threaded process never exceeds 100, and no process exceeds all CPUs. Above it is the
 * scan's own skew, not work: the period is the jiffies between two scans' /proc/stat reads,
 * while a task's two reads sit wherever it fell in each sliced scan (the event loop runs between
 * slices), so a task read later in this scan than in the last gains more ticks than the period
 * (a thread row showed 125.0 %).
 */
function cpuCap(thread: boolean, threads: number, cpus: number): number {
  return 100 * (thread || threads <= 1 ? 1 : Math.min(threads, cpus));
}

/**
 * A process (or thread row) as the scans last saw it, kept by pid (tid) and updated in place: a
 * scan allocates nothing here for a process it saw before, not even its identity key. Maps built
 * afresh per scan (CPU ticks by key, last rows by pid) grew their tables from empty every time,
 * and the keys were made anew: about 0.6 MiB of a scan's garbage at 2,000 processes.
 */
interface Seen {
  /** Identity: a pid reused by another process gets the slot afresh. */
  startTicks: number;
  /** {@link identityKey} of the process, made once. */
  key: string;
  /** utime + stime at scan `scan`. */
  ticks: number;
  /** Its row in scan `scan`, before orphan marking. */
  row: ProcessInfo;
  /** The scan that last saw it. */
  scan: number;
}

/** States whose start the kernel dates (the task has not run since it entered them): zombie, D, stopped, traced. */
const KERNEL_DATED_STATES: ReadonlySet<string> = new Set(['Z', 'D', 'T', 't']);

const EMPTY_TIMES = { user: 0, nice: 0, system: 0, idle: 0, iowait: 0, irq: 0, softirq: 0, steal: 0 };

/**
 * Turns repeated scans of /proc into snapshots with rates. It keeps only the
 * previous scan's CPU ticks and a cache of what rarely changes (argv, uid),
 * both keyed by pid + start time so a reused PID never inherits another
 * process's numbers, and both evicted when the process is gone.
 */
export class Sampler {
  /** The reader, shared with the signal code's start-time check. */
  readonly reader: ProcReader;
  /** The scan's stat and statm reads, through descriptors held across scans. */
  private readonly held: HeldFiles;
  private readonly cache = new IdentityCache<IdentityFacts>();
  private readonly states = new IdentityCache<StateTrack>();
  private readonly exes = new IdentityCache<{ readonly deleted: boolean | undefined; readonly checked: number }>();
  /** The last statm reading per process and the stat fields it was read beside (only with `recheckMs`). */
  private readonly memory = new IdentityCache<MemoryReading>();
  private readonly pageSize: number;
  private users: Map<number, string>;
  private previous: Previous | undefined;
  private threads: boolean;
  /** Set while cgroups are read (the cgroup columns, the cgroup view, --json). */
  private cgroups: CgroupTracker | undefined;
  /** Host PSI and proctop's own cgroup limits, read when wanted (or, for PSI, while cgroups are read). */
  private readonly host: HostReads;
  private hostWanted: HostReadsWanted = { pressure: false, ownCgroup: false };
  /** What MEM% is a share of: the host's MemTotal, or proctop's own cgroup memory limit when lower. */
  private memBase: MemBase = 'host';
  /** Optional per-process files to read each scan (SWAP, OOM, I/O columns shown, sorted on or queried). */
  private files: ReadonlySet<ProcessFile> = new Set();
  /**
   * Every process (and thread row) of the last scan, by pid (tid): its CPU ticks, and its row,
   * before orphan marking. A row whose every field is unchanged is handed out again instead of its
   * copy: on an idle host most rows are, and a fresh object per process per tick would survive one
   * tick, be promoted and swell the old generation (RSS). Also the set of live identities the
   * caches keep ({@link Sampler.alive}).
   */
  private readonly seen = new Map<number, Seen>();
  /** The identity keys of the last whole scan, for the caches' retainOnly. */
  private readonly alive: KeySet = { has: (key) => this.isAlive(key) };
  /** Scans started; a scan stopped half way (its caller gone) leaves its number on what it saw. */
  private scans = 0;
  /** The row being read, filled in place; copied into the snapshot only when it differs from the last scan's. */
  private readonly scratch = blankRow();

  constructor(private readonly options: SamplerOptions) {
    this.reader = new ProcReader(options.root);
    this.threads = options.threads;
    this.pageSize = options.pageSize ?? this.reader.pageSize();
    this.users = readPasswd(options.passwdPath);
    this.host = new HostReads(this.reader, this.cgroupPrefix());
    const cap = options.heldFdCap ?? envHeldFdCap(process.env.PROCTOP_HELD_FDS) ?? (this.reader.isProcfs() ? heldFdCap(this.reader.ownMaxOpenFiles()) : 0);
    this.held = new HeldFiles(options.root, cap, options.fdCalls);
  }

  /**
   * Closes the descriptors the scan holds (TUI and --once: the source's close; record: at exit).
   * A scan after it still works, opening and closing each file as it reads it.
   */
  close(): void {
    this.held.close();
  }

  /** Descriptors the scan holds open now, and the most it may hold. */
  heldFds(): { readonly held: number; readonly cap: number } {
    return { held: this.held.held, cap: this.held.cap };
  }

  private cgroupPrefix(): string {
    return this.options.cgroupPrefix ?? cgroupPrefixOf(this.options.root);
  }

  /** Read host PSI (the pressure meters) and proctop's own cgroup limits (the container meter) from the next scan on. */
  setHostReads(wanted: HostReadsWanted): void {
    this.hostWanted = wanted;
  }

  /** MEM% against the host's memory or, inside a cgroup with a lower memory limit, against that limit (read from then on). */
  setMemBase(base: MemBase): void {
    this.memBase = base;
  }

  /** Read each process's cgroup and every member cgroup's counters (one per cgroup per scan) from the next scan on. */
  setCgroups(on: boolean): void {
    if (on && this.cgroups === undefined) {
      const pods = this.options.podNames ?? { readEnviron: this.options.root === '/proc' && process.geteuid?.() === 0, hostname: os.hostname() };
      this.cgroups = new CgroupTracker(this.reader, this.cgroupPrefix(), pods, Math.max(CGROUP_RECHECK_MS, this.options.recheckMs ?? 0));
    } else if (!on) {
      this.cgroups = undefined;
    }
  }

  /**
   * Read these optional per-process files from the next scan on: what the columns shown, the sort
   * column and the filter need (each costs one more open/read/close per process per scan).
   * `cgroup` is turned on by {@link Sampler.setCgroups}; `statm` is always read (RES, SHR).
   */
  setProcessFiles(files: Iterable<ProcessFile>): void {
    this.files = new Set(files);
  }

  /** Include thread rows from the next scan on (the `H` key). */
  setThreads(on: boolean): void {
    this.threads = on;
  }

  /** Whether an identity key is a process of the last whole scan (every cache asks it of each of its keys after every scan). */
  private isAlive(key: string): boolean {
    const pid = pidOfKey(key);
    const slot = pid === undefined ? undefined : this.seen.get(pid);
    // Called when a scan ends, after the slots it did not see are gone.
    return slot !== undefined && slot.key === key;
  }

  /** Entries in the per-process caches (argv/uid, state tracking, exe check); each is bounded by the last scan's rows. */
  cacheSizes(): { readonly identity: number; readonly states: number; readonly exes: number; readonly ticks: number; readonly rows: number } {
    return { identity: this.cache.size, states: this.states.size, exes: this.exes.size, ticks: this.seen.size, rows: this.seen.size };
  }

  /**
   * The first scan in two steps, for a first frame sooner (issue 15): every process's stat (state,
   * tree, CPU time, the counts), but argv, uid and statm (COMMAND, USER, RES, SHR, MEM%) only for the
   * pids `show` picks from that partial frame — the rows on screen — then the rest when `rest` is
   * called, right after the first paint. Those three reads were about a third of a cold scan.
   * Until `rest`, the other rows hold the kernel name as their command, no user, and stat's
   * resident size: a caller may only defer what its first frame neither shows, sorts nor filters on.
   * `rest` gives the whole frame, as one {@link Sampler.sampleInSlices} would have: same time, same
   * rows, every field read. Only the first scan can be split (later ones read from caches).
   */
  async sampleFirstInSlices(pause: () => Promise<void>, show: (partial: Snapshot) => Iterable<number>): Promise<{ readonly first: Snapshot; readonly rest: () => Snapshot }> {
    if (this.previous !== undefined) {
      const whole = await this.sampleInSlices(pause);
      return { first: whole, rest: () => whole };
    }
    const pending = new Map<number, { readonly record: StatRecord; readonly key: string }>();
    const split = { pending, memTotal: undefined as number | undefined };
    const scan = this.scan(SLICE_PROCESSES, split);
    let step = scan.next();
    while (!step.done) {
      await pause();
      step = scan.next();
    }
    const first: FirstScan = { snapshot: step.value, time: step.value.time, memTotal: split.memTotal, pending };
    first.snapshot = this.fill(first, show(first.snapshot));
    return { first: first.snapshot, rest: () => (first.snapshot = this.fill(first, [...pending.keys()])) };
  }

  /** The split first scan's snapshot with argv, uid and statm read for these of its pending pids. */
  private fill(first: FirstScan, pids: Iterable<number>): Snapshot {
    const fills = new Map<number, Fill>();
    for (const pid of pids) {
      const wait = first.pending.get(pid);
      if (wait === undefined) continue;
      first.pending.delete(pid);
      fills.set(pid, { facts: this.identityFacts(wait.record, wait.key, first.time), statm: this.statmFor(wait.record, wait.key, first.time) });
    }
    if (fills.size === 0) return first.snapshot;
    const processes = first.snapshot.processes.map((row) => {
      // A thread row shows its process's argv, owner and memory.
      const fill = fills.get(row.thread ? row.tgid : row.pid);
      return fill === undefined ? row : this.filledRow(row, fill, first.memTotal);
    });
    return { ...first.snapshot, processes };
  }

  private filledRow(row: ProcessInfo, fill: Fill, memTotal: number | undefined): ProcessInfo {
    const facts = fill.facts;
    // Gone since its stat was read: the row stays as the scan saw it, as any row of a process that exits mid-scan.
    if (facts === undefined) return row;
    const rss = fill.statm ? fill.statm.resident * this.pageSize : row.rss;
    return {
      ...row,
      command: facts.command,
      nameBytes: facts.nameBytes,
      commandBytes: facts.commandBytes,
      uid: facts.uid,
      user: facts.user,
      rss,
      shared: !row.thread && fill.statm ? fill.statm.shared * this.pageSize : row.shared,
      mem: memTotal && rss !== undefined ? (rss * 100) / memTotal : undefined,
    };
  }

  /** Reads /proc once and returns an immutable snapshot. */
  sample(): Snapshot {
    return finish(this.scan(Infinity));
  }

  /**
   * The monitor's first frame from the processes of its first screen alone (issue 15): the pids
   * `choose` picks from the listing are read in full (stat, argv, uid, statm) and no other. The
   * frame is partial (Snapshot.partial: every process counted, their states and threads not). It
   * is no baseline: the scan after it is a first scan (no CPU% yet) as if it had not run, and finds
   * these rows' argv and uid in its caches. Only before the first scan, without cgroups (their
   * table counts every process) or thread rows.
   */
  sampleScreen(choose: (pids: readonly number[]) => readonly number[]): Snapshot {
    if (this.previous !== undefined || this.cgroups !== undefined || this.threads) throw new Error('sampleScreen: only for a first scan without cgroups or threads');
    return finish(this.scan(Infinity, undefined, choose));
  }

  /**
   * The same scan, handing control back through `pause` after every
   * SLICE_PROCESSES processes, so a key pressed during a long scan (hundreds
   * of ms at 8,000 processes) is handled within a slice, not after the scan.
   * One scan at a time: the caller waits for it before starting the next.
   */
  async sampleInSlices(pause: () => Promise<void>, slice = SLICE_PROCESSES): Promise<Snapshot> {
    const scan = this.scan(slice);
    for (;;) {
      const step = scan.next();
      if (step.done) return step.value;
      await pause();
    }
  }

  /**
   * The scan, pausing (yielding) after every `slice` processes. With `split` (the first scan only),
   * argv, uid and statm are left unread and each process is put in `split.pending` instead.
   */
  private *scan(slice: number, split?: { readonly pending: Map<number, { readonly record: StatRecord; readonly key: string }>; memTotal: number | undefined }, screen?: (pids: readonly number[]) => readonly number[]): Generator<void, Snapshot> {
    const time = this.options.now();
    const scanNo = ++this.scans;
    const seen = this.seen;
    const system = this.reader.readSystem();
    const stat = system.stat;
    const prev = this.previous;
    // Per-process CPU% is measured against the jiffies that passed on one
    // CPU, as htop does, so the clock and scan duration don't skew it.
    const cpuCount = Math.max(1, stat?.cpus.length ?? 1);
    const period = stat && prev?.stat ? (totalJiffies(stat.total) - totalJiffies(prev.stat.total)) / cpuCount : 0;
    const own = this.hostWanted.ownCgroup || this.memBase === 'cgroup' ? this.host.ownCgroup(time) : undefined;
    const memTotal = memoryBase(system.memory?.total, this.memBase === 'cgroup' ? own?.memoryLimit : undefined);
    if (split) split.memTotal = memTotal;
    const processes: ProcessInfo[] = [];
    const bootTime = (stat?.bootTime ?? 0) * 1000;
    const cgroups = this.cgroups;
    const files = this.files;
    const io: IoScan = { now: new Map(), before: prev?.io, intervalMs: prev ? time - prev.time : 0 };

    const add = (record: StatRecord, tgid: number, thread: boolean, parentInfo?: ProcessInfo): ProcessInfo | undefined => {
      const known = seen.get(record.pid);
      const slot = known !== undefined && known.startTicks === record.startTicks ? known : undefined;
      const key = slot !== undefined ? slot.key : identityKey({ pid: record.pid, startTicks: record.startTicks });
      const deferred = split !== undefined && parentInfo === undefined;
      if (deferred) split.pending.set(record.pid, { record, key });
      const fixed = parentInfo ?? (deferred ? unreadFacts(record) : this.identityFacts(record, key, time));
      if (fixed === undefined) return undefined; // exited after its stat was read
      const ticksNow = record.utime + record.stime;
      const before = slot !== undefined && slot.scan === prev?.scan ? slot.ticks : undefined;
      const cpu = before === undefined || period <= 0 ? undefined : Math.min(cpuCap(thread, record.numThreads, cpuCount), Math.max(0, ((ticksNow - before) * 100) / period));
      // RES and SHR from one read of statm, as top and htop do: stat's field 24 is, on current
      // kernels, an approximate sum of per-CPU counters (13–106 pages below statm and VmRSS were
      // seen on 6.18), and SHR from statm then exceeded it. A thread row shares its leader's memory.
      const statm = thread || deferred ? undefined : this.statmFor(record, key, time);
      const rss = thread && parentInfo ? parentInfo.rss : statm ? statm.resident * this.pageSize : record.rssPages * this.pageSize;
      // Threads share their process's cgroup (v2 threaded subtrees aside).
      const place = parentInfo !== undefined || cgroups === undefined ? undefined : cgroups.place(record.pid, key, time);
      const startTime = bootTime + (record.startTicks * 1000) / CLOCK_TICKS;
      const track = this.stateTrack(record, key, time, prev === undefined || startTime < prev.time);
      // A thread row shares its process's memory (swap) and OOM standing; per-thread I/O is not read.
      const extra: OptionalFields = parentInfo ? NOTHING_READ : readOptional(this.reader, record.pid, key, fixed.kernel, files, io);
      // Filled in place and copied only when some field differs from the last scan's row: on an idle
      // host most rows are unchanged, and a fresh object per process per scan was most of a scan's garbage.
      const info = this.scratch;
      info.pid = record.pid;
      info.startTicks = record.startTicks;
      info.ppid = record.ppid;
      info.tgid = tgid;
      info.pgid = record.pgrp;
      info.sid = record.session;
      info.tty = ttyName(record.ttyNr);
      info.state = record.state;
      info.name = record.comm;
      info.command = fixed.command;
      info.nameBytes = fixed.nameBytes;
      info.commandBytes = fixed.commandBytes;
      info.kernel = fixed.kernel;
      info.thread = thread;
      info.uid = fixed.uid;
      info.user = fixed.user;
      info.priority = record.priority;
      info.nice = record.nice;
      info.threads = record.numThreads;
      info.startTime = startTime;
      info.cpuTicks = ticksNow;
      info.cpuTime = ticksNow / CLOCK_TICKS;
      info.rss = rss;
      info.vsz = record.vsize;
      info.shared = statm ? statm.shared * this.pageSize : undefined;
      info.cpu = cpu;
      info.mem = memTotal && rss !== undefined ? (rss * 100) / memTotal : undefined;
      // wchan costs a read per process: only D-state (stuck) ones need it.
      info.wchan = record.state === 'D' ? this.reader.readWchan(record.pid) : undefined;
      info.stateSince = track.since;
      info.stateSinceLowerBound = track.lowerBound;
      info.exeDeleted = thread ? parentInfo?.exeDeleted : fixed.kernel ? false : this.exeDeleted(record, key, time);
      info.orphan = false;
      info.cgroup = parentInfo !== undefined ? parentInfo.cgroup : place?.membership?.path;
      info.container = parentInfo !== undefined ? parentInfo.container : place?.container;
      info.unit = parentInfo !== undefined ? parentInfo.unit : place?.unit;
      info.cgroupFlags = '';
      info.swap = parentInfo ? parentInfo.swap : extra.swap;
      info.oomScore = parentInfo ? parentInfo.oomScore : extra.oomScore;
      info.oomScoreAdj = parentInfo ? parentInfo.oomScoreAdj : extra.oomScoreAdj;
      info.ioReadRate = extra.ioReadRate;
      info.ioWriteRate = extra.ioWriteRate;
      info.ioDenied = extra.ioDenied;
      const row: ProcessInfo = slot !== undefined && sameFields(slot.row, info) ? slot.row : { ...info };
      if (slot === undefined) {
        seen.set(record.pid, { startTicks: record.startTicks, key, ticks: ticksNow, row, scan: scanNo });
      } else {
        slot.ticks = ticksNow;
        slot.row = row;
        slot.scan = scanNo;
      }
      processes.push(row);
      return row;
    };

    let done = 0;
    this.held.beginScan();
    const listed = this.reader.listPids();
    const pids = screen === undefined ? listed : screen(listed);
    // Indexed, not for-of: inside a generator, for-of left an iterator result per process.
    for (let i = 0; i < pids.length; i++) {
      const pid = pids[i] as number;
      if (++done % slice === 0) yield;
      const record = this.held.readStat(pid);
      if (!record) continue; // vanished between listing and reading
      const info = add(record, pid, false);
      if (!info) continue;
      if (this.threads && !info.kernel && record.numThreads > 1) {
        for (const tid of this.reader.listTasks(pid)) {
          if (tid === pid) continue;
          const task = this.reader.readStat(pid, tid);
          if (task) add(task, pid, true, info);
        }
      }
    }
    if (screen !== undefined) {
      // None of the book-keeping below: the whole scan that follows does it, and takes the baseline.
      const few = this.snapshot(time, prev, system, processes, [], this.hostWanted.pressure ? this.host.pressure() : undefined);
      return { ...few, processCount: listed.length, partial: true, ...(this.hostWanted.ownCgroup ? { ownCgroup: own } : {}) };
    }
    // Descriptors of processes this scan did not list (exited) are closed.
    this.held.endScan();
    // forEach, not for-of: no [key, slot] pair per process (deleting the current entry is safe).
    seen.forEach((slot, pid) => {
      if (slot.scan !== scanNo) seen.delete(pid);
    });
    this.cache.retainOnly(this.alive);
    this.states.retainOnly(this.alive);
    this.exes.retainOnly(this.alive);
    this.memory.retainOnly(this.alive);
    this.previous = { time, stat, scan: scanNo, io: io.now, disks: system.disks, net: system.net };
    const table = cgroups?.finish(time, this.alive);
    const marked = markOrphans(processes);
    const pressure = this.hostWanted.pressure || cgroups !== undefined ? this.host.pressure() : undefined;
    const snapshot = this.snapshot(time, prev, system, table === undefined ? marked : flagged(marked, table.cgroups), table?.cgroups ?? [], pressure);
    return this.hostWanted.ownCgroup ? { ...snapshot, ownCgroup: own } : snapshot;
  }

  /**
   * Whether the executable was deleted or replaced (an upgrade the process
   * hasn't picked up). readlink per process is cheap but not free, so it is
   * re-checked every EXE_RECHECK_MS (or `recheckMs`, when longer) per process, not every tick.
   */
  private exeDeleted(record: StatRecord, key: string, time: number): boolean | undefined {
    // The first frame waits for the first scan: it leaves exe unknown and the next scan reads it.
    if (this.previous === undefined) return undefined;
    // Spread over pids, so 2,000 processes first seen together are not all re-read in the same tick.
    const every = recheckEvery(record.pid, Math.max(EXE_RECHECK_MS, this.options.recheckMs ?? 0));
    const cached = this.exes.peek(key);
    if (cached !== undefined && time - cached.checked < every) return cached.deleted;
    const exe = this.reader.readExe(record.pid);
    return this.exes.put(key, { deleted: exe === undefined ? undefined : exe.endsWith(' (deleted)'), checked: time }).deleted;
  }

  /**
   * /proc/PID/statm (RES, SHR). Without `recheckMs`, read every scan. With it (`record`), the last
   * reading stands while the stat just read shows none of the ways resident memory moves: no
   * page fault (minflt, majflt: every page mapped in comes through one), no CPU tick, no change of
   * the virtual size (munmap, brk, mremap) or of stat's own rss; and at most `recheckMs` (spread
   * over pids), for what moves with none of these signs (reclaim, swap-out, a short madvise that
   * took less than a tick). On an idle host most processes show none, and statm was a third of a
   * scan's syscalls (one open/read/close per process): bench:history and the README.
   */
  private statmFor(record: StatRecord, key: string, time: number): StatmRecord | undefined {
    const base = this.options.recheckMs;
    if (base === undefined) return this.held.readStatm(record.pid);
    const ticks = record.utime + record.stime;
    const last = this.memory.peek(key);
    if (last !== undefined && last.minflt === record.minflt && last.majflt === record.majflt && last.ticks === ticks
      && last.vsize === record.vsize && last.rssPages === record.rssPages && time - last.readAt < recheckEvery(record.pid, base)) return last.statm;
    const statm = this.held.readStatm(record.pid);
    if (statm !== undefined) this.memory.put(key, { statm, minflt: record.minflt, majflt: record.majflt, ticks, vsize: record.vsize, rssPages: record.rssPages, readAt: time });
    return statm;
  }

  /**
   * When the process entered its state. Z, D and T/t take the kernel's word: se.exec_start in
   * /proc/PID/sched is when the task last ran (it exited, or went to sleep), and proctop's own
   * se.exec_start, read just after, is the scheduler clock now. Read only when such a state is
   * first seen, so a scan pays nothing for it. Otherwise the state counts from the scan that saw
   * it begin; one that began before proctop could see it (`existed`: the process is older than the
   * previous scan and this is its first sight, or this is the first scan) gets that scan's time
   * as a lower bound.
   */
  private stateTrack(record: StatRecord, key: string, time: number, existed: boolean): StateTrack {
    const track = this.states.peek(key);
    if (track !== undefined && track.state === record.state) return track;
    const ranAgo = KERNEL_DATED_STATES.has(record.state) ? this.msSinceLastRan(record.pid) : undefined;
    if (ranAgo !== undefined) return this.states.put(key, { state: record.state, since: Math.round(time - ranAgo), lowerBound: false });
    return this.states.put(key, { state: record.state, since: time, lowerBound: track === undefined && existed });
  }

  /** How long ago (ms) a process last ran, on the scheduler clock; undefined without /proc/PID/sched. */
  private msSinceLastRan(pid: number): number | undefined {
    const last = this.reader.readSchedExecStart(pid);
    const now = last === undefined ? undefined : this.reader.readSchedExecStart('self');
    return last === undefined || now === undefined ? undefined : Math.max(0, now - last);
  }

  private snapshot(time: number, prev: Previous | undefined, raw: RawSystem, processes: ProcessInfo[], cgroups: readonly CgroupInfo[], pressure: PressureSet | undefined): Snapshot {
    const procs = processes.filter((p) => !p.thread);
    return {
      time,
      interval: prev ? time - prev.time : undefined,
      system: this.systemInfo(raw, prev, time),
      processes,
      processCount: procs.length,
      threadCount: procs.reduce((sum, p) => sum + (p.kernel ? 0 : p.threads), 0),
      states: countStates(procs),
      cgroups,
      pressure,
      ownCgroup: undefined,
      ...(prev === undefined && (raw.disks !== undefined || raw.net !== undefined) ? { ratesNext: { disk: raw.disks !== undefined, net: raw.net !== undefined } } : {}),
    };
  }

  private systemInfo(raw: RawSystem, prev: Previous | undefined, time: number): SystemInfo {
    const stat = raw.stat;
    const before = prev?.stat;
    const ms = prev === undefined ? 0 : time - prev.time;
    const disk = diskRate(prev?.disks, raw.disks, ms);
    const net = netRate(prev?.net, raw.net, ms);
    return {
      cpu: cpuUsage(stat?.total ?? EMPTY_TIMES, before?.total),
      cpus: (stat?.cpus ?? []).map((c, i) => cpuUsage(c, before?.cpus[i])),
      memory: raw.memory ?? { total: 0, free: 0, used: 0, buffers: 0, cache: 0, available: 0, swapTotal: 0, swapUsed: 0 },
      load: raw.loadavg?.load ?? [0, 0, 0],
      uptime: raw.uptime ?? 0,
      bootTime: (stat?.bootTime ?? 0) * 1000,
      forks: stat?.forks,
      ...(disk === undefined ? {} : { disk }),
      ...(net === undefined ? {} : { net }),
    };
  }

  /**
   * argv, uid and user name: read once per (pid, start time), then cached.
   * Undefined when the process exited after its stat was read (its directory
   * is gone), so the scan drops it instead of listing a nameless row.
   */
  private identityFacts(record: StatRecord, key: string, now: number): IdentityFacts | undefined {
    const kernel = (record.flags & PF_KTHREAD) !== 0;
    // A changed comm or argv address means the process exec'd (a fork is first
    // seen with its parent's argv) or renamed itself: read argv again.
    // setproctitle rewrites argv in place with neither sign: a slow re-read, spread over pids, catches it.
    const every = recheckEvery(record.pid, Math.max(ARGV_RECHECK_MS, this.options.recheckMs ?? 0));
    const cached = this.cache.peek(key);
    if (cached !== undefined && cached.comm === record.comm && cached.argStart === record.argStart && now - cached.readAt < every) return cached;
    const read = kernel ? undefined : this.reader.readArgvExact(record.pid);
    const argv = read?.argv ?? [];
    const uid = this.reader.readUid(record.pid);
    // stat() of /proc/PID fails only when the directory is gone: confirm with its stat file.
    if (uid === undefined && this.reader.readStat(record.pid)?.startTicks !== record.startTicks) return undefined;
    const command = commandText(argv, record.comm);
    // Exact bytes only where the text lost some (U+FFFD): a rare second read of stat for the comm.
    const badComm = record.comm.includes('\ufffd') ? this.reader.readCommBytes(record.pid) : undefined;
    const badCommand = read?.invalid !== undefined || (argv.length === 0 && badComm !== undefined);
    const commandRaw = badCommand ? commandBytes(read?.invalid ?? new Uint8Array(0), badComm ?? Buffer.from(record.comm)) : undefined;
    return this.cache.put(key, {
      comm: record.comm,
      argStart: record.argStart,
      readAt: now,
      command,
      nameBytes: bytesField(badComm),
      commandBytes: bytesField(commandRaw),
      kernel,
      uid,
      user: this.userName(uid),
    });
  }

  private userName(uid: number | undefined): string | undefined {
    if (uid === undefined) return undefined;
    let name = this.users.get(uid);
    if (name === undefined) {
      // A user added since start (useradd during an incident): reread once per unknown uid.
      this.users = readPasswd(this.options.passwdPath);
      name = this.users.get(uid);
      if (name === undefined) this.users.set(uid, String(uid));
    }
    return name ?? String(uid);
  }
}

/**
 * `PROCTOP_HELD_FDS=N`: at most N held descriptors (0: open/read/close every file, as before), in
 * every front end; for the benches' side-by-side runs, and a way out should holding them ever hurt.
 */
function envHeldFdCap(value: string | undefined): number | undefined {
  return value !== undefined && /^\d{1,9}$/.test(value) ? Number(value) : undefined;
}

/** MemTotal, or a lower cgroup memory limit: a container's processes then add up to 100 % of what they may use. */
/**
 * A split first scan's stand-in for facts not read yet: the kernel name as command (as for a process
 * whose argv cannot be read), no owner. Never cached: the fill reads the real ones.
 */
function unreadFacts(record: StatRecord): IdentityFacts {
  return {
    comm: record.comm,
    argStart: record.argStart,
    readAt: 0,
    command: commandText([], record.comm),
    nameBytes: undefined,
    commandBytes: undefined,
    kernel: (record.flags & PF_KTHREAD) !== 0,
    uid: undefined,
    user: undefined,
  };
}

function memoryBase(total: number | undefined, limit: number | undefined): number | undefined {
  return limit !== undefined && limit > 0 && (total === undefined || limit < total) ? limit : total;
}

/** Rows whose cgroup has flags, copied with them; the rest are kept as they are. */
function flagged(processes: ProcessInfo[], cgroups: readonly CgroupInfo[]): ProcessInfo[] {
  const flags = new Map<string, string>();
  for (const c of cgroups) if (c.flags !== '') flags.set(c.path, c.flags);
  if (flags.size === 0) return processes;
  return processes.map((p) => {
    const f = p.cgroup === undefined ? undefined : flags.get(p.cgroup);
    return f === undefined ? p : { ...p, cgroupFlags: f };
  });
}

/** A row the scan fills in place (see {@link Sampler.scratch}). */
type RowDraft = { -readonly [K in keyof ProcessInfo]: ProcessInfo[K] };

/** A row with every field present, in the order the scan fills them (one object shape for all rows). */
function blankRow(): RowDraft {
  return {
    pid: 0, startTicks: 0, ppid: 0, tgid: 0, pgid: 0, sid: 0, tty: undefined, state: '?', name: '', command: '', nameBytes: undefined, commandBytes: undefined,
    kernel: false, thread: false, uid: undefined, user: undefined, priority: 0, nice: 0, threads: 0, startTime: 0, cpuTicks: 0, cpuTime: 0, rss: undefined,
    vsz: 0, shared: undefined, cpu: undefined, mem: undefined, wchan: undefined, stateSince: 0, stateSinceLowerBound: false, exeDeleted: undefined, orphan: false,
    cgroup: undefined, container: undefined, unit: undefined, cgroupFlags: '', swap: undefined, oomScore: undefined, oomScoreAdj: undefined,
    ioReadRate: undefined, ioWriteRate: undefined, ioDenied: undefined,
  };
}

/**
 * Whether two rows hold the same value in every field (all fields are primitives). Spelt out field
 * by field: a loop over the keys read each number through a keyed load, which boxed every
 * non-small-integer number of the row being filled (start time, CPU time, MEM%): ~0.1 MiB of a
 * scan's garbage at 2,000 processes. A unit test checks that every field of a row is compared.
 */
export function sameFields(a: ProcessInfo, b: ProcessInfo): boolean {
  return (
    a.pid === b.pid && a.startTicks === b.startTicks && a.ppid === b.ppid && a.tgid === b.tgid && a.pgid === b.pgid && a.sid === b.sid &&
    a.tty === b.tty && a.state === b.state && a.name === b.name && a.command === b.command && a.nameBytes === b.nameBytes &&
    a.commandBytes === b.commandBytes && a.kernel === b.kernel && a.thread === b.thread && a.uid === b.uid && a.user === b.user &&
    a.priority === b.priority && a.nice === b.nice && a.threads === b.threads && a.startTime === b.startTime &&
    a.cpuTicks === b.cpuTicks && a.cpuTime === b.cpuTime && a.rss === b.rss && a.vsz === b.vsz && a.shared === b.shared &&
    a.cpu === b.cpu && a.mem === b.mem && a.wchan === b.wchan && a.stateSince === b.stateSince &&
    a.stateSinceLowerBound === b.stateSinceLowerBound && a.exeDeleted === b.exeDeleted && a.orphan === b.orphan && a.cgroup === b.cgroup &&
    a.container === b.container && a.unit === b.unit && a.cgroupFlags === b.cgroupFlags && a.swap === b.swap &&
    a.oomScore === b.oomScore && a.oomScoreAdj === b.oomScoreAdj && a.ioReadRate === b.ioReadRate && a.ioWriteRate === b.ioWriteRate &&
    a.ioDenied === b.ioDenied
  );
}

/** Where cgroupfs mount points are found for a procfs root: as they are for /proc, else in a fixture tree beside its `proc`. */
export function cgroupPrefixOf(root: string): string {
  return root === '/proc' ? '' : path.dirname(root);
}
