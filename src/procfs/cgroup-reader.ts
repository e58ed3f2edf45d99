import * as path from 'node:path';
import type { PressureSet } from '../kernel/cgroup';
import { CgroupMembership, membership, parseCgroup } from './parse/cgroup';
import { CpuCounters, CpuQuota, parseCfsQuota, parseCpuMax, parseCpuStat } from './parse/cgroup-cpu';
import { parseOomKills } from './parse/cgroup-memory';
import { Limit, parseCount, parseLimit } from './parse/cgroup-value';
import { CgroupMount, parseCgroupMounts } from './parse/mountinfo';
import { parsePressure, Pressure } from './parse/pressure';
import { dockerConfigName } from './parse/docker-config';
import { orUndefined, Result } from '../base/result';
import { ProcReader } from './reader';

export type { PressureSet };

/** The limits of a cgroup, which change rarely: a caller may pass the last ones read to skip their files. */
export type CgroupLimits = Pick<CgroupRawStats, 'quota' | 'memoryLimit' | 'pidsLimit'>;

/** What one read of a cgroup's files found; every field undefined when its file is missing or unreadable. */
export interface CgroupRawStats {
  readonly cpu: CpuCounters | undefined;
  readonly quota: CpuQuota | undefined;
  /** Bytes charged; v2 memory.current, v1 memory.usage_in_bytes. */
  readonly memory: number | undefined;
  /** v2 memory.max, v1 memory.limit_in_bytes (its "unlimited" huge value reads as `max`). */
  readonly memoryLimit: Limit | undefined;
  /** Swap bytes; v2 memory.swap.current, v1 memsw.usage − usage. */
  readonly swap: number | undefined;
  readonly oomKills: number | undefined;
  readonly pids: number | undefined;
  readonly pidsLimit: Limit | undefined;
  /** v2 only: the cgroup's own *.pressure files. */
  readonly pressure: PressureSet | undefined;
}

/** Most distinct /proc/PID/cgroup texts {@link CgroupReader.membership} keeps parsed (one per cgroup set in use). */
export const MEMBERSHIP_CACHE_CAP = 4096;

/**
 * Reads cgroupfs: where each hierarchy is mounted (from mountinfo, once),
 * which cgroup a process is in, and a cgroup's counters and limits. Like the
 * procfs reader it never throws: a missing controller, an unreadable file or
 * a cgroup that vanished leaves the field undefined.
 */
export class CgroupReader {
  readonly mounts: readonly CgroupMount[];
  private readonly v2: CgroupMount | undefined;
  private readonly v1 = new Map<string, CgroupMount>();
  /**
   * Memberships by the /proc/PID/cgroup text they were parsed from: processes in the same cgroups
   * share one (immutable) membership. Each of ~4,250 processes held its own v1 map, the text its
   * paths were sliced from and its controller names: ~3.7 MB of a ~14 MB live heap in `serve`.
   * Emptied when it reaches MEMBERSHIP_CACHE_CAP distinct texts, so it stays bounded.
   */
  private memberships = new Map<string, CgroupMembership>();

  /**
   * @param proc the procfs reader (its buffer and root are shared).
   * @param prefix prepended to mount points: '' live; a fixture tree's root,
   *   whose `sys/fs/cgroup/…` stands for the real one.
   */
  constructor(private readonly proc: ProcReader, private readonly prefix: string) {
    const text = proc.readText('self/mountinfo');
    this.mounts = text === undefined ? [] : parseCgroupMounts(text);
    this.v2 = this.mounts.find((m) => m.version === 2);
    for (const m of this.mounts) for (const c of m.controllers) this.v1.set(c, m);
  }

  /** Whether any cgroup hierarchy is mounted where proctop can see it. */
  get available(): boolean {
    return this.mounts.length > 0;
  }

  /** /proc/PID/cgroup (or /proc/self/cgroup) as a membership; undefined when unreadable or the process is gone. */
  membership(pid: number | 'self'): CgroupMembership | undefined {
    const text = this.proc.readText(`${pid}/cgroup`);
    if (text === undefined) return undefined;
    const known = this.memberships.get(text);
    if (known !== undefined) return known;
    const entries = parseCgroup(text);
    if (!entries.ok) return undefined;
    const parsed = membership(entries.value);
    if (this.memberships.size >= MEMBERSHIP_CACHE_CAP) this.memberships = new Map();
    this.memberships.set(text, parsed);
    return parsed;
  }

