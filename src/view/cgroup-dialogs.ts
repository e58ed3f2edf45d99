import { CGROUP_ACTIONS, cgroupActionSpec, CgroupPlan } from '../model/cgroup-action';
import { fit, sanitize } from './text';
import { UiState } from './ui-state';
import { Dialog, fitLine, Line, Segment } from './view-model';

/** The preview every cgroup dialog opens with: which cgroup, how many processes, a sample of them. */
function previewLines(plan: CgroupPlan, inner: number, room: number): Line[] {
  const count = plan.members.length;
  const below = plan.below > 0 ? ` (${plan.below} in cgroups below it)` : '';
  const lines: Line[] = [
    fitLine([{ text: 'cgroup ', style: 'label' }, { text: sanitize(plan.path), style: 'value' }, { text: ` (v${plan.version})`, style: 'dim' }], inner),
    fitLine([{ text: `${count === 1 ? '1 process' : `${count} processes`}${below} in this frame:`, style: 'dialog' }], inner),
  ];
  const shown = plan.members.slice(0, count > room ? Math.max(0, room - 1) : room);
  for (const m of shown) {
    const segs: Segment[] = [{ text: `${String(m.pid).padStart(7)} `, style: 'value' }, { text: `${fit(sanitize(m.user), 9, 'left')} `, style: 'dialog' }, { text: sanitize(m.command), style: 'dialog' }];
    lines.push(fitLine(segs, inner));
  }
  if (shown.length < count) lines.push(fitLine([{ text: `… and ${count - shown.length} more`, style: 'dim' }], inner));
  return lines;
}

function cgroupMenu(plan: CgroupPlan, index: number, screenW: number, screenH: number): Dialog {
  const width = Math.min(screenW, 86);
  const inner = width - 2;
  const room = Math.max(1, Math.min(8, screenH - 8 - CGROUP_ACTIONS.length));
  const lines = previewLines(plan, inner, room);
  CGROUP_ACTIONS.forEach((a, i) => lines.push(fitLine([{ text: ` ${a.key}  ${a.title}`, style: i === index ? 'dialog-selected' : 'dialog' }], inner)));
  lines.push(fitLine([{ text: 'f/t/K or arrows + Enter: choose (a confirmation follows)  Esc: cancel', style: 'dim' }], inner));
  return { title: 'Cgroup action', lines, width, height: Math.min(screenH, lines.length + 2) };
}

function cgroupConfirm(plan: CgroupPlan, typed: string, screenW: number, screenH: number): Dialog {
  const width = Math.min(screenW, 86);
  const inner = width - 2;
  const spec = cgroupActionSpec(plan.kind);
  const room = Math.max(1, screenH - 9 - (plan.mustType !== undefined ? 2 + plan.danger.length : 0));
  const lines = previewLines(plan, inner, Math.min(room, 12));
  lines.push(fitLine([{ text: `How: ${spec.how(plan.version)}`, style: 'dim' }], inner));
  if (plan.mustType !== undefined) {
    for (const d of plan.danger) lines.push(fitLine([{ text: `Careful: ${d}.`, style: 'alert' }], inner));
    lines.push(fitLine([{ text: 'Type the path and Enter to confirm: ', style: 'alert' }, { text: sanitize(typed), style: 'prompt' }, { text: '_', style: 'prompt' }], inner));
    lines.push(fitLine([{ text: 'Esc: cancel', style: 'label' }], inner));
  } else {
    lines.push(fitLine([{ text: `y/Enter: ${plan.kind}    n/Esc: cancel`, style: 'label' }], inner));
  }
  const verb = { freeze: 'Freeze', thaw: 'Thaw', kill: 'Kill every process in' }[plan.kind];
  return { title: `${verb} this cgroup?`, lines, width, height: Math.min(screenH, lines.length + 2) };
}

/** The cgroup menu or confirmation, or undefined in any other mode. */
export function cgroupDialog(state: UiState, screenW: number, screenH: number): Dialog | undefined {
  const mode = state.mode;
  if (mode.kind === 'cgroup-menu') return cgroupMenu(mode.preview, mode.index, screenW, screenH);
  if (mode.kind === 'cgroup-confirm') return cgroupConfirm(mode.plan, mode.typed, screenW, screenH);
  return undefined;
}
