/**
 * A population of idle processes for the bench: one detached `sh` leader (a
 * new session, so a new process group whose id is the leader's pid) whose
 * sub-shells (≤ 8, same group) fork N `sleep 100000` children into the group. Everything is killed
 * by that process group only - never by name, never group ≤ 1 or our own.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import { onCleanup } from '../test/helpers/cleanup';
import { sleep } from './stats';

export interface ProcStat {
  readonly pid: number;
  readonly comm: string;
  readonly state: string;
  readonly ppid: number;
  readonly pgrp: number;
  readonly starttime: number;
}

/** /proc/PID/stat, minimally parsed; undefined when the process is gone. */
export function readStat(pid: number): ProcStat | undefined {
  let text: string;
  try {
    text = fs.readFileSync(`/proc/${pid}/stat`, 'latin1');
  } catch {
    return undefined;
  }
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) return undefined;
  const rest = text.slice(close + 2).split(' ');
  return {
    pid,
    comm: text.slice(open + 1, close),
    state: rest[0] ?? '?',
    ppid: Number(rest[1]),
    pgrp: Number(rest[2]),
    starttime: Number(rest[19]),
  };
}

/** utime + stime of a process in clock ticks (USER_HZ = 100); undefined when gone. */
export function cpuTicks(pid: number): number | undefined {
  try {
    const text = fs.readFileSync(`/proc/${pid}/stat`, 'latin1');
    const rest = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return Number(rest[11]) + Number(rest[12]);
  } catch {
    return undefined;
  }
}

export function listPids(): number[] {
  return fs.readdirSync('/proc').filter((n) => /^\d+$/.test(n)).map(Number);
}

/** Processes whose process group is `pgid` (zombies included). */
export function groupMembers(pgid: number): ProcStat[] {
  const out: ProcStat[] = [];
  for (const pid of listPids()) {
    const s = readStat(pid);
    if (s && s.pgrp === pgid) out.push(s);
  }
  return out;
}

function readNumber(path: string): number | undefined {
  try {
    const n = Number(fs.readFileSync(path, 'utf8').trim());
    return Number.isFinite(n) ? n : undefined;
  } catch {
    return undefined;
  }
}

/** The limits that decide how many processes we may add. */
export interface Limits {
  readonly pidMax: number | undefined;
  readonly threadsMax: number | undefined;
  /** Tasks (threads) on the system now, from /proc/loadavg. */
  readonly tasks: number | undefined;
  readonly nprocSoft: number | 'unlimited' | undefined;
  readonly nprocHard: number | 'unlimited' | undefined;
  /** pids.max of our cgroup; 'max' = none. */
  readonly cgroupPidsMax: number | 'max' | undefined;
  readonly root: boolean;
}

function nprocLimits(): { soft: number | 'unlimited' | undefined; hard: number | 'unlimited' | undefined } {
  try {
    const line = fs.readFileSync('/proc/self/limits', 'utf8').split('\n').find((l) => l.startsWith('Max processes'));
    const parts = line?.slice('Max processes'.length).trim().split(/\s+/) ?? [];
    const value = (s: string | undefined): number | 'unlimited' | undefined => (s === undefined ? undefined : s === 'unlimited' ? 'unlimited' : Number(s));
    return { soft: value(parts[0]), hard: value(parts[1]) };
  } catch {
    return { soft: undefined, hard: undefined };
  }
}

function cgroupPidsMax(): number | 'max' | undefined {
  let lines: string[];
  try {
    lines = fs.readFileSync('/proc/self/cgroup', 'utf8').split('\n');
  } catch {
    return undefined;
  }
  const candidates: string[] = [];
  for (const line of lines) {
    const [, controllers, path] = /^\d+:([^:]*):(.*)$/.exec(line) ?? [];
    if (path === undefined) continue;
    if (controllers === '') candidates.push(`/sys/fs/cgroup${path}/pids.max`);
    if (controllers?.split(',').includes('pids')) candidates.push(`/sys/fs/cgroup/pids${path}/pids.max`);
  }
  for (const file of candidates) {
    try {
      const text = fs.readFileSync(file, 'utf8').trim();
      return text === 'max' ? 'max' : Number(text);
    } catch {
      // not this hierarchy
    }
  }
  return undefined;
}

