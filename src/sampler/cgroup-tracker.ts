import { containerName, describeCgroup } from '../model/cgroup-names';
import type { CgroupInfo } from '../model/snapshot';
import { CgroupLimits, CgroupReader } from '../procfs/cgroup-reader';
import type { CgroupMembership } from '../procfs/parse/cgroup';
import { ProcReader } from '../procfs/reader';
import { cgroupInfo, CgroupCounters, countersOf } from './cgroup-rates';
import { IdentityCache } from './identity-cache';
import type { KeySet } from '../model/identity-index';
import { environValue, isHostName } from '../procfs/parse/environ';
import { recheckEvery } from './recheck';

/** How often a process's /proc/PID/cgroup is re-read: processes rarely move, so not every scan. */
export const CGROUP_RECHECK_MS = 10_000;

/**
 * How often a cgroup's limits (cpu.max / cfs quota and period, memory.max /
 * limit_in_bytes, pids.max) are re-read: four of its ten v1 files, and
 * they change only when someone changes them.
 */
export const LIMITS_RECHECK_MS = 5_000;

/** How long a pod whose name could not be read waits before it is tried again (ms). */
export const POD_NAME_RECHECK_MS = 60_000;

/** Where pod names come from: the pods' HOSTNAME, readable in /proc/PID/environ by root only. */
export interface PodNameSource {
  /** Whether to read /proc/PID/environ at all (root: another user's environ is refused). */
  readonly readEnviron: boolean;
  /** The host's own name: a container sharing the host's UTS namespace has it, and it names no pod. */
  readonly hostname: string;
}

/** Where a process sits, as read at `readAt` (ms). */
export interface Placement {
  readonly membership: CgroupMembership | undefined;
  readonly container: string | undefined;
  readonly unit: string | undefined;
  /** The Kubernetes pod uid (8 characters) when the cgroup is a pod's container. */
  readonly pod?: string | undefined;
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
  /** Pod uid (8 characters) → its name, or undefined with the time it was tried; pruned to the pods of the last scan. */
  private podNames = new Map<string, { readonly name: string | undefined; readonly readAt: number }>();
  private podsSeen = new Set<string>();
  private readonly oomBaselines = new Map<string, number>();
  private limits = new Map<string, { readonly limits: CgroupLimits; readonly readAt: number }>();
  private previous = new Map<string, CgroupCounters>();
  private members = new Map<string, Members>();

  /** `recheckMs`: how often a process's /proc/PID/cgroup is re-read (spread over pids). */
  constructor(private readonly proc: ProcReader, prefix: string, private readonly pods: PodNameSource = { readEnviron: false, hostname: '' }, private readonly recheckMs: number = CGROUP_RECHECK_MS) {
    this.reader = new CgroupReader(proc, prefix);
  }

  /** The process's placement; `key` is its identity key. Counts it as a member for this scan's table. */
  place(pid: number, key: string, time: number): Placement {
    const every = recheckEvery(pid, this.recheckMs);
    let placement = this.placements.peek(key);
    if (placement === undefined || time - placement.readAt >= every) placement = this.placements.put(key, this.read(pid, time));
    if (placement.pod !== undefined) this.podsSeen.add(placement.pod);
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
    const pod = ref?.pod === undefined ? undefined : this.podName(ref.pod, pid, time);
    return { membership, container: ref && containerName(ref, human, pod), unit: names.unit, pod: ref?.pod, readAt: time };
  }

  /**
   * A pod's name: the HOSTNAME its containers were started with (Kubernetes sets it to the pod
   * name), read from one member's /proc/PID/environ once per pod (again after POD_NAME_RECHECK_MS
   * while unknown); undefined when not root, absent, not a host name, or the host's own name.
   */
  private podName(pod: string, pid: number, time: number): string | undefined {
    if (!this.pods.readEnviron) return undefined;
    const known = this.podNames.get(pod);
    if (known !== undefined && (known.name !== undefined || time - known.readAt < POD_NAME_RECHECK_MS)) return known.name;
    const text = this.proc.readText(`${pid}/environ`);
    const value = text === undefined ? undefined : environValue(text, 'HOSTNAME');
    const name = value !== undefined && isHostName(value) && value !== this.pods.hostname ? value : undefined;
    this.podNames.set(pod, { name, readAt: time });
    return name;
  }

  /**
   * Ends a scan: reads every member cgroup's files once, computes rates,
   * drops state of processes and cgroups no longer seen. `alive` holds the
   * identity keys of this scan's processes.
   */
  finish(time: number, alive: KeySet): { cgroups: CgroupInfo[] } {
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
    // A pod with no process left in this scan is forgotten (a new pod of the same uid is read again).
    for (const pod of this.podNames.keys()) if (!this.podsSeen.has(pod)) this.podNames.delete(pod);
    this.podsSeen = new Set();
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
