import { err, ok, Result } from '../../base/result';

/** One line of /proc/PID/cgroup: `hierarchy-ID:controller-list:cgroup-path` (cgroups(7)). */
export interface CgroupEntry {
  /** 0 for the v2 (unified) hierarchy. */
  readonly hierarchy: number;
  /** Comma-separated controllers (`cpu,cpuacct`, `name=systemd`); empty for v2. */
  readonly controllers: string;
  /** Path relative to the hierarchy's mount; may hold ':' and spaces. */
  readonly path: string;
}

/** Parses /proc/PID/cgroup; an empty file (no cgroup support) or a malformed line is an error value. */
export function parseCgroup(text: string): Result<CgroupEntry[]> {
  const entries: CgroupEntry[] = [];
  for (const line of text.split('\n')) {
    if (line === '') continue;
    // The path is the last field and may itself contain ':', so only the first two colons split.
    const match = /^(\d+):([^:]*):(.*)$/.exec(line);
    if (!match) return err(`cgroup: bad line ${JSON.stringify(line.slice(0, 80))}`);
    entries.push({ hierarchy: Number(match[1]), controllers: match[2] as string, path: match[3] as string });
  }
  return entries.length === 0 ? err('cgroup: empty') : ok(entries);
}

/**
 * One string for the details panel: the v2 path when the process is only in
 * the unified hierarchy (`/system.slice/ssh.service`), else every line as the
 * kernel wrote it, joined with `; ` (v1 or hybrid: the v1 lines carry the
 * controller paths, which differ per controller).
 */
export function cgroupSummary(entries: readonly CgroupEntry[]): string {
  const only = entries.length === 1 ? entries[0] : undefined;
  if (only && only.hierarchy === 0 && only.controllers === '') return only.path;
  return entries.map((e) => `${e.hierarchy}:${e.controllers}:${e.path}`).join('; ');
}

/**
 * Where a process sits, per hierarchy: the v2 path and each v1
 * controller's path (`cpu` and `cpuacct` apart even when co-mounted, since
 * stats are read per controller).
 */
export interface CgroupMembership {
  /** The `0::` path; undefined when the kernel has no v2 hierarchy. */
  readonly v2: string | undefined;
  /** v1 controller → path (`memory` → `/docker/3f2a…`); `name=systemd` is kept under that name. */
  readonly v1: ReadonlyMap<string, string>;
  /** The path proctop names the process's cgroup by; see {@link membership}. */
  readonly path: string;
  /** Which hierarchy {@link CgroupMembership.path} comes from. */
  readonly version: 1 | 2;
}

/** v1 hierarchies whose path names a process's cgroup, in order of preference. */
export const V1_NAMING: readonly string[] = ['cpu', 'memory', 'name=systemd'];

/**
 * The cgroup proctop shows for a process: the v2 path when it is meaningful
 * (pure v2, or any path below the root), else the first v1 path of `cpu`,
 * `memory`, `name=systemd` that is below the root. On a hybrid host
 * processes sit in `0::/` while their v1 controllers say where they really
 * are (this VM: `0::/` and `memory:/process_api/…`).
 */
export function membership(entries: readonly CgroupEntry[]): CgroupMembership {
  let v2: string | undefined;
  const v1 = new Map<string, string>();
  for (const e of entries) {
    if (e.hierarchy === 0 && e.controllers === '') v2 = e.path;
    else for (const c of e.controllers.split(',')) if (c !== '') v1.set(c, e.path);
  }
  if (v2 !== undefined && (v2 !== '/' || v1.size === 0)) return { v2, v1, path: v2, version: 2 };
  for (const c of V1_NAMING) {
    const p = v1.get(c);
    if (p !== undefined && p !== '/') return { v2, v1, path: p, version: 1 };
  }
  return { v2, v1, path: v2 ?? v1.get('cpu') ?? v1.get('memory') ?? '/', version: v2 !== undefined ? 2 : 1 };
}