export function readLimits(): Limits {
  const loadavg = (() => {
    try {
      return fs.readFileSync('/proc/loadavg', 'utf8');
    } catch {
      return '';
    }
  })();
  const tasks = /\d+\/(\d+)/.exec(loadavg)?.[1];
  const nproc = nprocLimits();
  return {
    pidMax: readNumber('/proc/sys/kernel/pid_max'),
    threadsMax: readNumber('/proc/sys/kernel/threads-max'),
    tasks: tasks === undefined ? undefined : Number(tasks),
    nprocSoft: nproc.soft,
    nprocHard: nproc.hard,
    cgroupPidsMax: cgroupPidsMax(),
    root: process.getuid?.() === 0,
  };
}

export interface Population {
  readonly requested: number;
  /** `sleep` children running when the measurements started. */
  readonly reached: number;
  readonly pgid: number;
  readonly notes: readonly string[];
  readonly spawnMs: number;
  /** Kills the group and waits until its members are gone from /proc; returns how many were still listed. */
  stop(): Promise<number>;
}

/** Raises a kernel sysctl (as root) for the run, restoring it at clean-up. */
function raiseSysctl(file: string, name: string, from: number, to: number, notes: string[]): void {
  try {
    fs.writeFileSync(file, String(to));
    notes.push(`raised ${name} from ${from} to ${to} for the run (restored after)`);
    onCleanup(`restore ${name}`, () => fs.writeFileSync(file, String(from)));
  } catch (err) {
    notes.push(`${name} is ${from}, below the ${to} needed, and could not be raised (${err instanceof Error ? err.message : String(err)})`);
  }
}

