import { DEFAULT_STUCK_AFTER_MS, type MemBase } from '../model/settings';
import { findColumn } from '../model/columns';
import type { Command } from './commands';
import { keyHint } from './keymap';
import type { CgroupPlan } from '../model/cgroup-action';

/** Which overlay has the keyboard. */
export type Mode =
  | { readonly kind: 'normal' }
  | { readonly kind: 'search'; readonly text: string }
  | {
    readonly kind: 'filter';
    readonly text: string;
    readonly previous: string;
    /** The process selected when the bar opened: it gets the selection back whenever the filter shows it again. */
    readonly anchor?: string;
  }
  | { readonly kind: 'help'; readonly scroll: number }
  | { readonly kind: 'sort-menu'; readonly index: number }
  | { readonly kind: 'user-menu'; readonly index: number }
  | {
      readonly kind: 'signal-menu';
      readonly index: number;
      readonly typed: string;
      readonly scope: SignalScope;
      /** The process the scopes are relative to (the selection, or a zombie parent). */
      readonly subject: Target | undefined;
      readonly returnTo: ReturnMode;
    }
  | {
      readonly kind: 'confirm';
      readonly signal: number;
      readonly scope: SignalScope;
      /** Exactly the processes that will be hit, as listed in the dialog. */
      readonly targets: readonly Target[];
      /** For scope 'group': the process group id (kill -SIG -PGID). */
      readonly group: number | undefined;
      /** Signalling PID 1 or proctop itself needs this PID typed, not just `y`. */
      readonly mustType: number | undefined;
      readonly typed: string;
      readonly returnTo: ReturnMode;
    }
  | { readonly kind: 'zombies'; readonly index: number }
  /** Freeze, thaw or kill the cgroup of `subject`: the menu shows the preview (path, count, members). */
  | { readonly kind: 'cgroup-menu'; readonly index: number; readonly subject: Target; readonly preview: CgroupPlan }
  /** The confirmation of one cgroup action; with `plan.mustType` the path must be typed. */
  | { readonly kind: 'cgroup-confirm'; readonly subject: Target; readonly plan: CgroupPlan; readonly typed: string }
  | { readonly kind: 'setup'; readonly index: number }
  | { readonly kind: 'details'; readonly target: Target; readonly scroll: number }
  /** The environment view (e): /proc/PID/environ of the target, read once when it opens. */
  | { readonly kind: 'environ'; readonly target: Target; readonly scroll: number }
  | { readonly kind: 'input'; readonly tool: 'taskset' | 'ionice'; readonly text: string; readonly target: Target }
  /** The go-to-time prompt (`@`): 14:05, -10m, ISO 8601, now. */
  | { readonly kind: 'goto'; readonly text: string }
  /**
   * A command that acts on the system was asked for while the screen shows the past: asks to
   * return to live first. `subject` is the process it was meant for, checked again (pid + start
   * time) against the live frame before the command runs; `from` is the mode to resume in.
   */
  | { readonly kind: 'go-live'; readonly command: Command; readonly subject: Target | undefined; readonly from: Mode; readonly frameTime: number };

/** Where a signal dialog goes back to. */
export type ReturnMode = 'normal' | 'zombies';

/** Who a signal is for, relative to the subject process. */
export type SignalScope = 'process' | 'group' | 'session' | 'subtree' | 'tagged';

export const SIGNAL_SCOPES: readonly SignalScope[] = ['process', 'group', 'session', 'subtree', 'tagged'];

/** What the zombie view checks after an action on a zombie parent. */
export interface ZombieFollowUp {
  readonly parentPid: number;
  /** Snapshot time of the action, ms: adoption takes the new parent a moment to reap. */
  readonly at: number;
  readonly signal: number;
  readonly zombies: readonly { readonly pid: number; readonly startTicks: number }[];
  /** Why the signal did not reach the parent (EPERM, gone…), once the action says so: the zombies then stay for that reason. */
  readonly notSent?: string;
}

/** A process chosen for an action: its identity plus what the dialog shows. */
export interface Target {
  readonly pid: number;
  readonly startTicks: number;
  readonly user: string;
  readonly command: string;
}

/**
 * The cgroup view's own place (`v`): kept while the view is closed, so
 * coming back finds the same cgroup selected and the same subtrees collapsed.
 */
