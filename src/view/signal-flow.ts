import { identityKey, ProcessInfo } from '../model/snapshot';
import { DEFAULT_SIGNAL, SIGNALS } from '../model/signals';
import { Command } from './commands';
import { Target, ReturnMode, SignalScope, SIGNAL_SCOPES, UiState } from './ui-state';
import { err, ok, Result } from '../base/result';

/** What the signal flow needs to know about the current frame. */
export interface SignalContext {
  /** Every process of the snapshot (group and session members may be hidden by filters). */
  readonly processes: readonly ProcessInfo[];
  readonly subtree: (p: ProcessInfo) => readonly ProcessInfo[];
  /** proctop's own pid: signalling it needs the pid typed. */
  readonly selfPid: number;
}

export function targetOf(p: ProcessInfo): Target {
  return { pid: p.pid, startTicks: p.startTicks, user: p.user ?? '-', command: p.command };
}

const say = (state: UiState, text: string, error = false): UiState => ({ ...state, status: { text, error } });

/** Opens the signal menu for a subject (the selection or a zombie parent); tagged processes make 'tagged' the default scope. */
export function openSignalMenu(state: UiState, subject: ProcessInfo | undefined, returnTo: ReturnMode): UiState {
  if (state.tagged.size === 0 && !subject) return say(state, 'No process selected', true);
  const index = SIGNALS.findIndex((s) => s.number === DEFAULT_SIGNAL);
  // From the zombie view the user picked one parent: leftover tags from the table must not widen that.
  const scope: SignalScope = state.tagged.size > 0 && returnTo === 'normal' ? 'tagged' : 'process';
  return { ...state, mode: { kind: 'signal-menu', index, typed: '', scope, subject: subject && targetOf(subject), returnTo } };
}

/** Exactly the processes a scope covers, or why it can't be used. */
export function scopeTargets(state: UiState, scope: SignalScope, subject: Target | undefined, ctx: SignalContext): Result<{ targets: Target[]; group?: number }> {
  const subjectInfo = subject && ctx.processes.find((p) => p.pid === subject.pid && p.startTicks === subject.startTicks);
  const procs = ctx.processes.filter((p) => !p.thread);
  switch (scope) {
    case 'tagged': {
      const tagged = procs.filter((p) => state.tagged.has(identityKey(p)));
      return tagged.length > 0 ? ok({ targets: tagged.map(targetOf) }) : err('No tagged processes (Space tags)');
    }
    case 'process':
      return subject ? ok({ targets: [subject] }) : err('No process selected');
    case 'group':
      if (!subjectInfo) return err('The process is gone');
      if (subjectInfo.pgid <= 1) return err(`Refused: process group ${subjectInfo.pgid} (never a group ≤ 1)`);
      return ok({ targets: procs.filter((p) => p.pgid === subjectInfo.pgid).map(targetOf), group: subjectInfo.pgid });
    case 'session':
      if (!subjectInfo) return err('The process is gone');
      if (subjectInfo.sid <= 1) return err(`Refused: session ${subjectInfo.sid}`);
      return ok({ targets: procs.filter((p) => p.sid === subjectInfo.sid).map(targetOf) });
    case 'subtree':
      if (!subjectInfo) return err('The process is gone');
      return ok({ targets: ctx.subtree(subjectInfo).filter((p) => !p.thread).map(targetOf) });
  }
}

function typeSignalNumber(state: UiState, command: Command): UiState {
  const mode = state.mode;
  if (mode.kind !== 'signal-menu') return state;
  let typed = command.kind === 'backspace' ? mode.typed.slice(0, -1) : command.kind === 'type' && /^\d$/.test(command.text) ? mode.typed + command.text : mode.typed;
  if (typed.length > 2 || !SIGNALS.some((s) => String(s.number).startsWith(typed))) typed = command.kind === 'type' ? command.text.replace(/\D/g, '') : '';
  // No signal starts with 0: a lone 0 would only leave a stray digit in the title.
  if (typed === '0') typed = '';
  const index = SIGNALS.findIndex((s) => String(s.number) === typed);
  return { ...state, mode: { ...mode, typed, index: index >= 0 ? index : mode.index } };
}

/** Keys in the signal menu: move, type a number, change scope, choose. */
export function reduceSignalMenu(state: UiState, command: Command, ctx: SignalContext): UiState {
  const mode = state.mode;
  if (mode.kind !== 'signal-menu') return state;
  const back = { ...state, mode: mode.returnTo === 'zombies' ? ({ kind: 'zombies', index: 0 } as const) : ({ kind: 'normal' } as const) };
  switch (command.kind) {
    case 'move':
    case 'page': {
      const step = command.kind === 'page' ? command.delta * 10 : command.delta;
      return { ...state, mode: { ...mode, index: Math.max(0, Math.min(SIGNALS.length - 1, mode.index + step)) } };
    }
    case 'type':
    case 'backspace':
      return typeSignalNumber(state, command);
    case 'cycle-scope': {
      const i = SIGNAL_SCOPES.indexOf(mode.scope);
      const scope = SIGNAL_SCOPES[(i + command.delta + SIGNAL_SCOPES.length) % SIGNAL_SCOPES.length] as SignalScope;
      return { ...state, mode: { ...mode, scope } };
    }
    case 'cancel':
      return say(back, 'Cancelled: no signal sent');
    case 'accept':
      return confirmFor(state, SIGNALS[mode.index]?.number ?? DEFAULT_SIGNAL, mode.scope, mode.subject, mode.returnTo, ctx);
    default:
      return state;
  }
}

/** The confirmation for a signal to a scope; PID 1 and proctop itself need their PID typed. */
export function confirmFor(state: UiState, signal: number, scope: SignalScope, subject: Target | undefined, returnTo: ReturnMode, ctx: SignalContext): UiState {
  const chosen = scopeTargets(state, scope, subject, ctx);
  if (!chosen.ok) return say(state, chosen.error, true);
  const { targets, group } = chosen.value;
  if (targets.length === 0) return say(state, 'Nothing to signal', true);
  const dangerous = targets.find((t) => t.pid === 1 || t.pid === ctx.selfPid);
  return {
    ...state,
    mode: { kind: 'confirm', signal, scope, targets, group, mustType: dangerous?.pid, typed: '', returnTo },
  };
}

/** y/Enter sends (after the typed PID when required); n/Esc cancels. */
export function reduceConfirm(state: UiState, command: Command): { state: UiState; send: boolean } {
  const mode = state.mode;
  if (mode.kind !== 'confirm') return { state, send: false };
  const back: UiState = { ...state, mode: mode.returnTo === 'zombies' ? { kind: 'zombies', index: 0 } : { kind: 'normal' } };
  if (command.kind === 'type' || command.kind === 'backspace') {
    const typed = command.kind === 'type' ? (mode.typed + command.text).slice(0, 8) : mode.typed.slice(0, -1);
    return { state: { ...state, mode: { ...mode, typed } }, send: false };
  }
  if (command.kind === 'no' || command.kind === 'cancel') return { state: say(back, 'Cancelled: no signal sent'), send: false };
  if (command.kind !== 'yes') return { state, send: false };
  if (mode.mustType !== undefined && mode.typed !== String(mode.mustType)) {
    return { state: say(state, `Type ${mode.mustType} then Enter to signal PID ${mode.mustType}`, true), send: false };
  }
  return { state: back, send: true };
}
