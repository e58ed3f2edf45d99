/**
 * The cgroup actions' dialog flow: X opens a menu with the preview of the selected process's
 * cgroup (path, count, members); f, t, K or Enter picks freeze, thaw or kill; the confirmation
 * lists what will be hit, and asks for the path to be typed when the cgroup holds proctop or
 * PID 1. Pure, like the signal flow: reduce returns the effect, the loop performs it.
 */
import { CGROUP_ACTIONS, CgroupActionKind, CgroupPlan, planCgroupAction, planCgroupActionAt } from '../model/cgroup-action';
import { CgroupInfo, ProcessInfo } from '../model/snapshot';
import { Command } from './commands';
import type { CgroupEffect } from './reduce';
import { targetOf } from './signal-flow';
import { Target, UiState } from './ui-state';

/** What the cgroup flow needs to know about the frame. */
export interface CgroupFlowContext {
  readonly processes: readonly ProcessInfo[];
  readonly cgroups: readonly CgroupInfo[];
  readonly selfPid: number;
}

const say = (state: UiState, text: string, error = false): UiState => ({ ...state, status: { text, error } });
const normal = (state: UiState): UiState => ({ ...state, mode: { kind: 'normal' } });

/** The member an effect names as its subject: the one it was chosen from while still listed, else the first. */
function subjectOf(plan: CgroupPlan, wanted: Target | undefined): Target | undefined {
  const m = plan.members.find((x) => wanted !== undefined && x.pid === wanted.pid && x.startTicks === wanted.startTicks) ?? plan.members[0];
  return m === undefined ? undefined : { pid: m.pid, startTicks: m.startTicks, user: m.user, command: m.command };
}

/** Opens the menu for the cgroup of `subject`, or says why not (read-only, root cgroup, not known yet). */
export function openCgroupMenu(state: UiState, subject: ProcessInfo | undefined, ctx: CgroupFlowContext): UiState {
  const preview = planCgroupAction('freeze', subject, ctx.processes, ctx.cgroups, { selfPid: ctx.selfPid });
  // Not read yet (no cgroup column or filter asked for them): they are from the next refresh on.
  const asked = subject !== undefined && subject.cgroup === undefined ? { ...state, cgroupsAsked: true } : state;
  if ('error' in preview || subject === undefined) return say(asked, 'error' in preview ? preview.error : 'No process selected', true);
  return { ...state, mode: { kind: 'cgroup-menu', index: 0, subject: targetOf(subject), preview } };
}

/**
 * Opens the menu for the cgroup at `path` (X in the cgroup view, on its selected row), with the
 * same preview, refusals and confirmation as from the table; the subject is its first member.
 */
export function openCgroupMenuAt(state: UiState, path: string | undefined, ctx: CgroupFlowContext): UiState {
  if (path === undefined) return say(state, 'No cgroup selected', true);
  const preview = planCgroupActionAt('freeze', path, ctx.processes, ctx.cgroups, { selfPid: ctx.selfPid });
  if ('error' in preview) return say(state, preview.error, true);
  const subject = subjectOf(preview, undefined);
  if (subject === undefined) return say(state, `No process is in ${path} or below it in this frame: nothing to act on`, true);
  return { ...state, mode: { kind: 'cgroup-menu', index: 0, subject, preview } };
}

function choose(state: UiState, kind: CgroupActionKind, mode: { readonly subject: Target; readonly preview: CgroupPlan }, ctx: CgroupFlowContext): UiState {
  // Planned again on this frame: members may have come and gone since the menu opened.
  const plan = planCgroupActionAt(kind, mode.preview.path, ctx.processes, ctx.cgroups, { selfPid: ctx.selfPid });
  if ('error' in plan) return say(normal(state), plan.error, true);
  const subject = subjectOf(plan, mode.subject);
  if (subject === undefined) return say(normal(state), `${mode.preview.path}: no member left`, true);
  return { ...state, mode: { kind: 'cgroup-confirm', subject, plan, typed: '' } };
}

/** Keys in the cgroup menu: arrows and Enter, or the action's letter. */
export function reduceCgroupMenu(state: UiState, command: Command, ctx: CgroupFlowContext): UiState {
  const mode = state.mode;
  if (mode.kind !== 'cgroup-menu') return state;
  switch (command.kind) {
    case 'move':
    case 'page':
      return { ...state, mode: { ...mode, index: Math.max(0, Math.min(CGROUP_ACTIONS.length - 1, mode.index + command.delta)) } };
    case 'type': {
      const action = CGROUP_ACTIONS.find((a) => a.key === command.text);
      return action ? choose(state, action.kind, mode, ctx) : state;
    }
    case 'accept':
      return choose(state, (CGROUP_ACTIONS[mode.index] ?? CGROUP_ACTIONS[0])?.kind ?? 'freeze', mode, ctx);
    case 'cancel':
      return say(normal(state), 'Cancelled: the cgroup was not touched');
    default:
      return state;
  }
}

/** y/Enter confirms (after the typed path when required); n/Esc cancels. */
export function reduceCgroupConfirm(state: UiState, command: Command): { state: UiState; effect: CgroupEffect | undefined } {
  const mode = state.mode;
  if (mode.kind !== 'cgroup-confirm') return { state, effect: undefined };
  const plan = mode.plan;
  switch (command.kind) {
    case 'type':
      return { state: { ...state, mode: { ...mode, typed: (mode.typed + command.text).slice(0, 4096) } }, effect: undefined };
    case 'backspace':
      return { state: { ...state, mode: { ...mode, typed: [...mode.typed].slice(0, -1).join('') } }, effect: undefined };
    case 'erase':
      return { state: { ...state, mode: { ...mode, typed: '' } }, effect: undefined };
    case 'no':
    case 'cancel':
      return { state: say(normal(state), 'Cancelled: the cgroup was not touched'), effect: undefined };
    case 'yes': {
      if (plan.mustType !== undefined && mode.typed !== plan.mustType) {
        return { state: say(state, `Type the cgroup's path exactly (${plan.mustType}), then Enter`, true), effect: undefined };
      }
      const effect: CgroupEffect = {
        kind: 'cgroup', action: plan.kind, path: plan.path, version: plan.version, subject: mode.subject,
        members: plan.members, typed: plan.mustType !== undefined,
      };
      return { state: say(normal(state), `cgroup ${plan.kind}: ${plan.path}…`), effect };
    }
    default:
      return { state, effect: undefined };
  }
}
