/**
 * Freezing, thawing and killing a cgroup: what each action is, and the pure planning that turns
 * "the selected process's cgroup" into exactly what will be affected and how much confirmation
 * it needs. The effect itself (cgroupfs writes, signals) is in src/actions/cgroup-control.ts; it
 * re-checks what matters against the kernel, this decides what the dialog shows.
 */
import { CgroupInfo, ProcessInfo } from './snapshot';

export type CgroupActionKind = 'freeze' | 'thaw' | 'kill';

/** One cgroup action as the menu and the confirmation show it. */
export interface CgroupActionSpec {
  readonly kind: CgroupActionKind;
  /** Key that picks it in the cgroup menu. */
  readonly key: string;
  /** Menu line. */
  readonly title: string;
  /** How it is done, for the confirmation (`cgroup.freeze`, `freezer.state FROZEN`). */
  readonly how: (version: 1 | 2) => string;
}

export const CGROUP_ACTIONS: readonly CgroupActionSpec[] = [
  {
    kind: 'freeze', key: 'f', title: 'Freeze: stop every member where it is (no signal they can see)',
    how: (v) => (v === 2 ? 'writes 1 to cgroup.freeze' : 'writes FROZEN to the v1 freezer.state (members show state D)'),
  },
  {
    kind: 'thaw', key: 't', title: 'Thaw: let a frozen cgroup run again',
    how: (v) => (v === 2 ? 'writes 0 to cgroup.freeze' : 'writes THAWED to the v1 freezer.state'),
  },
  {
    kind: 'kill', key: 'K', title: 'Kill: SIGKILL every member, including those forked meanwhile',
    how: (v) => (v === 2
      ? 'writes 1 to cgroup.kill (kernel ≥ 5.14); else freeze, SIGKILL each member (PID + start time checked), thaw'
      : 'freeze, SIGKILL each member (PID + start time checked), thaw; without a v1 freezer, rounds of SIGKILL that a fast fork can race'),
  },
];

export function cgroupActionSpec(kind: CgroupActionKind): CgroupActionSpec {
  return CGROUP_ACTIONS.find((a) => a.kind === kind) as CgroupActionSpec;
}

/** A process the action will reach, as the preview lists it. */
export interface CgroupMember {
  readonly pid: number;
  readonly startTicks: number;
  readonly user: string;
  readonly command: string;
}

/** Exactly what an action on a cgroup will affect, as planned from one frame. */
export interface CgroupPlan {
  readonly kind: CgroupActionKind;
  /** The cgroup, as processes name it ({@link ProcessInfo.cgroup}). */
  readonly path: string;
  readonly version: 1 | 2;
  /** Members in it and in the cgroups below it (freeze and kill reach descendants too). */
  readonly members: readonly CgroupMember[];
  /** Members in cgroups below it, among {@link members}. */
  readonly below: number;
  /**
   * When set, the path must be typed to confirm (not just `y`): the cgroup holds proctop itself
   * (freezing it freezes the screen you would thaw it from) or PID 1.
   */
  readonly mustType: string | undefined;
  /** Why {@link mustType} is set, for the dialog. */
  readonly danger: readonly string[];
}

/** What the planning needs besides the frame. */
export interface CgroupPlanContext {
  /** proctop's own pid (its cgroup, or an ancestor of it, needs the path typed). */
  readonly selfPid: number;
}

/** Whether `path` is `cgroup` itself or a cgroup below it. */
export function isAtOrBelow(path: string, cgroup: string): boolean {
  return path === cgroup || (cgroup === '/' ? path.startsWith('/') : path.startsWith(`${cgroup}/`));
}

/**
 * Plans an action on the cgroup of `subject`, or says why it cannot be done (`--readonly` is
 * refused before, in view/command-policy.ts, like every command that changes the system): no
 * process, its cgroup not known (cgroups not read yet), or the root cgroup, which is never a target.
 */
export function planCgroupAction(
  kind: CgroupActionKind,
  subject: ProcessInfo | undefined,
  processes: readonly ProcessInfo[],
  cgroups: readonly CgroupInfo[],
  ctx: CgroupPlanContext,
): CgroupPlan | { readonly error: string } {
  if (subject === undefined) return { error: 'No process selected' };
  const path = subject.cgroup;
  if (path === undefined) return { error: `The cgroup of PID ${subject.pid} is not known yet (cgroups are read from the next refresh on: try again then)` };
  if (path === '/') return { error: `Refused: PID ${subject.pid} is in the root cgroup, which is never a target` };
  return planCgroupActionAt(kind, path, processes, cgroups, ctx);
}

/**
 * Plans an action on the cgroup at `path` (the cgroup view's selected row, which may hold no
 * process itself, only cgroups below it). The root is refused; so is a cgroup with no process
 * at or below it in this frame: the action finds the cgroup again through a listed member.
 */
export function planCgroupActionAt(
  kind: CgroupActionKind,
  path: string,
  processes: readonly ProcessInfo[],
  cgroups: readonly CgroupInfo[],
  ctx: CgroupPlanContext,
): CgroupPlan | { readonly error: string } {
  if (path === '/') return { error: 'Refused: the root cgroup is never a target' };
  const versions = new Map(cgroups.map((c) => [c.path, c.version]));
  const below = (p: ProcessInfo): boolean => !p.thread && p.cgroup !== undefined && isAtOrBelow(p.cgroup, path);
  // A row the view joined in (no process of its own) takes the version of the cgroups below it.
  const first = processes.find(below);
  const version = versions.get(path) ?? (first?.cgroup === undefined ? undefined : versions.get(first.cgroup)) ?? 1;
  // Freezing and killing reach the cgroups below too: list their members, in the same hierarchy.
  const inside = processes.filter((p) => below(p) && (versions.get(p.cgroup as string) ?? version) === version);
  if (inside.length === 0) return { error: `No process is in ${path} or below it in this frame: nothing to act on` };
  const members = inside.map((p) => ({ pid: p.pid, startTicks: p.startTicks, user: p.user ?? '-', command: p.command }));
  const danger: string[] = [];
  // Thawing harms nothing: only freeze and kill ask for the path to be typed.
  const self = processes.find((p) => p.pid === ctx.selfPid && !p.thread);
  if (kind !== 'thaw' && self?.cgroup !== undefined && isAtOrBelow(self.cgroup, path)) danger.push(self.cgroup === path ? 'proctop itself is in this cgroup' : `proctop itself is below it (${self.cgroup})`);
  if (kind !== 'thaw' && inside.some((p) => p.pid === 1)) danger.push('PID 1 (init) is in it');
  return { kind, path, version, members, below: inside.filter((p) => p.cgroup !== path).length, mustType: danger.length > 0 ? path : undefined, danger };
}
