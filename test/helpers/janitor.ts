/**
 * Process bookkeeping behind Landscape: tracking by pid + start time, spawning detached
 * children, and cleanup strictly by pid (and by the process groups we created) - never by name.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { readStat } from './proc-read';
import { waitFor } from './wait';
import { describeExit } from './landscape-tools';
import { cleanupSet } from './cleanup';

/** A tracked pid plus its start time, which tells our process apart from a later one reusing the pid. */
interface Tracked {
  pid: number;
  starttime: number | undefined;
  /** tracers are killed before everything else so tracees are not left stopped under a dead tracer */
  first: boolean;
}

/**
 * Landscapes not yet cleaned, so the exit hook can still kill them if a test forgot cleanup():
 * children are unref()'d so a forgotten cleanup cannot hang the runner, and this synchronous
 * last resort keeps them from outliving it as `sleep 1000`s.
 */
const live = cleanupSet<ProcessJanitor>('landscapes', (item) => item.killSync());

/** Tracks processes and kills them by pid in {@link ProcessJanitor.cleanup}; Landscape builds on it. */
export class ProcessJanitor {
  private tracked: Tracked[] = [];
  private children = new Map<number, ChildProcess>();
  /** process groups we created (detached spawns): pgid === leader pid */
  private groups = new Set<number>();
  private dirs: string[] = [];
  private cleaning: Promise<void> | undefined;

  /** Every pid tracked and not yet cleaned up, in tracking order. */
  get pids(): readonly number[] {
    return this.tracked.map((t) => t.pid);
  }

  /** Temporary directories (under os.tmpdir()) that cleanup() will remove. */
  get tempDirs(): readonly string[] {
    return [...this.dirs];
  }

  /** Adds `pid` to the set killed by cleanup(); returns it. Tracking twice is harmless. */
  track(pid: number): number {
    return this.trackAs(pid, false);
  }

  protected trackAs(pid: number, first: boolean): number {
    // Refuse init, pid 0, ourselves and our parent: cleanup would signal them.
    if (!Number.isInteger(pid) || pid <= 1 || pid === process.pid || pid === process.ppid) throw new RangeError(`landscape.track: refusing pid ${pid}`);
    if (!this.tracked.some((t) => t.pid === pid)) {
      this.tracked.push({ pid, starttime: readStat(pid)?.starttime, first });
      live.add(this);
      }
    return pid;
  }

  /**
   * SIGKILL then SIGCONT every tracked pid (tracers first) and every process group a helper
   * created, ignoring ESRCH; waits until our direct children are reaped and every tracked pid is
   * gone from /proc or is a zombie of someone else (an orphan awaiting init). Removes temp dirs.
   * Idempotent; concurrent calls share one run.
   */
  cleanup(): Promise<void> {
    this.cleaning ??= this.runCleanup().finally(() => {
      this.cleaning = undefined;
    });
    return this.cleaning;
  }

  private async runCleanup(): Promise<void> {
    const tracked = [...this.tracked];
    const children = [...this.children.values()];
    const dirs = [...this.dirs];
    this.killSync();
    const survivors = (): Tracked[] => tracked.filter((t) => !isDoneFor(t));
    await waitFor(
      () => survivors().length === 0 && children.every(hasExited),
      5000,
      'landscape.cleanup: tracked processes to die',
    ).catch((err: unknown) => {
      const left = survivors().map((t) => `${t.pid}(${readStat(t.pid)?.state ?? '?'})`);
      const unreaped = children.filter((c) => !hasExited(c)).map((c) => c.pid);
      throw new Error(`${String(err)}; still there: [${left.join(', ')}], unreaped children: [${unreaped.join(', ')}]`);
    });
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
    // Forget only what this run handled: a helper may have started more while we waited.
    this.tracked = this.tracked.filter((t) => !tracked.includes(t));
    for (const child of children) if (child.pid !== undefined) this.children.delete(child.pid);
    for (const child of children) if (child.pid !== undefined) this.groups.delete(child.pid);
    this.dirs = this.dirs.filter((d) => !dirs.includes(d));
    if (this.tracked.length === 0) live.delete(this);
  }

