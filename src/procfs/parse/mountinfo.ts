/** Where one cgroup hierarchy is mounted, from /proc/self/mountinfo (proc(5)). */
export interface CgroupMount {
  /** 2 for cgroup2, 1 for a v1 hierarchy. */
  readonly version: 1 | 2;
  /** Mount point, octal escapes decoded (`/sys/fs/cgroup/cpu,cpuacct`). */
  readonly mountPoint: string;
  /** The cgroup this mount shows as its root (field 4): `/` on a host, the container's own path inside a cgroup namespace-less container. */
  readonly root: string;
  /** v1 controllers of the hierarchy (`cpu`, `cpuacct`, `name=systemd`); empty for v2. */
  readonly controllers: readonly string[];
}

/** mountinfo escapes space, tab, newline and backslash as `\ooo`. */
function unescape(field: string): string {
  return field.replace(/\\([0-7]{3})/g, (_, oct: string) => String.fromCharCode(parseInt(oct, 8)));
}

/**
 * The cgroup mounts in a mountinfo file. A hierarchy mounted twice (bind
 * mounts) keeps its first mount. Malformed lines are skipped: the file is
 * the kernel's and one odd line must not hide every hierarchy.
 */
export function parseCgroupMounts(text: string): CgroupMount[] {
  const mounts: CgroupMount[] = [];
  const seen = new Set<string>();
  for (const line of text.split('\n')) {
    const dash = line.indexOf(' - ');
    if (dash < 0) continue;
    const head = line.slice(0, dash).split(' ');
    const tail = line.slice(dash + 3).split(' ');
    const fsType = tail[0];
    if ((fsType !== 'cgroup' && fsType !== 'cgroup2') || head.length < 5) continue;
    const version = fsType === 'cgroup2' ? 2 : 1;
    // Super options (the third field after the dash) name a v1 hierarchy's controllers.
    const controllers = version === 2 ? [] : (tail[2] ?? '').split(',').filter((o) => o !== 'rw' && o !== 'ro' && isController(o));
    const key = version === 2 ? 'v2' : controllers.join(',');
    if (seen.has(key)) continue;
    seen.add(key);
    mounts.push({ version, mountPoint: unescape(head[4] as string), root: unescape(head[3] as string), controllers });
  }
  return mounts;
}

/** v1 mount options that are not controllers. */
const NOT_CONTROLLERS = new Set(['relatime', 'noatime', 'nosuid', 'nodev', 'noexec', 'clone_children', 'noprefix', 'xattr', 'cpuset_v2_mode', 'favordynmods']);

function isController(option: string): boolean {
  return option.startsWith('name=') || (!option.includes('=') && !NOT_CONTROLLERS.has(option));
}
