/**
 * Freezing, thawing and killing a cgroup: the writes to cgroupfs and the signals. The only fs
 * writes of the cgroup actions are here. Planning (what the user is shown and must confirm) is
 * pure, in model/cgroup-action.ts; this module re-checks what can change in between: the root
 * cgroup is refused, proctop's own cgroup only with the typed confirmation, and every signal
 * goes to a pid whose start time and cgroup are read again right before it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CgroupActionKind } from '../model/cgroup-action';
import { KillFn, sendSignal, SignalResult, StartTimeProbe } from './send-signal';

const SIGKILL = 9;
/** How long a freeze or a kill is given to show in the kernel's files. */
const SETTLE_MS = 2_000;
const POLL_MS = 20;
/** Rounds of SIGKILL when nothing can freeze the cgroup: each catches what forked during the last. */
const KILL_ROUNDS = 5;

/** The cgroup an action is for, resolved against the live system right before it. */
export interface CgroupHandle {
  readonly path: string;
  readonly version: 1 | 2;
  /** Its directory in the hierarchy its path is from: members are the cgroup.procs here and below. */
  readonly dir: string;
  /** Where it is frozen: the v2 directory (cgroup.freeze) or the v1 freezer's cgroup of the same path; undefined when there is none. */
  readonly freezer: { readonly version: 1 | 2; readonly dir: string } | undefined;
  /** proctop itself is in it or below it (read from /proc/self/cgroup just before acting). */
  readonly holdsSelf: boolean;
}

/** The cgroupfs operations the actions use; node:fs in the program, the same on a temporary tree in tests. */
export interface CgroupFiles {
  read(file: string): string | undefined;
  /** Throws the errno error (EACCES, ENOENT, EBUSY …). */
  write(file: string, text: string): void;
  exists(file: string): boolean;
  /** Child cgroups (subdirectories); [] when none or unreadable. */
  subdirs(dir: string): string[];
}

export const NODE_CGROUP_FILES: CgroupFiles = {
  read: (file) => {
    try {
      return fs.readFileSync(file, 'utf8');
    } catch {
      return undefined;
    }
  },
  write: (file, text) => fs.writeFileSync(file, text),
  exists: (file) => fs.existsSync(file),
  subdirs: (dir) => {
    try {
      return fs.readdirSync(dir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => path.join(dir, d.name));
    } catch {
      return [];
    }
  },
};

export interface CgroupActionDeps {
  readonly probe: StartTimeProbe;
  /** Whether the pid is in the cgroup (or below) now, from its /proc/PID/cgroup. */
  readonly inCgroup: (pid: number) => boolean;
  readonly wait: (ms: number) => Promise<void>;
  readonly kill?: KillFn;
  readonly files?: CgroupFiles;
  /** How long a freeze or a kill may take to show (default 2 s). */
  readonly settleMs?: number;
}

export type CgroupOutcome = 'done' | 'partial' | 'permission-denied' | 'gone' | 'refused' | 'timeout';

export interface CgroupActionResult {
  readonly outcome: CgroupOutcome;
  /** One status line. */
  readonly message: string;
  /** The signals of a kill done member by member (none for freeze, thaw, cgroup.kill). */
  readonly signals: readonly SignalResult[];
}

/** Pids of a cgroup and every cgroup below it. */
export function cgroupPids(dir: string, files: CgroupFiles = NODE_CGROUP_FILES): number[] {
  const pids: number[] = [];
  const stack = [dir];
  while (stack.length > 0) {
    const d = stack.pop() as string;
    for (const line of (files.read(path.join(d, 'cgroup.procs')) ?? '').split('\n')) if (/^\d+$/.test(line)) pids.push(Number(line));
    stack.push(...files.subdirs(d));
  }
  return pids;
}

