/**
 * Per-process CPU and memory through pidusage, for the portable sampler.
 *
 * pidusage measures CPU as the change in a process's CPU time since *its own*
 * previous call for that pid (kept in a module-global history), in percent of
 * one core (100 = one core busy), the unit the Linux sampler uses. Its first
 * call for a pid returns 0, so callers must treat a pid's first reading as
 * "no rate yet".
 *
 * On Linux (and Alpine, NetBSD) pidusage reads /proc/PID/stat and keeps the
 * file open in its history for the next call, one fd per pid, for 60 s after
 * the last call. `pidusage.clear()` forgets the history but does NOT close
 * those fds (checked with pidusage 4.1.0: they stay in /proc/self/fd for the
 * life of the process). So this module:
 * - calls pidusage in batches of {@link PIDUSAGE_BATCH} pids, one batch at a
 *   time, so no more than a batch of fds is ever open at once;
 * - after each batch closes the fds pidusage left in its history and removes
 *   them from the history entries, so pidusage opens the file afresh next
 *   time (its history keeps the CPU times it needs; only the fd goes);
 * - on close() does the same for every pid it ever asked about, then clear().
 * The fd handling reaches into pidusage's internal `lib/history` module. If
 * that module ever changes shape, it is skipped (then fds are held as before).
 * On macOS and the BSDs pidusage runs `ps` instead and holds no fds.
 *
 * pidusage's history is global to the Node process: clear() also forgets the
 * history of any other pidusage user in it (proctop has none).
 */
import { closeSync } from 'node:fs';
import pidusage from 'pidusage';

/** Pids per pidusage call: bounds the fds open at once and the `ps -p` argument length. */
export const PIDUSAGE_BATCH = 128;

/** What one pidusage reading gives. */
export interface PidUsage {
  /** Percent of one core since pidusage's previous call for this pid (0 on its first call). */
  readonly cpu: number;
  /** Resident memory in bytes. */
  readonly memory: number;
  /** User + system CPU time in ms. */
  readonly ctime: number;
}

/** The part of pidusage's internal history module used here: entries keyed by pid, `fd` set on the procfile path. */
interface HistoryModule {
  get(pid: number): unknown;
}

function loadHistory(): HistoryModule | undefined {
  try {
    // The file pidusage's own `require('./lib/history')` loads, so the same module instance; a static
    // path, so the bundle (which has no node_modules to resolve against) holds it as one module too.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod: unknown = require('pidusage/lib/history');
    if (typeof mod === 'object' && mod !== null && 'get' in mod && typeof mod.get === 'function') {
      const get = mod.get as (pid: number) => unknown;
      return { get: (pid) => get(pid) };
    }
  } catch {
    // Not there (another pidusage layout): fall back to plain clear().
  }
  return undefined;
}

/** Batched pidusage with its /proc fds closed between calls. One per sampler. */
export class PidusageBatcher {
  private readonly history = loadHistory();
  /** Every pid passed to pidusage, so close() can release whatever is still open. */
  private readonly asked = new Set<number>();
  /** measure() calls in flight (close() defers its cleanup until none is). */
  private inFlight = 0;
  private warmed = false;
  private closed = false;

  /** Readings for the pids pidusage could measure; a pid that is gone (or unreadable) is absent. */
  async measure(pids: readonly number[]): Promise<Map<number, PidUsage>> {
    if (this.closed) throw new Error('PidusageBatcher is closed');
    this.inFlight += 1;
    const out = new Map<number, PidUsage>();
    try {
      for (let i = 0; i < pids.length && !this.closed; i += PIDUSAGE_BATCH) {
        const batch = pids.slice(i, i + PIDUSAGE_BATCH);
        for (const pid of batch) this.asked.add(pid);
        try {
          await this.batch(batch, out);
        } finally {
          this.release(batch);
        }
      }
    } finally {
      this.inFlight -= 1;
      // close() during a batch deferred its cleanup to here, so no fd is closed under a read in flight.
      if (this.closed && this.inFlight === 0) this.releaseAll();
    }
    return out;
  }

  /**
   * Runs pidusage's one-time setup (two `getconf` spawns on Linux) on our own
   * pid, so it overlaps other work instead of delaying the first real batch
   * (which would skew that batch's time base against the caller's clock).
   */
  async warm(): Promise<void> {
    if (this.warmed) return;
    this.warmed = true;
    await this.measure([process.pid]);
  }

  /** Closes pidusage's fds and forgets its history. Safe to call twice and during measure(). */
  close(): void {
    this.closed = true;
    if (this.inFlight === 0) this.releaseAll();
  }

  private async batch(pids: number[], out: Map<number, PidUsage>): Promise<void> {
    let stats: Record<string, pidusage.Status | null | undefined>;
    try {
      // pidusage rewrites the array it is given (parseInt in place): `pids` is our own slice.
      stats = await pidusage(pids);
    } catch {
      // A batch fails as a whole only when it had one pid and that pid is gone.
      return;
    }
    for (const pid of pids) {
      const s = stats[pid];
      if (s && Number.isFinite(s.cpu) && Number.isFinite(s.memory) && Number.isFinite(s.ctime)) {
        out.set(pid, { cpu: Math.max(0, s.cpu), memory: s.memory, ctime: s.ctime });
      }
    }
  }

  /** Closes the fd pidusage keeps for each pid and drops it from the history entry. */
  private release(pids: Iterable<number>): void {
    if (this.history === undefined) return;
    for (const pid of pids) {
      const entry = this.history.get(pid);
      if (typeof entry !== 'object' || entry === null || !('fd' in entry)) continue;
      const holder = entry as { fd: unknown };
      if (typeof holder.fd === 'number') {
        try {
          closeSync(holder.fd);
        } catch {
          // Already closed by pidusage's own expiry: nothing held.
        }
      }
      holder.fd = undefined;
    }
  }

  private releaseAll(): void {
    this.release(this.asked);
    this.asked.clear();
    pidusage.clear();
  }
}
