import type { OwnCgroup } from '../kernel/cgroup';
import { CgroupReader } from './cgroup-reader';
import { parseCfsQuota, parseCpuMax, quotaCpus } from './parse/cgroup-cpu';
import { parseKeyed, parseLimit, V1_UNLIMITED } from './parse/cgroup-value';
import { orUndefined } from '../base/result';

/** A limit and the cgroup it was found on. */
interface Found {
  readonly value: number;
  readonly path: string;
}

/** The smaller of two limits; on a tie the first (the deeper cgroup, found first). */
const tighter = (a: Found | undefined, b: Found | undefined): Found | undefined => (a === undefined || (b !== undefined && b.value < a.value) ? b : a);

/** `max` and unreadable files are no limit. */
const number = (v: number | 'max' | undefined): number | undefined => (typeof v === 'number' ? v : undefined);

/**
 * The limits on proctop's own cgroup: every cgroup from its own up to the root of what the mounts
 * show, in each hierarchy it is in (v2; v1 `cpu` and `memory`), the tightest CPU quota and memory
 * limit winning, as the kernel enforces the tightest. v1's memory.stat `hierarchical_memory_limit`
 * adds a limit set above the visible root. Undefined when /proc/self/cgroup is unreadable.
 */
export function readOwnCgroup(reader: CgroupReader): OwnCgroup | undefined {
  const m = reader.membership('self');
  if (m === undefined) return undefined;
  let cpu: Found | undefined;
  let memory: Found | undefined;
  const read = (dir: string, name: string): string | undefined => reader.readFile(dir, name);
  if (m.v2 !== undefined) {
    for (const { path, dir } of reader.ancestors(m.v2)) {
      const max = read(dir, 'cpu.max');
      const quota = max === undefined ? undefined : orUndefined(parseCpuMax(max));
      if (quota !== undefined) cpu = tighter(cpu, found(number(quotaCpus(quota)), path));
      const limit = read(dir, 'memory.max');
      const bytes = limit === undefined ? undefined : orUndefined(parseLimit(limit, 'memory.max'));
      if (bytes !== undefined) memory = tighter(memory, found(number(bytes), path));
    }
  }
  const cpuPath = m.v1.get('cpu');
  for (const { path, dir } of cpuPath === undefined ? [] : reader.ancestors(cpuPath, 'cpu')) {
    const q = read(dir, 'cpu.cfs_quota_us');
    const p = read(dir, 'cpu.cfs_period_us');
    const quota = q === undefined || p === undefined ? undefined : orUndefined(parseCfsQuota(q, p));
    if (quota !== undefined) cpu = tighter(cpu, found(number(quotaCpus(quota)), path));
  }
  const memPath = m.v1.get('memory');
  const memDirs = memPath === undefined ? [] : reader.ancestors(memPath, 'memory');
  for (const { path, dir } of memDirs) {
    const limit = read(dir, 'memory.limit_in_bytes');
    const bytes = limit === undefined ? undefined : orUndefined(parseLimit(limit, 'memory.limit_in_bytes'));
    if (bytes !== undefined) memory = tighter(memory, found(number(bytes), path));
  }
  const leaf = memDirs[0];
  const stat = leaf === undefined ? undefined : read(leaf.dir, 'memory.stat');
  const hierarchical = stat === undefined ? undefined : parseKeyed(stat).get('hierarchical_memory_limit');
  if (leaf !== undefined && hierarchical !== undefined && hierarchical < V1_UNLIMITED) memory = tighter(memory, { value: hierarchical, path: leaf.path });
  return { path: m.path, cpuLimit: cpu?.value, cpuLimitPath: cpu?.path, memoryLimit: memory?.value, memoryLimitPath: memory?.path };
}

function found(value: number | undefined, path: string): Found | undefined {
  return value === undefined ? undefined : { value, path };
}