  /** Directory of `cgroup` in the v2 hierarchy, or in the v1 hierarchy of `controller`. */
  dir(cgroup: string, controller?: string): string | undefined {
    const mount = controller === undefined ? this.v2 : this.v1.get(controller);
    if (mount === undefined) return undefined;
    // Inside a container the mount shows only its own subtree: strip that root from the path.
    const root = mount.root === '/' ? '' : mount.root;
    const rel = root !== '' && (cgroup === root || cgroup.startsWith(`${root}/`)) ? cgroup.slice(root.length) : cgroup;
    return path.join(this.prefix, mount.mountPoint, rel);
  }

  /**
   * `cgroup` and its ancestors that the mount shows, deepest first, each with its directory in the
   * v2 hierarchy or in the v1 hierarchy of `controller`: inside a container the walk ends at the
   * container's own cgroup, the root of what it can see.
   */
  ancestors(cgroup: string, controller?: string): { readonly path: string; readonly dir: string }[] {
    const mount = controller === undefined ? this.v2 : this.v1.get(controller);
    if (mount === undefined) return [];
    const out: { path: string; dir: string }[] = [];
    for (let at = cgroup; ; at = path.posix.dirname(at)) {
      const dir = this.dir(at, controller);
      if (dir !== undefined) out.push({ path: at, dir });
      if (at === '/' || at === '' || at === mount.root) break;
    }
    return out;
  }

  /** A file of a cgroup directory as text; undefined when missing or unreadable. */
  readFile(dir: string, name: string): string | undefined {
    return this.proc.readPath(`${dir}/${name}`);
  }

  /**
   * Counters and limits of the cgroup a membership names. On v2 they come
   * from the unified directory; what it lacks (the hybrid layout keeps the
   * controllers on v1) comes from the v1 controllers where the process's path
   * there is the same one.
   */
  readStats(m: CgroupMembership, limits?: CgroupLimits): CgroupRawStats {
    const v2dir = m.version === 2 && m.v2 !== undefined ? this.dir(m.v2) : undefined;
    // A v1 controller counts only where the process sits in a cgroup of the same path: on this VM
    // processes are in memory:/process_api/… but cpu:/, and the root's CPU is not that cgroup's.
    const v1dir = (c: string): string | undefined => (m.v1.get(c) === m.path ? this.dir(m.path, c) : undefined);
    const file = (dir: string | undefined, name: string): string | undefined => (dir === undefined ? undefined : this.proc.readPath(`${dir}/${name}`));
    const parsed = <T>(dir: string | undefined, name: string, parse: (text: string, file: string) => Result<T>): T | undefined => {
      const text = file(dir, name);
      if (text === undefined) return undefined;
      const value = parse(text, name);
      return orUndefined(value);
    };

    const v2stat = file(v2dir, 'cpu.stat');
    let cpu = v2stat === undefined ? undefined : parseCpuStat(v2stat);
    let quota = limits !== undefined ? limits.quota : parsed(v2dir, 'cpu.max', parseCpuMax);
    const cpuDir = v1dir('cpu');
    if (cpu === undefined || cpu.periods === undefined) {
      const v1stat = file(cpuDir, 'cpu.stat');
      const usageNs = parsed(v1dir('cpuacct'), 'cpuacct.usage', parseCount);
      const throttling = v1stat === undefined ? undefined : parseCpuStat(v1stat);
      const usageUsec = cpu?.usageUsec ?? (usageNs === undefined ? undefined : Math.floor(usageNs / 1000));
      if (usageUsec !== undefined || throttling !== undefined) {
        cpu = { usageUsec, periods: throttling?.periods, throttled: throttling?.throttled, throttledUsec: throttling?.throttledUsec };
      }
    }
    if (quota === undefined && limits === undefined) {
      const q = file(cpuDir, 'cpu.cfs_quota_us');
      const p = file(cpuDir, 'cpu.cfs_period_us');
      const value = q === undefined || p === undefined ? undefined : parseCfsQuota(q, p);
      quota = value === undefined ? undefined : orUndefined(value);
    }
    const memory = this.memoryStats(v2dir, v1dir('memory'), parsed, limits);
    const pids = this.pidsStats(v2dir, v1dir('pids'), parsed, limits);
    return { cpu, quota, ...memory, ...pids, pressure: v2dir === undefined ? undefined : this.pressureIn(v2dir, '.pressure') };
  }