/** Starts n idle processes in one new process group and waits until /proc shows them. */
export async function startPopulation(n: number, log: (line: string) => void): Promise<Population> {
  const notes: string[] = [];
  const limits = readLimits();
  const margin = 500;
  const needTasks = (limits.tasks ?? 0) + n + margin;
  if (limits.pidMax !== undefined && limits.pidMax < needTasks) {
    if (limits.root) raiseSysctl('/proc/sys/kernel/pid_max', 'kernel.pid_max', limits.pidMax, Math.min(4194304, Math.max(needTasks * 2, 65536)), notes);
    else notes.push(`kernel.pid_max is ${limits.pidMax}, below the ${needTasks} needed; not root, so left as is`);
  }
  if (limits.threadsMax !== undefined && limits.threadsMax < needTasks) {
    if (limits.root) raiseSysctl('/proc/sys/kernel/threads-max', 'kernel.threads-max', limits.threadsMax, needTasks * 2, notes);
    else notes.push(`kernel.threads-max is ${limits.threadsMax}, below the ${needTasks} needed; not root, so left as is`);
  }
  let ulimit = '';
  if (typeof limits.nprocSoft === 'number' && limits.nprocSoft < needTasks) {
    if (limits.root) {
      notes.push(`ulimit -u is ${limits.nprocSoft}; root is exempt from it, so it was left as is`);
    } else {
      const target = limits.nprocHard === 'unlimited' || limits.nprocHard === undefined ? needTasks : Math.min(needTasks, limits.nprocHard);
      ulimit = `ulimit -u ${target} 2>/dev/null || true\n`;
      notes.push(`raised ulimit -u (soft) from ${limits.nprocSoft} to ${target} in the leader shell`);
      if (target < needTasks) notes.push(`ulimit -u hard limit ${String(limits.nprocHard)} is below the ${needTasks} needed`);
    }
  }
  if (typeof limits.cgroupPidsMax === 'number' && limits.cgroupPidsMax < needTasks) {
    notes.push(`cgroup pids.max is ${limits.cgroupPidsMax}, below the ${needTasks} needed (not changed)`);
  }

  // k forking sub-shells (same process group: no job control in sh -c) fork
  // faster than one on a busy machine; each says part-done, then waits.
  const k = Math.max(1, Math.min(8, Math.ceil(n / 250)));
  const parts = Array.from({ length: k }, (_, i) => Math.floor(n / k) + (i < n % k ? 1 : 0));
  const script = `${ulimit}part() {
  i=0
  while [ "$i" -lt "$1" ]; do
    sleep 100000 &
    i=$((i+1))
  done
  echo part-done
  wait
}
${parts.map((p) => `part ${p} &`).join('\n')}
wait
`;
  const started = process.hrtime.bigint();
  const startedWall = Date.now();
  // detached: the leader calls setsid(), so it leads a new session and process group.
  const leader = spawn('sh', ['-c', script], { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const leaderPid = leader.pid;
  if (leaderPid === undefined) throw new Error('could not spawn the population leader (sh)');
  const ownPgid = readStat(process.pid)?.pgrp;
  const pgid = leaderPid;
  const leaderStart = readStat(leaderPid)?.starttime;
  let spawned = false;
  let partsDone = 0;
  let leaderExited = false;
  let stderr = '';
  leader.stdout.on('data', (d: Buffer) => {
    partsDone += d.toString().split('part-done').length - 1;
    if (partsDone >= k) spawned = true;
  });
  leader.stderr.on('data', (d: Buffer) => {
    if (stderr.length < 2000) stderr += d.toString();
  });
  const exited = new Promise<void>((resolve) => leader.once('exit', () => {
    leaderExited = true;
    resolve();
  }));

  /** Ours: the group is the one we made (never ≤ 1, never our own) and still holds our leader or sleeps started after it. */
  const safeToKill = (): boolean => {
    if (pgid <= 1 || pgid === ownPgid || pgid === process.pid) return false;
    const lead = readStat(pgid);
    if (lead && lead.starttime === leaderStart && lead.pgrp === pgid) return true;
    return groupMembers(pgid).some((m) => m.comm === 'sleep' && leaderStart !== undefined && m.starttime >= leaderStart);
  };
  const killGroup = (): void => {
    if (!safeToKill()) return;
    try {
      process.kill(-pgid, 'SIGKILL');
    } catch {
      // ESRCH: already gone
    }
  };
  const killNow = onCleanup(`kill process group ${pgid}`, killGroup);

  const sleepers = (): number => groupMembers(pgid).filter((m) => m.comm === 'sleep' && m.state !== 'Z').length;
  // While the shells fork, don't read every /proc/PID/stat (that would compete
  // with the forking): count the sub-shells' children from their `children` files.
  const childrenOf = (pid: number): number[] => {
    try {
      return fs.readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').split(' ').filter(Boolean).map(Number);
    } catch {
      return [];
    }
  };
  const forked = (): number => childrenOf(leaderPid).reduce((sum, sub) => sum + childrenOf(sub).length, 0);
  // A safety net: the leader says when it has forked them all; a busy machine forks slowly.
  const deadline = Date.now() + Math.max(60_000, n * 50);
  let lastLog = Date.now();
  while (!spawned && !leaderExited && Date.now() < deadline) {
    await sleep(250);
    if (Date.now() - lastLog > 5000) {
      log(`  … ${forked()}/${n} forked`);
      lastLog = Date.now();
    }
  }
  let reached = 0;
  let stableSince = Date.now();
  for (;;) {
    const count = sleepers();
    if (count !== reached) stableSince = Date.now();
    reached = count;
    if (count >= n) break;
    if (Date.now() - stableSince > 1500) break;
    if (Date.now() > deadline) {
      notes.push(`gave up waiting after ${Math.round((Date.now() - startedWall) / 1000)} s`);
      break;
    }
    await sleep(300);
  }
  const spawnMs = Number(process.hrtime.bigint() - started) / 1e6;
  if (reached < n) {
    const why = stderr.trim().split('\n').slice(0, 3).join(' | ');
    notes.push(`reached only ${reached} of ${n} processes${why ? `: ${why}` : ''}`);
  }
  if (stderr.trim() !== '' && reached >= n) notes.push(`leader stderr: ${stderr.trim().split('\n')[0]}`);

  return {
    requested: n,
    reached,
    pgid,
    notes,
    spawnMs,
    async stop(): Promise<number> {
      killNow();
      await Promise.race([exited, sleep(5000)]);
      // The sleeps are reparented to init (or a subreaper) and reaped there; wait until /proc no longer lists them.
      const until = Date.now() + 20_000;
      let left = groupMembers(pgid).length;
      while (left > 0 && Date.now() < until) {
        await sleep(200);
        left = groupMembers(pgid).length;
      }
      return left;
    },
  };
}

/** A `kB` field of /proc/PID/status (VmRSS, VmHWM), undefined when gone. */
export function statusKb(pid: number, field: string): number | undefined {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}
