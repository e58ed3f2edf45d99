import { Parsed, parseError } from './result';

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
export function parseCgroup(text: string): Parsed<CgroupEntry[]> {
  const entries: CgroupEntry[] = [];
  for (const line of text.split('\n')) {
    if (line === '') continue;
    // The path is the last field and may itself contain ':', so only the first two colons split.
    const match = /^(\d+):([^:]*):(.*)$/.exec(line);
    if (!match) return parseError(`cgroup: bad line ${JSON.stringify(line.slice(0, 80))}`);
    entries.push({ hierarchy: Number(match[1]), controllers: match[2] as string, path: match[3] as string });
  }
  return entries.length === 0 ? parseError('cgroup: empty') : entries;
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
