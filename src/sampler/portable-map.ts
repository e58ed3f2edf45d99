/**
 * Pure conversions from systeminformation's shapes to proctop's snapshot
 * types, for the portable sampler. No I/O here, so they are unit-testable.
 */
import type { Systeminformation } from 'systeminformation';
import { CpuUsage, MemoryInfo, ProcessState } from '../model/snapshot';

/** systeminformation's state words (it maps ps's letters to these) back to kernel letters. */
const STATE_LETTERS: Readonly<Record<string, ProcessState>> = {
  running: 'R',
  sleeping: 'S',
  blocked: 'D', // ps D (disk sleep) and U (macOS uninterruptible wait)
  'disk-sleep': 'D',
  stopped: 'T',
  zombie: 'Z',
  dead: 'X',
  idle: 'I',
};

/**
 * The state letter for a systeminformation state word; `?` for `unknown`,
 * `paging` and anything new. On Linux systeminformation reports idle kernel
 * threads (ps `I`) and traced processes (`t`) as `unknown`, so they show `?`.
 */
export function stateLetter(word: string): ProcessState {
  return Object.hasOwn(STATE_LETTERS, word) ? STATE_LETTERS[word] : '?';
}

/** argv as one line: systeminformation splits ps's `command` column into path, command and params. */
export function commandLine(p: Pick<Systeminformation.ProcessesProcessData, 'path' | 'command' | 'params'>): string {
  const exe = p.path ? `${p.path}/${p.command}` : p.command;
  return p.params ? `${exe} ${p.params}` : exe;
}

/**
 * Start time in ms since the epoch from systeminformation's `started`
 * (`YYYY-MM-DD HH:MM:SS`, local time, computed as now − ps's elapsed time, so
 * whole seconds and ±1 s from one call to the next). undefined when unparseable.
 */
export function parseStarted(started: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})$/.exec(started.trim());
  if (!m) return undefined;
  const [year, month, day, hour, min, sec] = m.slice(1).map(Number);
  const ms = new Date(year, month - 1, day, hour, min, sec).getTime();
  return Number.isFinite(ms) ? ms : undefined;
}

/**
 * Priority as top/htop show it. Linux `ps -o pri` is 39 − the kernel's
 * priority (stat field 18: 20 + nice, negative for real-time), so it is turned
 * back; other systems' `pri` (macOS: 0–127, higher runs first) is kept as ps
 * prints it.
 */
export function topPriority(pri: number, platform: NodeJS.Platform): number {
  if (!Number.isFinite(pri)) return 0;
  return platform === 'linux' ? 39 - pri : pri;
}

/** A kilobyte count from ps as bytes; `undefined` when ps gave none. */
export function kbToBytes(kb: number): number | undefined {
  return Number.isFinite(kb) && kb >= 0 ? kb * 1024 : undefined;
}

type LoadShares = Pick<Systeminformation.CurrentLoadCpuData, 'loadUser' | 'loadNice' | 'loadSystem' | 'loadSteal' | 'loadIrq'>;

/**
 * One CPU's (or all CPUs') busy shares from systeminformation's load. It has
 * no iowait and no softirq apart, so iowait is 0 and `other` is irq only.
 */
export function cpuFromLoad(l: LoadShares): CpuUsage {
  const pct = (x: number): number => (Number.isFinite(x) ? Math.max(0, x) : 0);
  const user = pct(l.loadUser) + pct(l.loadNice);
  const system = pct(l.loadSystem);
  const steal = pct(l.loadSteal);
  const other = pct(l.loadIrq);
  return { user, system, iowait: 0, steal, other, busy: user + system + steal + other };
}

/** The totals of `si.currentLoad()` in the shape of one CPU's load. */
export function totalLoad(l: Systeminformation.CurrentLoadData): LoadShares {
  return {
    loadUser: l.currentLoadUser,
    loadNice: l.currentLoadNice,
    loadSystem: l.currentLoadSystem,
    loadSteal: l.currentLoadSteal,
    loadIrq: l.currentLoadIrq,
  };
}

/**
 * Host memory from `si.mem()`. `used` is total − available as free(1) and the
 * Linux sampler count it; `cache` is Cached + SReclaimable (systeminformation
 * has no Shmem, so shared memory counts as cache here, unlike the Linux sampler).
 */
export function memoryFromSi(m: Systeminformation.MemData): MemoryInfo {
  const n = (x: number | null | undefined): number => (typeof x === 'number' && Number.isFinite(x) ? x : 0);
  const total = n(m.total);
  const available = n(m.available);
  const used = available > 0 ? total - available : total - n(m.free) - n(m.buffers) - n(m.cached);
  return {
    total,
    free: n(m.free),
    used: Math.max(0, used),
    buffers: n(m.buffers),
    cache: n(m.cached) + n(m.reclaimable),
    available,
    swapTotal: n(m.swaptotal),
    swapUsed: n(m.swapused),
  };
}