/** Whether the freezer reports the cgroup frozen: v2 cgroup.events `frozen 1`, v1 freezer.state `FROZEN`. */
export function isFrozen(freezer: NonNullable<CgroupHandle['freezer']>, files: CgroupFiles = NODE_CGROUP_FILES): boolean | undefined {
  if (freezer.version === 2) {
    const events = files.read(path.join(freezer.dir, 'cgroup.events'));
    return events === undefined ? undefined : /^frozen 1$/m.test(events);
  }
  const state = files.read(path.join(freezer.dir, 'freezer.state'));
  return state === undefined ? undefined : state.trim() === 'FROZEN';
}

function errorOutcome(err: unknown, what: string): CgroupActionResult {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'EACCES' || code === 'EPERM') return { outcome: 'permission-denied', message: `${what}: permission denied (needs root, or a delegated cgroup)`, signals: [] };
  if (code === 'ENOENT' || code === 'ENODEV') return { outcome: 'gone', message: `${what}: the cgroup is gone`, signals: [] };
  return { outcome: 'refused', message: `${what}: ${code ?? String(err)}`, signals: [] };
}

/** Polls `done` every POLL_MS until it holds or `ms` pass. */
async function settle(done: () => boolean, ms: number, wait: (ms: number) => Promise<void>): Promise<boolean> {
  for (let waited = 0; ; waited += POLL_MS) {
    if (done()) return true;
    if (waited >= ms) return false;
    await wait(POLL_MS);
  }
}

const plural = (n: number): string => (n === 1 ? '1 process' : `${n} processes`);

/**
 * Runs one action on a cgroup. Refuses the root cgroup always, and a cgroup that holds proctop
 * unless `selfConfirmed` (its path was typed).
 */
export async function actOnCgroup(kind: CgroupActionKind, handle: CgroupHandle, selfConfirmed: boolean, deps: CgroupActionDeps): Promise<CgroupActionResult> {
  const files = deps.files ?? NODE_CGROUP_FILES;
  if (handle.path === '/' || handle.path === '') return { outcome: 'refused', message: 'refused: the root cgroup is never a target', signals: [] };
  if (handle.holdsSelf && kind !== 'thaw' && !selfConfirmed) return { outcome: 'refused', message: `refused: ${handle.path} holds proctop itself (type its path to confirm)`, signals: [] };
  if (!files.exists(handle.dir)) return { outcome: 'gone', message: `${handle.path}: the cgroup is gone`, signals: [] };
  if (kind === 'kill') return killCgroup(handle, deps, files);
  return setFrozen(handle, kind === 'freeze', deps, files);
}

async function setFrozen(handle: CgroupHandle, freeze: boolean, deps: CgroupActionDeps, files: CgroupFiles): Promise<CgroupActionResult> {
  const verb = freeze ? 'freeze' : 'thaw';
  const freezer = handle.freezer;
  if (freezer === undefined) {
    return { outcome: 'refused', message: `${verb} ${handle.path}: no freezer for it (v1: not in a freezer cgroup of that path; mount the freezer controller)`, signals: [] };
  }
  try {
    if (freezer.version === 2) files.write(path.join(freezer.dir, 'cgroup.freeze'), freeze ? '1' : '0');
    else files.write(path.join(freezer.dir, 'freezer.state'), freeze ? 'FROZEN' : 'THAWED');
  } catch (err) {
    return errorOutcome(err, `${verb} ${handle.path}`);
  }
  const count = cgroupPids(handle.dir, files).length;
  const settled = await settle(() => isFrozen(freezer, files) === freeze, deps.settleMs ?? SETTLE_MS, deps.wait);
  if (!settled) {
    const still = freeze ? (freezer.version === 1 ? 'still FREEZING' : 'not frozen yet') : 'still frozen';
    return { outcome: 'timeout', message: `${verb} ${handle.path}: ${still} after ${((deps.settleMs ?? SETTLE_MS) / 1000).toFixed(1)} s (written; a member in uninterruptible sleep can hold it)`, signals: [] };
  }
  return { outcome: 'done', message: `${freeze ? 'frozen' : 'thawed'} ${plural(count)} in ${handle.path}`, signals: [] };
}

