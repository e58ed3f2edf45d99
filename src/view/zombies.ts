import { identityKey, ProcessInfo, Snapshot } from '../model/snapshot';
import { signalByNumber } from '../model/signals';
import { ZombieFollowUp } from './ui-state';

/** Zombies of one parent, as the zombie view lists them. */
export interface ZombieGroup {
  readonly parentPid: number;
  /** Undefined when the parent is not visible (hidepid, or it raced away). */
  readonly parent: ProcessInfo | undefined;
  readonly zombies: readonly ProcessInfo[];
  /** When the oldest of them became a zombie (the kernel's word, else first sight), ms since the epoch. */
  readonly oldestSince: number;
  /** The oldest one's age is a lower bound (no word from the kernel; it was a zombie before proctop started). */
  readonly oldestLowerBound: boolean;
}

/** Zombies grouped by parent, the parents with most zombies first (then the oldest). */
export function zombieGroups(processes: readonly ProcessInfo[]): ZombieGroup[] {
  const byPid = new Map<number, ProcessInfo>();
  const groups = new Map<number, ProcessInfo[]>();
  for (const p of processes) {
    if (!p.thread) byPid.set(p.pid, p);
    if (p.state === 'Z' && !p.thread) {
      // Push, not copy: a zombie leak puts tens of thousands under one parent, and copying is quadratic.
      const list = groups.get(p.ppid);
      if (list) list.push(p);
      else groups.set(p.ppid, [p]);
    }
  }
  return [...groups]
    .map(([parentPid, zombies]) => {
      // Not Math.min(...): spreading ~100k+ arguments throws RangeError.
      const oldest = zombies.reduce((min, z) => (z.stateSince < min.stateSince ? z : min));
      return {
        parentPid,
        parent: byPid.get(parentPid),
        zombies: [...zombies].sort((a, b) => a.pid - b.pid),
        oldestSince: oldest.stateSince,
        oldestLowerBound: oldest.stateSinceLowerBound === true,
      };
    })
    .sort((a, b) => b.zombies.length - a.zombies.length || a.oldestSince - b.oldestSince || a.parentPid - b.parentPid);
}

/** How long an adopting parent gets to reap before the view warns that it does not. */
export const ADOPTION_GRACE_MS = 5000;

/**
 * What became of the zombies after an action on their parent: all reaped;
 * some left under the same parent; or adopted by a new parent (PID 1 or a
 * subreaper) that does not reap them either.
 */
export function followUpText(f: ZombieFollowUp, snapshot: Snapshot): { text: string; warn: boolean } {
  const alive = new Map(snapshot.processes.map((p) => [identityKey(p), p]));
  const left = f.zombies.map((z) => alive.get(identityKey(z))).filter((p): p is ProcessInfo => p !== undefined && p.state === 'Z');
  if (left.length === 0) {
    const what = f.zombies.length === 1 ? 'The zombie' : `All ${f.zombies.length} zombies`;
    return { text: `${what} of PID ${f.parentPid} ${f.zombies.length === 1 ? 'is' : 'are'} gone (reaped).`, warn: false };
  }
  const adopted = left.filter((z) => z.ppid !== f.parentPid);
  if (adopted.length > 0) {
    const parents = [...new Set(adopted.map((z) => z.ppid))].join(', ');
    const stayed = left.length - adopted.length;
    const alsoStayed = stayed > 0 ? ` ${stayed} still under PID ${f.parentPid}.` : '';
    // A new parent (init often reaps on a timer) gets a few seconds before we call it a non-reaper.
    if (snapshot.time - f.at < ADOPTION_GRACE_MS) {
      return { text: `${adopted.length} zombie(s) adopted by PID ${parents}; waiting for it to reap them…${alsoStayed}`, warn: false };
    }
    return {
      text: `${adopted.length} zombie(s) were adopted by PID ${parents}, which does not reap them: they stay Z until it calls wait() or exits.${alsoStayed}`,
      warn: true,
    };
  }
  const name = signalByNumber(f.signal)?.name ?? `signal ${f.signal}`;
  if (f.notSent !== undefined) {
    return { text: `${name} was not sent to PID ${f.parentPid} (${f.notSent}): ${left.length} of ${f.zombies.length} zombies stay under it.`, warn: true };
  }
  // The next step is the one not taken yet: t after SIGCHLD, K after a SIGTERM the parent survived.
  const next = f.signal === SIGCHLD ? ' (try t: SIGTERM the parent)' : f.signal === SIGTERM ? ` (it survived ${name}; K: SIGKILL the parent)` : '';
  return { text: `${left.length} of ${f.zombies.length} zombies still under PID ${f.parentPid}: it does not reap${next}.`, warn: true };
}

const SIGCHLD = 17;
const SIGTERM = 15;

/**
 * The follow-up once the action's outcome is known: a signal that did not reach the zombies'
 * parent (with its reason, e.g. permission denied) is remembered, so the view does not suggest what just failed.
 */
export function followUpNotSent(f: ZombieFollowUp | undefined, notSent: readonly { readonly pid: number; readonly reason: string }[]): ZombieFollowUp | undefined {
  const miss = f === undefined ? undefined : notSent.find((n) => n.pid === f.parentPid);
  return f !== undefined && miss !== undefined ? { ...f, notSent: miss.reason } : f;
}
