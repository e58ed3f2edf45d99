import type { OwnCgroup, PressureSet } from '../kernel/cgroup';
import { CgroupReader } from '../procfs/cgroup-reader';
import { readOwnCgroup } from '../procfs/own-cgroup';
import { ProcReader } from '../procfs/reader';
import { LIMITS_RECHECK_MS } from './cgroup-tracker';

/** Which host-wide cgroup facts a scan reads besides the processes. */
export interface HostReadsWanted {
  /** /proc/pressure/{cpu,memory,io}: the pressure meters (and --json, the cgroup table). */
  readonly pressure: boolean;
  /** proctop's own cgroup and its limits: the container meter, MEM% against the cgroup limit. */
  readonly ownCgroup: boolean;
}

/**
 * Host PSI each scan, and proctop's own cgroup limits on a slow cadence (they change only when
 * someone changes them): three small files per scan, and a few per ancestor every LIMITS_RECHECK_MS.
 * The mounts are read once, on first use.
 */
export class HostReads {
  private reader: CgroupReader | undefined;
  private own: { readonly value: OwnCgroup | undefined; readonly readAt: number } | undefined;

  constructor(private readonly proc: ProcReader, private readonly prefix: string) {}

  private cgroups(): CgroupReader {
    this.reader ??= new CgroupReader(this.proc, this.prefix);
    return this.reader;
  }

  /** Host PSI; undefined when the kernel has none. */
  pressure(): PressureSet | undefined {
    return this.cgroups().readHostPressure();
  }

  /** proctop's own cgroup and limits as of `time` (ms), re-read when older than LIMITS_RECHECK_MS. */
  ownCgroup(time: number): OwnCgroup | undefined {
    if (this.own === undefined || time - this.own.readAt >= LIMITS_RECHECK_MS || time < this.own.readAt) {
      this.own = { value: readOwnCgroup(this.cgroups()), readAt: time };
    }
    return this.own.value;
  }
}