  private memoryStats(v2dir: string | undefined, v1dir: string | undefined, parsed: Parse, limits: CgroupLimits | undefined): Pick<CgroupRawStats, 'memory' | 'memoryLimit' | 'swap' | 'oomKills'> {
    const current = parsed(v2dir, 'memory.current', parseCount);
    if (current !== undefined) {
      return { memory: current, memoryLimit: limits !== undefined ? limits.memoryLimit : parsed(v2dir, 'memory.max', parseLimit), swap: parsed(v2dir, 'memory.swap.current', parseCount), oomKills: parsed(v2dir, 'memory.events', parseOomKills) };
    }
    const usage = parsed(v1dir, 'memory.usage_in_bytes', parseCount);
    if (usage === undefined) return { memory: undefined, memoryLimit: undefined, swap: undefined, oomKills: undefined };
    const memsw = parsed(v1dir, 'memory.memsw.usage_in_bytes', parseCount);
    return {
      memory: usage,
      memoryLimit: limits !== undefined ? limits.memoryLimit : parsed(v1dir, 'memory.limit_in_bytes', parseLimit),
      swap: memsw === undefined ? undefined : Math.max(0, memsw - usage),
      oomKills: parsed(v1dir, 'memory.oom_control', parseOomKills),
    };
  }

  private pidsStats(v2dir: string | undefined, v1dir: string | undefined, parsed: Parse, limits: CgroupLimits | undefined): Pick<CgroupRawStats, 'pids' | 'pidsLimit'> {
    const v2 = parsed(v2dir, 'pids.current', parseCount);
    const dir = v2 !== undefined ? v2dir : v1dir;
    return { pids: v2 ?? parsed(v1dir, 'pids.current', parseCount), pidsLimit: limits !== undefined ? limits.pidsLimit : parsed(dir, 'pids.max', parseLimit) };
  }

  /**
   * Counters and limits of the cgroup at `cgroupPath` itself, not of a
   * process's membership: an ancestor standing for the cgroups below it. v1
   * controllers (and on a hybrid host a v2 path's missing ones) are read at
   * the same path; undefined when no hierarchy has a directory there.
   */
  statsAt(cgroupPath: string, version: 1 | 2): CgroupRawStats | undefined {
    const v1 = new Map(STATS_CONTROLLERS.map((c) => [c, cgroupPath] as const));
    const m: CgroupMembership = { v2: version === 2 ? cgroupPath : undefined, v1, path: cgroupPath, version };
    const dirs = [version === 2 ? this.dir(cgroupPath) : undefined, ...STATS_CONTROLLERS.map((c) => this.dir(cgroupPath, c))];
    if (!dirs.some((d) => d !== undefined && Array.isArray(this.proc.listPath(d)))) return undefined;
    return this.readStats(m);
  }

  /** Host PSI from <proc>/pressure/{cpu,memory,io}; undefined when the kernel has none of them. */
  readHostPressure(): PressureSet | undefined {
    const set = this.pressureIn(`${this.proc.root}/pressure`, '');
    return set.cpu === undefined && set.memory === undefined && set.io === undefined ? undefined : set;
  }

  private pressureIn(dir: string, suffix: string): PressureSet {
    const read = (name: string): Pressure | undefined => {
      const text = this.proc.readPath(`${dir}/${name}${suffix}`);
      const value = text === undefined ? undefined : parsePressure(text);
      return value === undefined ? undefined : orUndefined(value);
    };
    return { cpu: read('cpu'), memory: read('memory'), io: read('io') };
  }

  /**
   * A Docker container's name from /var/lib/docker/containers/<id>/config.v2.json
   * (readable by root only), found by the 12-character id prefix; undefined
   * when Docker's directory is absent or unreadable.
   */
  dockerName(shortId: string, dockerRoot = '/var/lib/docker'): string | undefined {
    const dir = path.join(this.prefix, dockerRoot, 'containers');
    const ids = this.proc.listPath(dir);
    if (!Array.isArray(ids)) return undefined;
    const id = ids.find((name) => name.startsWith(shortId));
    const text = id === undefined ? undefined : this.proc.readPath(path.join(dir, id, 'config.v2.json'));
    return text === undefined ? undefined : dockerConfigName(text);
  }
}

/** The v1 controllers whose files {@link CgroupReader.readStats} reads. */
const STATS_CONTROLLERS = ['cpu', 'cpuacct', 'memory', 'pids'] as const;

type Parse = <T>(dir: string | undefined, name: string, parse: (text: string, file: string) => Result<T>) => T | undefined;
