/**
 * A detached helper process in its own session and process group, killed only through that
 * group: never by name, never a group ≤ 1, never the caller's own group. Used for load
 * generators (fork churn) and bench populations (a deep chain, a many-threaded process) that
 * fork children the caller never sees.
 *
 * The group is still ours when its leader is alive with the start time we recorded, or, once the
 * leader is gone (a double fork, a crash), while members remain that are in our session, started
 * no earlier than the leader, and have one of the names we expect. A group id cannot be reused
 * while any process still carries it, so the group cannot change hands while members remain.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import { readStat } from './proc-read';
import { cleanupSet } from './cleanup';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Groups not yet killed, so the exit hook can still kill them if a caller forgot. */
const live = cleanupSet<ProcessGroup>('process groups', (item) => item.killSync());

/** Every numeric /proc entry whose stat says process group `pgid`. */
function membersOf(pgid: number): { pid: number; comm: string; session: number; starttime: number; state: string }[] {
  const out: { pid: number; comm: string; session: number; starttime: number; state: string }[] = [];
  let names: string[];
  try {
    names = fs.readdirSync('/proc');
  } catch {
    return out;
  }
  for (const name of names) {
    if (!/^\d+$/.test(name)) continue;
    let stat;
    try {
      stat = readStat(Number(name));
    } catch {
      continue; // an odd error on a dying process: not ours to judge
    }
    if (stat && stat.pgrp === pgid) out.push({ pid: Number(name), comm: stat.comm.toString('latin1'), session: stat.session, starttime: stat.starttime, state: stat.state });
  }
  return out;
}

export interface GroupOptions {
  /** comm values the group's members may have (checked once the leader is gone). */
  readonly comms: readonly string[];
  /** Text written to the leader's stdin, then stdin is closed (a script for `python3 -` or `sh -s`). */
  readonly input?: string;
  readonly env?: NodeJS.ProcessEnv;
}

/** One detached leader and everything it forks. */
export class ProcessGroup {
  readonly pgid: number;
  readonly child: ChildProcess;
  /** The leader's start time (clock ticks since boot). */
  readonly leaderStart: number | undefined;
  private readonly ownPgid: number | undefined;
  private stdout = '';
  private stderrText = '';
  private killed = false;

  private constructor(child: ChildProcess, private readonly comms: readonly string[]) {
    if (child.pid === undefined) throw new Error('process-group: spawn failed');
    this.child = child;
    this.pgid = child.pid;
    this.leaderStart = readStat(child.pid)?.starttime;
    this.ownPgid = readStat('self')?.pgrp;
    child.stdout?.on('data', (d: Buffer) => {
      this.stdout += d.toString('utf8');
      // Keep only the tail: a load generator reports forever.
      if (this.stdout.length > 64_000) this.stdout = this.stdout.slice(-16_000);
    });
    child.stderr?.on('data', (d: Buffer) => {
      if (this.stderrText.length < 4000) this.stderrText += d.toString('utf8');
    });
    child.on('error', () => undefined);
    live.add(this);
  }

  /** Spawns `file args` detached (setsid: a new session and process group led by it). */
  static start(file: string, args: readonly string[], options: GroupOptions): ProcessGroup {
    const child = spawn(file, [...args], { detached: true, stdio: ['pipe', 'pipe', 'pipe'], env: options.env ?? process.env });
    const group = new ProcessGroup(child, options.comms);
    child.stdin?.on('error', () => undefined);
    child.stdin?.end(options.input ?? '');
    return group;
  }

  /** What the leader wrote to stdout (the tail, for long-running reporters). */
  get output(): string {
    return this.stdout;
  }

  get stderr(): string {
    return this.stderrText;
  }

  /** Whether Node has seen the leader end. */
  get leaderExited(): boolean {
    return this.child.exitCode !== null || this.child.signalCode !== null;
  }

  /** Members of the group right now (zombies included). */
  members(): { pid: number; comm: string; session: number; starttime: number; state: string }[] {
    return membersOf(this.pgid);
  }

  /** Whether signalling -pgid can only reach processes this object started. */
  private stillOurs(): boolean {
    if (this.pgid <= 1 || this.pgid === this.ownPgid || this.pgid === process.pid) return false;
    if (!this.leaderExited) {
      const lead = readStat(this.pgid);
      return lead !== undefined && lead.starttime === this.leaderStart && lead.pgrp === this.pgid;
    }
    const start = this.leaderStart;
    if (start === undefined) return false;
    return this.members().some((m) => m.session === this.pgid && m.starttime >= start && this.comms.includes(m.comm));
  }

  /** SIGKILL to the whole group (when it is still ours), without waiting. Idempotent enough: repeats are harmless. */
  killSync(): void {
    if (!this.stillOurs()) {
      if (this.members().length === 0) live.delete(this);
      return;
    }
    this.killed = true;
    try {
      process.kill(-this.pgid, 'SIGKILL');
    } catch {
      // ESRCH: already gone
    }
  }

  /**
   * Kills the group and waits until /proc lists none of its members (orphans are reaped by
   * init or a subreaper). Returns how many were still listed after `timeoutMs`.
   */
  async kill(timeoutMs = 20_000): Promise<number> {
    this.killSync();
    const deadline = Date.now() + timeoutMs;
    let left = this.members().length;
    while (left > 0 && Date.now() < deadline) {
      await sleep(100);
      // A member forked between the scan and the signal survives the first kill: repeat.
      if (this.killed) this.killSync();
      left = this.members().length;
    }
    if (left === 0) live.delete(this);
    return left;
  }
}