export interface CgroupViewState {
  /** The view has the table's place on screen (and its keys). */
  readonly open: boolean;
  /**
   * Path of the selected cgroup (CgroupInfo.path): what Enter
   * filters the process table to, and what cgroup actions act on.
   */
  readonly selected: string | undefined;
  /** Row index of the selection in the last frame, for the neighbour when it goes. */
  readonly selectedIndex: number;
  readonly scroll: number;
  /** A CGROUP_COLUMNS id. */
  readonly sortKey: string;
  readonly descending: boolean;
  /** Paths whose subtrees are hidden. */
  readonly collapsed: ReadonlySet<string>;
}

export const INITIAL_CGROUP_VIEW: CgroupViewState = {
  open: false, selected: undefined, selectedIndex: 0, scroll: 0, sortKey: 'name', descending: false, collapsed: new Set(),
};

/**
 * Everything the interactive screen remembers between frames. Processes are
 * referred to by identity key (`pid:startTicks`), so selection, tags and
 * collapsed nodes survive re-sorting and PID reuse.
 */
export interface UiState {
  readonly mode: Mode;
  readonly sortKey: string;
  readonly descending: boolean;
  readonly tree: boolean;
  /** Filter text (F4 / `\`): rows must match. Empty = no filter. */
  readonly filter: string;
  /** Last search text, for `n` / F3 again. */
  readonly search: string;
  /** Only this uid (`u`, `-u`); undefined = all users. */
  readonly uid: number | undefined;
  /** Only these pids (`-p`); undefined = all. */
  readonly pids: readonly number[] | undefined;
  readonly selected: string | undefined;
  /** Row index of the selection in the last frame, for moving to a neighbour when it exits. */
  readonly selectedIndex: number;
  /** First visible row. */
  readonly scroll: number;
  readonly collapsed: ReadonlySet<string>;
  readonly tagged: ReadonlySet<string>;
  readonly showThreads: boolean;
  readonly showKernel: boolean;
  readonly follow: boolean;
  readonly paused: boolean;
  readonly highlight: boolean;
  readonly readonly: boolean;
  readonly showGraph: boolean;
  readonly status: { readonly text: string; readonly error: boolean };
  readonly zombieFollowUp: ZombieFollowUp | undefined;
  /** A D-state process is "stuck" after this long (query term `stuck`). */
  readonly stuckAfterMs: number;
  /** Column ids shown, in order. */
  readonly columns: readonly string[];
  /** Refresh interval, tenths of a second. */
  readonly delay: number;
  /** Theme name (default, light, mono). */
  readonly theme: string;
  /** Header meters shown. */
  readonly meters: readonly string[];
  /** What MEM% is a share of: the host's memory, or proctop's own cgroup memory limit. */
  readonly memBase: MemBase;
  /** A cgroup action (X) asked for a cgroup not read yet: cgroups are read from then on. */
  readonly cgroupsAsked: boolean;
  /** The cgroup view (`v`): open or not, and its selection, sort and collapsed paths. */
  readonly cgroupView: CgroupViewState;
}

export interface InitialSettings {
  readonly sortKey?: string;
  readonly tree: boolean;
  readonly filter?: string;
  readonly uid?: number;
  readonly pids?: readonly number[];
  readonly highlight: boolean;
  readonly readonly: boolean;
  readonly showThreads: boolean;
  readonly stuckAfterMs?: number;
  readonly columns: readonly string[];
  readonly delay: number;
  readonly theme: string;
  readonly meters: readonly string[];
  readonly memBase?: MemBase;
  readonly showKernel?: boolean;
  readonly descending?: boolean;
}

export function initialState(s: InitialSettings): UiState {
  return {
    mode: { kind: 'normal' },
    sortKey: s.sortKey ?? (s.tree ? 'pid' : 'cpu'),
    descending: s.descending ?? (s.sortKey === undefined ? !s.tree : findColumn(s.sortKey)?.descending === true),
    tree: s.tree,
    filter: s.filter ?? '',
    search: '',
    uid: s.uid,
    pids: s.pids,
    selected: undefined,
    selectedIndex: 0,
    scroll: 0,
    collapsed: new Set(),
    tagged: new Set(),
    showThreads: s.showThreads,
    showKernel: s.showKernel ?? true,
    follow: false,
    paused: false,
    highlight: s.highlight,
    readonly: s.readonly,
    showGraph: false,
    status: { text: keyHint('start'), error: false },
    zombieFollowUp: undefined,
    stuckAfterMs: s.stuckAfterMs ?? DEFAULT_STUCK_AFTER_MS,
    columns: s.columns,
    delay: s.delay,
    theme: s.theme,
    meters: s.meters,
    memBase: s.memBase ?? 'host',
    cgroupsAsked: false,
    cgroupView: INITIAL_CGROUP_VIEW,
  };
}

