import { containerName, describeCgroup } from '../model/cgroup-names';
import type { CgroupInfo } from '../model/snapshot';
import { CgroupLimits, CgroupReader } from '../procfs/cgroup-reader';
import type { CgroupMembership } from '../procfs/parse/cgroup';
import { ProcReader } from '../procfs/reader';
import { cgroupInfo, CgroupCounters, countersOf } from './cgroup-rates';
import { IdentityCache } from './identity-cache';

/** How often a process's /proc/PID/cgroup is re-read: processes rarely move, so not every scan. */
export const CGROUP_RECHECK_MS = 10_000;

/**
 * How often a cgroup's limits (cpu.max / cfs quota and period, memory.max /
 * limit_in_bytes, pids.max) are re-read: four of its ten v1 files, and
 * they change only when someone changes them.
 */
export const LIMITS_RECHECK_MS = 5_000;

/** Where a process sits, as read at `readAt` (ms). */
export interface Placement {
  readonly membership: CgroupMembership | undefined;
  readonly container: string | undefined;
  readonly unit: string | undefined;
  readonly readAt: number;
}

/** A cgroup's members in one scan. */
interface Members {
  readonly membership: CgroupMembership;
  readonly placement: Placement;
  count: number;
}

/**
 * The sampler's cgroup half: which cgroup each process is in (cached per
 * pid + start time, re-read every CGROUP_RECHECK_MS, spread over pids), and
 * per scan the counters of every cgroup that holds a listed process, turned
 * into rates against the previous scan's.
 */
export class CgroupTracker {
  private readonly reader: CgroupReader;
  private readonly placements = new IdentityCache<Placement>();
  private readonly dockerNames = new Map<string, string | undefined>();
  private readonly oomBaselines = new Map<string, number>();
  private limits = new Map<string, { readonly limits: CgroupLimits; readonly readAt: number }>();
  private previous = new Map<string, CgroupCounters>();
  private members = new Map<string, Members>();

  constructor(proc: ProcReader, prefix: string) {
    this.reader = new CgroupReader(proc, prefix);
  }

  /** The process's placement; `key` is its identity key. Counts it as a member for this scan's table. */
  place(pid: number, key: string, time: number): Placement {
    const every = CGROUP_RECHECK_MS + (pid % 20) * 500;
    let placement = this.placements.peek(key);
    if (placement === undefined || time - placement.readAt >= every) placement = this.placements.put(key, this.read(pid, time));
    const m = placement.membership;
    if (m !== undefined) {
      const group = this.members.get(m.path);
      if (group === undefined) this.members.set(m.path, { membership: m, placement, count: 1 });
      else group.count++;
    }
    return placement;
  }

  private read(pid: number, time: number): Placement {
    const membership = this.reader.membership(pid);
    if (membership === undefined) return { membership, container: undefined, unit: undefined, readAt: time };
    const names = describeCgroup(membership.path);
    const ref = names.containerRef;
    let human: string | undefined;
    if (ref?.runtime === 'docker') {
      if (!this.dockerNames.has(ref.id)) this.dockerNames.set(ref.id, this.reader.dockerName(ref.id));
      human = this.dockerNames.get(ref.id);
    }
    return { membership, container: ref && containerName(ref, human), unit: names.unit, readAt: time };
  }

  /**
   * Ends a scan: reads every member cgroup's files once, computes rates,
   * drops state of processes and cgroups no longer seen. `alive` holds the
   * identity keys of this scan's processes.
   */
  finish(time: number, alive: ReadonlyMap<string, unknown>): { cgroups: CgroupInfo[] } {
    const previous = this.previous;
    const next = new Map<string, CgroupCounters>();
    const limits = new Map<string, { readonly limits: CgroupLimits; readonly readAt: number }>();
    const cgroups: CgroupInfo[] = [];
    for (const [path, group] of this.members) {
      const known = this.limits.get(path);
      const fresh = known !== undefined && time - known.readAt < LIMITS_RECHECK_MS ? known : undefined;
      const raw = this.reader.readStats(group.membership, fresh?.limits);
      limits.set(path, fresh ?? { limits: { quota: raw.quota, memoryLimit: raw.memoryLimit, pidsLimit: raw.pidsLimit }, readAt: time });
      const counters = countersOf(raw, time);
      next.set(path, counters);
      if (raw.oomKills !== undefined && !this.oomBaselines.has(path)) this.oomBaselines.set(path, raw.oomKills);
      const id = { path, version: group.membership.version, container: group.placement.container, unit: group.placement.unit, processes: group.count };
      cgroups.push(cgroupInfo(id, raw, counters, previous.get(path), this.oomBaselines.get(path)));
    }
    for (const path of this.oomBaselines.keys()) if (!next.has(path)) this.oomBaselines.delete(path);
    this.previous = next;
    this.limits = limits;
    this.members = new Map();
    this.placements.retainOnly(alive);
    return { cgroups };
  }

  /** Forgets the scan in progress (cgroups switched off mid-scan). */
  reset(): void {
    this.members = new Map();
  }

  get cacheSize(): number {
    return this.placements.size;
  }
}
