/**
 * The time keys in reduce: stepping, the go-to prompt, and the one rule that
 * keeps the past from being acted on. Pure.
 */
import { parseTimeSpec, TIME_FORMS } from '../model/time-spec';
import type { TravelTo } from '../model/snapshot-source';
import { identityKey, ProcessInfo, Snapshot } from '../model/snapshot';
import { Command } from './commands';
import { systemChange } from './command-policy';
import type { Effect, ReduceContext, Reduced } from './reduce';
import { targetOf } from './signal-flow';
import { Mode, Target, UiState } from './ui-state';
import { zombieGroups } from './zombies';

/**
 * Whether a command acts on the live system: what changes it (signals, renice, taskset/ionice,
 * strace: command-policy.ts, the table `--readonly` uses too) and lsof, which changes nothing but
 * reads the live process. A frame from the past describes processes that may have exited or
 * whose PIDs now belong to others, so none of these runs on it.
 */
export function actsOnLiveSystem(command: Command): boolean {
  return systemChange(command) !== undefined || command.kind === 'hand-off';
}

const say = (state: UiState, text: string, error = false): UiState => ({ ...state, status: { text, error } });
const none = (state: UiState): Reduced => ({ state, effects: [] });

/** What the command was meant for: the selection, the process in the details panel, or the zombie parent. */
function subjectOf(state: UiState, ctx: ReduceContext): Target | undefined {
  const mode = state.mode;
  if (mode.kind === 'details') return mode.target;
  if (mode.kind === 'zombies') {
    const parent = ctx.zombieGroups[Math.min(mode.index, ctx.zombieGroups.length - 1)]?.parent;
    return parent ? targetOf(parent) : undefined;
  }
  const row = ctx.rows.find((r) => r.matched && identityKey(r.process) === state.selected);
  return row ? targetOf(row.process) : undefined;
}

/**
 * A command that acts on the system, asked for while the screen shows the past: in a rewind,
 * ask to return to live first; in a replay, refuse. Undefined when the command may run.
 */
export function refuseInPast(state: UiState, command: Command, ctx: ReduceContext): Reduced | undefined {
  // A source that is not live and keeps no past at all is left to the loop's own refusal.
  if (ctx.live !== false || !actsOnLiveSystem(command) || ctx.travel === undefined) return undefined;
  if (ctx.travel === 'replay') {
    return none(say(state, 'Replay: signals, renice and tools act on the live system, never on a recording (run proctop without --replay)', true));
  }
  const mode: Mode = { kind: 'go-live', command, subject: subjectOf(state, ctx), from: state.mode, frameTime: ctx.now };
  return none({ ...state, mode });
}

/** The go-live question answered: yes goes live and then runs the command (after the identity check). */
export function reduceGoLive(state: UiState, command: Command): Reduced {
  const mode = state.mode;
  if (mode.kind !== 'go-live') return none(state);
  if (command.kind === 'no' || command.kind === 'cancel') return none(say({ ...state, mode: mode.from }, 'Still in the past: nothing sent'));
  if (command.kind !== 'yes') return none(state);
  return { state: { ...state, mode: { kind: 'normal' } }, effects: [{ kind: 'resume-live', pending: mode }] };
}

/** The time keys: a travel effect, or the prompt; only where the source keeps a past. */
export function reduceTimeKey(state: UiState, command: Command, ctx: ReduceContext): Reduced | undefined {
  const travel = (to: TravelTo): Reduced => {
    if (!ctx.travel) return none(say(state, 'Rewind is off (--rewind 0 or "rewind": "0" in the settings)', true));
    return { state, effects: [{ kind: 'travel', to }] };
  };
  switch (command.kind) {
    case 'time-step':
      return travel({ kind: 'step', frames: command.frames });
    case 'time-shift':
      return travel({ kind: 'shift', ms: command.ms });
    case 'time-live':
      return travel({ kind: 'live' });
    case 'time-goto':
      return ctx.travel ? none({ ...state, mode: { kind: 'goto', text: '' } }) : travel({ kind: 'live' });
    default:
      return undefined;
  }
}

/** The go-to prompt: typed text, then Enter parses it with the parser `--at` uses. */
export function reduceGoto(state: UiState, command: Command, ctx: ReduceContext): Reduced {
  const mode = state.mode;
  if (mode.kind !== 'goto') return none(state);
  switch (command.kind) {
    case 'type':
      return none({ ...state, mode: { kind: 'goto', text: (mode.text + command.text).slice(0, 64) } });
    case 'backspace':
      return none({ ...state, mode: { kind: 'goto', text: [...mode.text].slice(0, -1).join('') } });
    case 'erase':
      return none({ ...state, mode: { kind: 'goto', text: command.what === 'line' ? '' : mode.text.replace(/\S*\s*$/, '') } });
    case 'cancel':
      return none({ ...state, mode: { kind: 'normal' } });
    case 'accept': {
      const time = parseTimeSpec(mode.text, ctx.clockNow ?? ctx.now, ctx.tzOffset ?? 0);
      if (time === undefined) return none(say(state, `Go to: cannot read ${JSON.stringify(mode.text)}; expected ${TIME_FORMS}`, true));
      return { state: { ...state, mode: { kind: 'normal' } }, effects: [{ kind: 'travel', to: { kind: 'time', time } } satisfies Effect] };
    }
    default:
      return none(state);
  }
}

/**
 * After going live for a command asked in the past: the mode to resume in and the command to
 * run, when the process it was meant for is still there with the same start time; otherwise
 * the reason nothing is run. The actions check pid + start time once more when they act.
 */
export function resumeAfterLive(state: UiState, pending: Extract<Mode, { kind: 'go-live' }>, live: Snapshot): { state: UiState; command: Command | undefined } {
  const subject = pending.subject;
  if (!subject) return { state: { ...state, mode: pending.from.kind === 'zombies' ? pending.from : { kind: 'normal' } }, command: pending.command };
  const same = (p: ProcessInfo): boolean => p.pid === subject.pid && p.startTicks === subject.startTicks;
  if (!live.processes.some(same)) {
    const text = `Back to live: PID ${subject.pid} from the past has exited since (or its PID now belongs to another process); nothing sent`;
    // The selection lets go of it too: the "PID … exited" note of reconcile would hide why nothing was sent.
    return { state: say({ ...state, mode: { kind: 'normal' }, selected: undefined }, text, true), command: undefined };
  }
  const from = pending.from;
  if (from.kind === 'zombies') {
    const index = zombieGroups(live.processes).findIndex((g) => g.parent !== undefined && same(g.parent));
    if (index < 0) return { state: say({ ...state, mode: { kind: 'normal' } }, `Back to live: PID ${subject.pid} has no zombies now; nothing sent`, true), command: undefined };
    return { state: { ...state, mode: { kind: 'zombies', index } }, command: pending.command };
  }
  return { state: { ...state, mode: from.kind === 'details' ? from : { kind: 'normal' }, selected: identityKey(subject) }, command: pending.command };
}