/**
 * Kills every member. v2 with cgroup.kill: one write, the kernel does the rest atomically.
 * Otherwise freeze first (so nothing forks), SIGKILL each member whose start time and cgroup
 * check out, then thaw (a v1 frozen task dies only once thawed); without any freezer, rounds
 * of SIGKILL until the cgroup is empty — a process forking faster than that can race it.
 */
async function killCgroup(handle: CgroupHandle, deps: CgroupActionDeps, files: CgroupFiles): Promise<CgroupActionResult> {
  const settleMs = deps.settleMs ?? SETTLE_MS;
  const before = cgroupPids(handle.dir, files).length;
  const empty = (): boolean => cgroupPids(handle.dir, files).length === 0;
  const killFile = path.join(handle.dir, 'cgroup.kill');
  if (handle.version === 2 && files.exists(killFile)) {
    try {
      files.write(killFile, '1');
    } catch (err) {
      return errorOutcome(err, `kill ${handle.path}`);
    }
    const gone = await settle(empty, settleMs, deps.wait);
    const left = cgroupPids(handle.dir, files);
    return gone
      ? { outcome: 'done', message: `killed ${plural(before)} in ${handle.path} (cgroup.kill); it is empty`, signals: [] }
      : { outcome: 'partial', message: `kill ${handle.path} (cgroup.kill): ${plural(left.length)} still there after ${(settleMs / 1000).toFixed(1)} s [PID ${left.slice(0, 5).join(', ')}]`, signals: [] };
  }
  const freezer = handle.freezer;
  let frozeNote = '';
  if (freezer !== undefined) {
    const frozen = await setFrozen(handle, true, deps, files);
    if (frozen.outcome === 'permission-denied' || frozen.outcome === 'gone') return frozen;
    if (frozen.outcome !== 'done') frozeNote = ' (the freeze did not complete: a fork may have raced the kill)';
  }
  const signals: SignalResult[] = [];
  const seen = new Set<string>();
  for (let round = 0; round < (freezer === undefined ? KILL_ROUNDS : 1); round++) {
    const pids = cgroupPids(handle.dir, files);
    if (pids.length === 0) break;
    for (const pid of pids) {
      // The identity is taken now, then the pid is confirmed in the cgroup: a pid reused since
      // cgroup.procs was read is either not there, or carries another start time and is refused.
      const startTicks = deps.probe(pid);
      if (startTicks === undefined || seen.has(`${pid}:${startTicks}`) || !deps.inCgroup(pid)) continue;
      seen.add(`${pid}:${startTicks}`);
      signals.push(sendSignal({ pid, startTicks }, SIGKILL, deps.probe, deps.kill));
    }
    if (freezer === undefined) await settle(empty, 100, deps.wait);
  }
  if (freezer !== undefined) await setFrozen(handle, false, deps, files);
  const gone = await settle(empty, settleMs, deps.wait);
  const sent = signals.filter((s) => s.outcome === 'sent').length;
  const denied = signals.filter((s) => s.outcome === 'permission-denied').length;
  const how = freezer === undefined ? 'SIGKILL each, no freezer' : 'frozen, SIGKILL each, thawed';
  const left = cgroupPids(handle.dir, files);
  const tail = gone ? 'it is empty' : `${plural(left.length)} still there [PID ${left.slice(0, 5).join(', ')}]`;
  const outcome: CgroupOutcome = gone ? 'done' : denied > 0 && sent === 0 ? 'permission-denied' : 'partial';
  return { outcome, message: `killed ${sent} of ${plural(before)} in ${handle.path} (${how})${denied > 0 ? `, ${denied} permission denied` : ''}; ${tail}${frozeNote}`, signals };
}