  /** Synchronous part of cleanup, also used by the process 'exit' hook. @internal */
  killSync(): void {
    const ordered = [...this.tracked.filter((t) => t.first), ...this.tracked.filter((t) => !t.first)];
    const ownPgid = readStat('self')?.pgrp;
    // SIGCONT after SIGKILL is belt and braces for stopped/traced tasks; SIGKILL alone should do.
    for (const signal of ['SIGKILL', 'SIGCONT'] as const) {
      for (const t of ordered) if (isStillOurs(t)) signalIgnoringGone(t.pid, signal);
      for (const pgid of this.groups) {
        // Never signal init's or our own group (that would kill the test runner).
        if (pgid <= 1 || pgid === ownPgid || !this.groupStillOurs(pgid)) continue;
        signalIgnoringGone(-pgid, signal);
      }
    }
  }

  /**
   * A group id cannot be reused while its leader is unreaped; after that, only while some
   * process still has it as both group and session (our detached spawns call setsid()).
   */
  private groupStillOurs(pgid: number): boolean {
    const leader = this.children.get(pgid);
    if (leader !== undefined && !hasExited(leader)) return true;
    return fs.readdirSync('/proc').some((name) => {
      if (!/^\d+$/.test(name)) return false;
      const stat = readStat(Number(name));
      return stat !== undefined && stat.pgrp === pgid && stat.session === pgid;
    });
  }

  /**
   * Spawns `file args` detached (own session and process group), stdio ignored, unref()'d, and
   * tracks it at once so that even a helper failing half-way is cleaned up.
   */
  protected async start(file: string, args: string[], what: string, argv0?: string): Promise<{ child: ChildProcess; pid: number }> {
    const child = spawn(file, args, { stdio: 'ignore', detached: true, ...(argv0 === undefined ? {} : { argv0 }) });
    const spawnError = new Promise<Error>((resolve) => child.once('error', resolve));
    child.on('error', () => undefined); // keep a late error from becoming an uncaught exception
    if (child.pid === undefined) throw new Error(`landscape.${what}: cannot spawn ${file}: ${(await spawnError).message}`);
    const pid = child.pid;
    this.children.set(pid, child);
    this.groups.add(pid);
    this.track(pid);
    child.unref();
    return { child, pid };
  }

  /** waitFor that fails fast, with the exit reason, if `child` dies before `probe` succeeds. */
  protected ready<T>(child: ChildProcess, probe: () => T | undefined | false, what: string): Promise<T> {
    return waitFor(() => {
      if (hasExited(child)) {
        throw new Error(`landscape.${what}: pid ${child.pid} ${describeExit(child.exitCode, child.signalCode)} before ready`);
      }
      return probe();
    }, 5000, `landscape.${what}`);
  }

  protected tempDir(): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'proctop-land-'));
    this.dirs.push(dir);
    return dir;
  }
}

/** Node has reaped it (exit or signal recorded). */
export function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

export function procStateIs(pid: number, state: string): boolean {
  return readStat(pid)?.state === state;
}

/** Same pid and same start time: still the process we started, not a recycled pid. */
function isStillOurs(t: Tracked): boolean {
  return t.starttime !== undefined && readStat(t.pid)?.starttime === t.starttime;
}

/** Gone (or pid reused), or a zombie whose parent is not us, i.e. not ours to reap. */
function isDoneFor(t: Tracked): boolean {
  if (!isStillOurs(t)) return true;
  const stat = readStat(t.pid);
  return stat === undefined || (stat.state === 'Z' && stat.ppid !== process.pid);
}

/** process.kill that treats "already gone" and "not ours any more" as done. */
export function signalIgnoringGone(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch (err) {
    // ESRCH: already gone. EPERM: no longer ours (pid reused by another user) - leave it alone.
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'ESRCH' && code !== 'EPERM') throw err;
  }
}
