import { actOnCgroup, CgroupActionResult, CgroupHandle } from '../actions/cgroup-control';
import { appendActionLog, ActionRecord } from '../actions/action-log';
import { isAtOrBelow } from '../model/cgroup-action';
import { ProcessProbe } from '../model/snapshot-source';
import { CgroupReader } from '../procfs/cgroup-reader';
import { CgroupMembership, V1_NAMING } from '../procfs/parse/cgroup';
import { ProcReader } from '../procfs/reader';
import { CgroupEffect, EffectOutcome } from './ports';

/** Where a process sits in the hierarchy a handle acts in (v2, or one v1 controller). */
type Locate = (m: CgroupMembership) => string | undefined;

/**
 * Finds the cgroup of an effect on the live system again, through a listed member that is still
 * the same process (pid + start time) and still in it: its /proc/PID/cgroup says which
 * hierarchy the path is from, so the directories to act on follow from the mounts.
 */
export function resolveCgroup(effect: CgroupEffect, cgroups: CgroupReader, probe: ProcessProbe, selfPid: number): { handle: CgroupHandle; locate: Locate } | undefined {
  for (const m of [effect.subject, ...effect.members]) {
    if (probe.startTicks(m.pid) !== m.startTicks) continue;
    const membership = cgroups.membership(m.pid);
    // A member of the cgroup or of one below it (the cgroup view acts on rows with no process of their own).
    if (membership === undefined || !isAtOrBelow(membership.path, effect.path) || membership.version !== effect.version) continue;
    const self = cgroups.membership(selfPid);
    if (effect.version === 2) {
      const dir = cgroups.dir(effect.path);
      if (dir === undefined) return undefined;
      const locate: Locate = (x) => x.v2;
      return { handle: { path: effect.path, version: 2, dir, freezer: { version: 2, dir }, holdsSelf: holds(self, locate, effect.path) }, locate };
    }
    const controller = V1_NAMING.find((c) => membership.v1.get(c) === membership.path);
    const dir = controller === undefined ? undefined : cgroups.dir(effect.path, controller);
    if (controller === undefined || dir === undefined) return undefined;
    const locate: Locate = (x) => x.v1.get(controller);
    // The v1 freezer is its own hierarchy: usable when the process sits at the same path in it.
    const freezerAt = membership.v1.get('freezer');
    const freezerDir = freezerAt !== undefined && isAtOrBelow(freezerAt, effect.path) ? cgroups.dir(effect.path, 'freezer') : undefined;
    const inFreezer = holds(self, (x) => x.v1.get('freezer'), effect.path) && freezerDir !== undefined;
    return { handle: { path: effect.path, version: 1, dir, freezer: freezerDir === undefined ? undefined : { version: 1, dir: freezerDir }, holdsSelf: holds(self, locate, effect.path) || inFreezer }, locate };
  }
  return undefined;
}

function holds(self: CgroupMembership | undefined, locate: Locate, path: string): boolean {
  const at = self === undefined ? undefined : locate(self);
  return at !== undefined && isAtOrBelow(at, path);
}

/** Runs cgroup effects on the live system and writes them to the action log. */
export function cgroupRunner(reader: ProcReader | undefined, probe: ProcessProbe, selfPid: number, logFile?: string): (effect: CgroupEffect) => Promise<EffectOutcome> {
  const cgroups = reader === undefined ? undefined : new CgroupReader(reader, '');
  const wait = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
  return async (effect) => {
    let result: CgroupActionResult;
    const found = cgroups === undefined ? undefined : resolveCgroup(effect, cgroups, probe, selfPid);
    if (cgroups === undefined) result = { outcome: 'refused', message: 'cgroup actions need the /proc sampler', signals: [] };
    else if (found === undefined) result = { outcome: 'gone', message: `${effect.path}: gone (no listed member is in it any more)`, signals: [] };
    else {
      const { handle, locate } = found;
      const inCgroup = (pid: number): boolean => {
        const m = cgroups.membership(pid);
        const at = m === undefined ? undefined : locate(m);
        return at !== undefined && isAtOrBelow(at, handle.path);
      };
      result = await actOnCgroup(effect.action, handle, effect.typed, { probe: probe.startTicks, inCgroup, wait });
    }
    const logError = log(effect, result, logFile);
    const text = `cgroup ${effect.action}: ${result.message}${logError ? ` (${logError})` : ''}`;
    return { text, error: result.outcome !== 'done' || logError !== undefined };
  };
}

function log(effect: CgroupEffect, result: CgroupActionResult, file: string | undefined): string | undefined {
  const time = new Date().toISOString();
  const s = effect.subject;
  const records: ActionRecord[] = [
    { time, action: `cgroup-${effect.action}`, pid: s.pid, startTicks: s.startTicks, command: s.command, outcome: result.outcome, message: result.message, cgroup: effect.path },
    ...result.signals.map((r): ActionRecord => ({
      time, action: 'cgroup-kill', signal: 'SIGKILL', pid: r.target.pid, startTicks: r.target.startTicks,
      command: effect.members.find((m) => m.pid === r.target.pid && m.startTicks === r.target.startTicks)?.command ?? '?', outcome: r.outcome, message: r.message, cgroup: effect.path,
    })),
  ];
  return file === undefined ? appendActionLog(records) : appendActionLog(records, file);
}
