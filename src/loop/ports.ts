import { Result } from '../base/result';
import { ProcessIdentity, Snapshot } from '../model/snapshot';
import { SnapshotSource } from '../model/snapshot-source';
import { Command } from '../view/commands';
import type { ProcessDetails } from '../view/details-view';
import type { EnvironRead } from '../kernel/environ';
import { SelfCost } from '../view/meters';
import { Effect } from '../view/reduce';
import { UiState } from '../view/ui-state';
import { ViewModel } from '../view/view-model';

/** An effect that changes the system and reports one status line: signals, renice, taskset/ionice. */
export type SystemEffect = Extract<Effect, { kind: 'signal' } | { kind: 'renice' } | { kind: 'tool' }>;
/** Freezing, thawing or killing a cgroup (asynchronous: it waits for the kernel to settle). */
export type CgroupEffect = Extract<Effect, { kind: 'cgroup' }>;
/** Handing the terminal to strace or lsof. */
export type HandOffEffect = Extract<Effect, { kind: 'hand-off' }>;

/** A program to run and its arguments (no shell unless `file` is one). */
export interface ProgramLine {
  readonly file: string;
  readonly args: string[];
}

/** The status line after a system effect, and an optional check a moment later. */
export interface EffectOutcome {
  readonly text: string;
  readonly error: boolean;
  /** Run ~300 ms later: what became of the targets. */
  readonly later?: () => { text: string; error: boolean };
  /** A signal's targets it did not reach, and why (`permission denied`, `no such process (already gone)`…). */
  readonly notSent?: readonly { readonly pid: number; readonly reason: string }[];
}

/** What the loop may do to the live system; every act re-checks pid + start time (src/actions/). */
export interface SystemActions {
  /** Performs a signal, renice or taskset/ionice effect. */
  perform(effect: SystemEffect): EffectOutcome;
  /** Freezes, thaws or kills a cgroup; resolves once the kernel shows the result (or a bounded wait ends). */
  cgroup(effect: CgroupEffect): Promise<EffectOutcome>;
  /** The command line a hand-off runs on the terminal, or why it cannot run. */
  handOffCommand(effect: HandOffEffect): Result<ProgramLine>;
  /** The details panel's data (pid + start time checked); undefined when the process is gone. */
  readDetails(pid: number, startTicks: number): ProcessDetails | undefined;
  /** /proc/PID/environ (pid + start time checked); undefined where there is no live process (a replay). */
  readEnviron(pid: number, startTicks: number): EnvironRead | undefined;
  /** A pid with its start time now, to check it again later; undefined when it is gone. */
  identify(pid: number): ProcessIdentity | undefined;
  /**
   * Ends a hand-off: its tools first, then the `sh` wrapper it was started as, each pid + start
   * time checked; SIGTERM, or SIGKILL when `force`.
   */
  endHandOff(wrapper: ProcessIdentity, force: boolean): void;
}

/** A program that has the terminal (a hand-off), as the terminal started it. */
export interface RunningProgram {
  /** Its pid; undefined when it could not be started. */
  readonly pid: number | undefined;
  /** Settles once it has exited and the monitor has the terminal back. */
  readonly exited: Promise<void>;
}

/**
 * The full-screen terminal as the loop sees it: blessed (src/ui/app.ts) in the program, a fake
 * in tests. It paints finished view models and reports input; it decides nothing.
 */
export interface Terminal {
  /** Columns and lines now. */
  size(): { width: number; height: number };
  /** Draws one frame (one render) in the theme of that name. */
  paint(vm: ViewModel, theme: string): void;
  /** Gives the terminal to a program until it exits; the monitor's screen comes back after. */
  handOff(program: ProgramLine): RunningProgram;
  /** Restores the terminal (leaves the alternate screen, shows the cursor). Idempotent. */
  close(): void;
}

/** What the terminal reports to the loop. */
export interface TerminalEvents {
  /** A key press, by its KEYMAP name (`q`, `f9`, `C-c`, `enter`). */
  key(name: string): void;
  /** A click or wheel turn, already hit-tested against the last painted frame. */
  mouse(command: Command): void;
  /** The terminal changed size. */
  resize(): void;
}

/** Opens the terminal (alternate screen, raw input) and wires its input to `events`. */
export type OpenTerminal = (events: TerminalEvents) => Terminal;

/** A pending timer. */
export interface Timer {
  /** Stops it if it has not fired; harmless after. */
  cancel(): void;
}

/** The clock and timers the loop runs on: Node's in the program, a fake in tests. */
export interface Clock {
  /** ms since the epoch. */
  now(): number;
  /** Local time zone at `time` as Date#getTimezoneOffset gives it (minutes west of UTC). */
  tzOffset(time: number): number;
  /** Runs `fn` once after `ms`. */
  setTimer(fn: () => void, ms: number): Timer;
}

/** Reactions to the process's own signals and crashes. */
export interface ExitHandlers {
  /** SIGTERM or SIGHUP. */
  readonly terminate: () => void;
  /** SIGINT (Ctrl-C reaches proctop as a signal while a hand-off has the terminal). */
  readonly interrupt: () => void;
  /** An uncaught exception or unhandled rejection. */
  readonly crash: (err: unknown) => void;
}

/** Installs `handlers` (process.on in the program); returns the function that removes them. */
export type InstallExitHooks = (handlers: ExitHandlers) => () => void;

/** Everything the monitor loop touches, handed in. */
export interface LoopDeps {
  readonly source: SnapshotSource;
  /** The first frame, taken before the screen opens (a failing source fails before the terminal changes). */
  readonly first: Snapshot;
  /**
   * When the first frame was read in part (argv, uid and statm only for its rows on screen): the
   * whole frame, read when called, which the loop calls right after the first paint.
   */
  readonly completeFirst?: () => Snapshot;
  readonly openTerminal: OpenTerminal;
  readonly clock: Clock;
  readonly exitHooks: InstallExitHooks;
  /** Where the crash message goes, after the terminal is restored (stderr). */
  readonly errorOut: (text: string) => void;
  /** proctop's own pid: the signal flow refuses to signal it. */
  readonly selfPid: number;
  readonly actions: SystemActions;
  /** proctop's own CPU% and RSS, for the header. */
  readonly selfCost: () => SelfCost;
  readonly hostname: string;
  /** Host facts, resolved in the background; shown when they arrive. */
  readonly hostFacts?: () => Promise<string | undefined>;
  /** Called after every command that changed a setting, to save it; returns an error to show. */
  readonly settingsChanged: (before: UiState, after: UiState) => string | undefined;
  readonly configPath: string | undefined;
  /** Exit after this many refreshes (-n); undefined = run until quit. */
  readonly maxIterations: number | undefined;
  readonly initial: UiState;
}
