import { COLUMNS, findColumn } from '../model/columns';
import { CgroupInfo, identityKey, ProcessInfo } from '../model/snapshot';
import { openCgroupMenu, openCgroupMenuAt, reduceCgroupConfirm, reduceCgroupMenu } from './cgroup-flow';
import { Command } from './commands';
import { readonlyRefusal, systemChange } from './command-policy';
import { matchesText } from '../model/query-eval';
import { Row, selectableIndex } from './rows';
import { describeQuery, parseQuery } from '../model/query';
import { confirmFor, openSignalMenu, reduceConfirm, reduceSignalMenu, SignalContext, targetOf } from './signal-flow';
import { Mode, SignalScope, Target, UiState } from './ui-state';
import type { TravelTo } from '../model/snapshot-source';
import { reduceGoLive, reduceGoto, reduceTimeKey, refuseInPast } from './time-travel';
import { ZombieGroup } from './zombies';
import { DialogScroll } from './view-model';
import { reduceSetup } from './setup';
import type { CgroupActionKind } from '../model/cgroup-action';
import { openCgroupView, reduceCgroupView } from './cgroup-reduce';
import type { CgroupRow } from '../model/cgroup-tree';


/** Freeze, thaw or kill a cgroup, as confirmed: the members listed, and whether its path was typed. */
export interface CgroupEffect {
  readonly kind: 'cgroup';
  readonly action: CgroupActionKind;
  readonly path: string;
  readonly version: 1 | 2;
  /** The process it was chosen from. */
  readonly subject: Target;
  /** The members the preview listed: the cgroup is found again through one still there. */
  readonly members: readonly Target[];
  /** The path was typed to confirm (needed when it holds proctop itself or PID 1). */
  readonly typed: boolean;
}

/** A side effect reduce asks the app to perform; reduce itself changes nothing outside the state. */
export type Effect =
  | { readonly kind: 'signal'; readonly signal: number; readonly scope: SignalScope; readonly targets: readonly Target[]; readonly group: number | undefined }
  | { readonly kind: 'renice'; readonly target: Target; readonly nice: number }
  | { readonly kind: 'set-threads'; readonly on: boolean }
  | { readonly kind: 'hand-off'; readonly tool: 'strace' | 'lsof'; readonly target: Target }
  | { readonly kind: 'tool'; readonly tool: 'taskset' | 'ionice'; readonly target: Target; readonly value: string }
  /** Take the next scan soon (cgroups were just turned on for the cgroup view). */
  | { readonly kind: 'rescan' }
  | { readonly kind: 'quit' }
  /** Move the frame on screen through time (the source's TimeTravel). */
  | { readonly kind: 'travel'; readonly to: TravelTo }
  /** Return to live, then run the command asked in the past if its process is still the same one. */
  | { readonly kind: 'resume-live'; readonly pending: Extract<Mode, { kind: 'go-live' }> }
  | CgroupEffect;

/** What reduce needs to know about the current frame. */
export interface ReduceContext extends SignalContext {
  /** The frame's cgroups (their versions), for the cgroup actions' preview. */
  readonly cgroups: readonly CgroupInfo[];
  /** All rows in display order (not only the visible slice). */
  readonly rows: readonly Row[];
  /** Number of table rows on screen. */
  readonly pageSize: number;
  /** Users present, for the user menu: uid and name, sorted by name. */
  readonly users: readonly { readonly uid: number; readonly name: string }[];
  /** Zombies by parent, for the zombie view. */
  readonly zombieGroups: readonly ZombieGroup[];
  /** Time of the snapshot on screen, ms. */
  readonly now: number;
  /** The scroll range of the overlay on screen (help, details) in the last frame; undefined before one is drawn. */
  readonly dialogScroll?: DialogScroll;
  /** False when the frame on screen is not the system now (a rewound or recorded frame); absent = live. */
  readonly live?: boolean;
  /** What the source can do with time: a rewind ring, a replay, or nothing (absent). */
  readonly travel?: 'rewind' | 'replay';
  /** The wall clock now, ms (relative times in the go-to prompt); the frame's time when absent. */
  readonly clockNow?: number;
  /** The viewer's time zone as Date#getTimezoneOffset gives it (the go-to prompt's clock times). */
  readonly tzOffset?: number;
  /** The cgroup view's rows in display order, while it is open. */
  readonly cgroupRows?: readonly CgroupRow[];
}

export interface Reduced {
  readonly state: UiState;
  readonly effects: readonly Effect[];
}

const none = (state: UiState): Reduced => ({ state, effects: [] });
const say = (state: UiState, text: string, error = false): UiState => ({ ...state, status: { text, error } });

/** Row of the selection; only a row the filter matched counts (a dimmed ancestor never holds it). */
function selectedRowIndex(state: UiState, rows: readonly Row[]): number {
  if (state.selected === undefined) return -1;
  return rows.findIndex((r) => r.matched && identityKey(r.process) === state.selected);
}

/**
 * Selects the row at `index`, or the nearest matched row beyond it in the direction of travel
 * (`from` is where the selection was): moving or scrolling passes over the dimmed ancestors a
 * filtered tree keeps for context.
 */
function selectIndex(state: UiState, ctx: ReduceContext, index: number, from = index): UiState {
  const i = selectableIndex(ctx.rows, index, index < from ? -1 : 1);
  if (i < 0) return { ...state, selected: undefined, selectedIndex: 0 };
  const row = ctx.rows[i] as Row;
  return { ...state, selected: identityKey(row.process), selectedIndex: i, follow: false };
}

/** A click on a row: a context row (an ancestor the filter did not match) is not selectable. */
function clickRow(state: UiState, ctx: ReduceContext, index: number): UiState {
  const row = ctx.rows[index];
  if (row && !row.matched) return say(state, `PID ${row.process.pid} is shown for context only (the filter does not match it)`);
  return selectIndex(state, ctx, index);
}

function selectedProcess(state: UiState, ctx: ReduceContext): ProcessInfo | undefined {
  const i = selectedRowIndex(state, ctx.rows);
  return i < 0 ? undefined : ctx.rows[i]?.process;
}

/** The next row (after the selection, wrapping) whose name or command contains text. */
function findMatch(state: UiState, ctx: ReduceContext, text: string, from: number): UiState {
  const n = ctx.rows.length;
  for (let k = 0; k < n; k++) {
    const i = (from + k) % n;
    const row = ctx.rows[i] as Row;
    if (row.matched && matchesText(row.process, text)) return say(selectIndex(state, ctx, i), `Search: ${text}`);
  }
  return say(state, `Search: ${text} (no match)`, true);
}

/**
 * Applies one command. Pure: the same state, command and context give the same result.
 * `--readonly` is enforced here and only here, from each command's declaration (command-policy.ts).
 */
export function reduce(state: UiState, command: Command, ctx: ReduceContext): Reduced {
  const change = systemChange(command);
  if (change && state.readonly) return none(say(state, readonlyRefusal(change), true));
  // The one place the past is kept from being acted on (see time-travel.ts).
  const refused = refuseInPast(state, command, ctx);
  if (refused) return refused;
  const timed = reduceTimeKey(state, command, ctx);
  if (timed) return timed;
  switch (state.mode.kind) {
    case 'normal':
      return state.cgroupView.open ? cgroupKey(state, command, ctx) : reduceTable(state, command, ctx);
    case 'search':
    case 'filter':
      return none(reducePrompt(state, command, ctx));
    case 'input':
      return reduceInput(state, command);
    case 'help':
      return none(reduceHelp(state, command, ctx));
    case 'sort-menu':
    case 'user-menu':
      return reduceMenu(state, command, ctx);
    case 'signal-menu':
      return none(reduceSignalMenu(state, command, ctx));
    case 'confirm':
      return confirmed(state, command, ctx);
    case 'cgroup-menu':
      return none(reduceCgroupMenu(state, command, ctx));
    case 'cgroup-confirm': {
      const r = reduceCgroupConfirm(state, command);
      return { state: r.state, effects: r.effect ? [r.effect] : [] };
    }
    case 'zombies':
      return reduceZombies(state, command, ctx);
    case 'setup':
      return setupChange(state, reduceSetup(state, command));
    case 'details':
      return none(reduceDetails(state, command, ctx));
    case 'environ':
      return none(reduceEnviron(state, command, ctx));
    case 'goto':
      return reduceGoto(state, command, ctx);
    case 'go-live':
      return reduceGoLive(state, command);
  }
}

function reduceTable(state: UiState, command: Command, ctx: ReduceContext): Reduced {
  const at = Math.max(0, selectedRowIndex(state, ctx.rows));
  switch (command.kind) {
    case 'move':
      return none(selectIndex(state, ctx, at + command.delta, at));
    case 'page':
      return none(selectIndex(state, ctx, at + command.delta * Math.max(1, ctx.pageSize - 1), at));
    case 'home':
      return none(selectIndex(state, ctx, 0));
    case 'end':
      return none(selectIndex(state, ctx, ctx.rows.length - 1, ctx.rows.length));
    case 'select-row':
      return none(clickRow(state, ctx, state.scroll + command.row));
    case 'scroll':
      return none(selectIndex(state, ctx, at + command.delta, at));
    case 'sort-by': {
      const column = findColumn(command.column);
      if (!column) return none(state);
      const descending = state.sortKey === column.id ? !state.descending : column.descending;
      return none(say({ ...state, sortKey: column.id, descending }, `Sorted by ${column.title} ${descending ? '(high first)' : '(low first)'}`));
    }
    case 'sort-menu':
      return none({ ...state, mode: { kind: 'sort-menu', index: Math.max(0, COLUMNS.findIndex((c) => c.id === state.sortKey)) } });
    case 'invert-sort':
      return none({ ...state, descending: !state.descending });
    case 'toggle-tree':
      return none(say({ ...state, tree: !state.tree }, state.tree ? 'List view' : 'Tree view'));
    case 'collapse':
    case 'expand':
      return none(toggleCollapse(state, ctx, command.kind === 'collapse'));
    case 'expand-all':
      return none({ ...state, collapsed: new Set() });
    case 'search':
      return none({ ...state, mode: { kind: 'search', text: '' } });
    case 'search-next':
      return none(state.search ? findMatch(state, ctx, state.search, at + 1) : { ...state, mode: { kind: 'search', text: '' } });
    case 'filter':
      return none({ ...state, mode: { kind: 'filter', text: state.filter, previous: state.filter, anchor: state.selected } });
    case 'user-menu':
      return none({ ...state, mode: { kind: 'user-menu', index: Math.max(0, ctx.users.findIndex((u) => u.uid === state.uid) + 1) } });
    case 'toggle-threads':
      return { state: say({ ...state, showThreads: !state.showThreads }, state.showThreads ? 'User threads hidden' : 'User threads shown'), effects: [{ kind: 'set-threads', on: !state.showThreads }] };
    case 'toggle-kernel':
      return none(say({ ...state, showKernel: !state.showKernel }, state.showKernel ? 'Kernel threads hidden' : 'Kernel threads shown'));
    case 'toggle-follow':
      return none(toggleFollow(state, ctx));
    case 'toggle-pause':
      return none(say({ ...state, paused: !state.paused }, state.paused ? 'Updates resumed' : 'Updates paused (Z to resume)'));
    case 'toggle-graph':
      return none({ ...state, showGraph: !state.showGraph });
    case 'tag':
      return none(toggleTag(state, ctx, at));
    case 'tag-subtree': {
      const p = selectedProcess(state, ctx);
      if (!p) return none(state);
      const tagged = new Set(state.tagged);
      for (const q of ctx.subtree(p)) tagged.add(identityKey(q));
      return none(say({ ...state, tagged }, `Tagged PID ${p.pid} and its descendants (${tagged.size} tagged)`));
    }
    case 'tag-shown':
      return none(tagShown(state, ctx));
    case 'untag-all':
      return none(say({ ...state, tagged: new Set() }, 'Untagged all'));
    case 'kill':
      return none(openSignalMenu(state, selectedProcess(state, ctx), 'normal'));
    case 'cgroup-menu':
      return none(openCgroupMenu(state, selectedProcess(state, ctx), ctx));
    case 'setup':
      return none({ ...state, mode: { kind: 'setup', index: 0 } });
    case 'details': {
      const p = selectedProcess(state, ctx);
      return none(p ? { ...state, mode: { kind: 'details', target: targetOf(p), scroll: 0 } } : say(state, 'No process selected', true));
    }
    case 'environ': {
      const p = selectedProcess(state, ctx);
      return none(p ? { ...state, mode: { kind: 'environ', target: targetOf(p), scroll: 0 } } : say(state, 'No process selected', true));
    }
    case 'zombies':
      // A fresh look: what the last action in the view did is not news when it opens again.
      return none(ctx.zombieGroups.length === 0 ? say(state, 'No zombies') : { ...state, mode: { kind: 'zombies', index: 0 }, zombieFollowUp: undefined });
    case 'cgroups':
      return { state: openCgroupView(state).state, effects: [{ kind: 'rescan' }] };
    case 'nice':
      return reniceSelected(state, ctx, command.delta);
    case 'hand-off':
    case 'ask-tool':
      return startTool(state, ctx, command);
    case 'help':
      return none({ ...state, mode: { kind: 'help', scroll: 0 } });
    case 'quit':
      return { state, effects: [{ kind: 'quit' }] };
    default:
      return none(state);
  }
}

/** A key while the cgroup view has the table's place. */
function cgroupKey(state: UiState, command: Command, ctx: ReduceContext): Reduced {
  if (command.kind === 'quit') return { state, effects: [{ kind: 'quit' }] };
  // X acts on the selected cgroup row, with the table's preview, refusals and confirmation.
  if (command.kind === 'cgroup-menu') return none(openCgroupMenuAt(state, state.cgroupView.selected, ctx));
  const result = reduceCgroupView(state, command, { rows: ctx.cgroupRows ?? [], pageSize: ctx.pageSize });
  return { state: result.state, effects: result.rescan ? [{ kind: 'rescan' }] : [] };
}

function toggleCollapse(state: UiState, ctx: ReduceContext, collapse: boolean): UiState {
  const p = selectedProcess(state, ctx);
  if (!state.tree || !p) return say(state, 'Collapse/expand works in tree view (t)');
  const collapsed = new Set(state.collapsed);
  if (collapse) collapsed.add(identityKey(p));
  else collapsed.delete(identityKey(p));
  return { ...state, collapsed };
}

function toggleFollow(state: UiState, ctx: ReduceContext): UiState {
  if (state.follow) return say({ ...state, follow: false }, 'Stopped following');
  const p = selectedProcess(state, ctx);
  return p ? say({ ...state, follow: true }, `Following PID ${p.pid}`) : state;
}

function toggleTag(state: UiState, ctx: ReduceContext, at: number): UiState {
  const p = selectedProcess(state, ctx);
  if (!p) return state;
  const key = identityKey(p);
  const tagged = new Set(state.tagged);
  if (tagged.has(key)) tagged.delete(key);
  else tagged.add(key);
  return selectIndex({ ...state, tagged }, ctx, at + 1);
}

/**
 * Tags every process row on the table that the filter matched, adding to the tags already set.
 * Dimmed tree ancestors (context) and thread rows are left out: a signal goes to processes, and
 * never to a row shown only so the tree reads. The status line says how many and what was left out.
 */
function tagShown(state: UiState, ctx: ReduceContext): UiState {
  const tagged = new Set(state.tagged);
  let added = 0;
  let context = 0;
  for (const row of ctx.rows) {
    if (row.process.thread) continue;
    if (!row.matched) {
      context += 1;
      continue;
    }
    const key = identityKey(row.process);
    if (!tagged.has(key)) added += 1;
    tagged.add(key);
  }
  if (tagged.size === 0) return say(state, 'Nothing to tag: no process shown', true);
  const scope = state.filter.trim() === '' ? 'shown' : `matching ${state.filter.trim()}`;
  const skipped = context > 0 ? `; ${context} dimmed tree ${context === 1 ? 'ancestor' : 'ancestors'} not tagged` : '';
  return say({ ...state, tagged }, `Tagged ${added} ${scope} (${tagged.size} tagged${skipped}); k signals them, U untags`);
}

function reniceSelected(state: UiState, ctx: ReduceContext, delta: number): Reduced {
  const p = selectedProcess(state, ctx);
  if (!p) return none(say(state, 'No process selected', true));
  return { state, effects: [{ kind: 'renice', target: targetOf(p), nice: p.nice + delta }] };
}

/** Ctrl-U and Ctrl-W as in a shell: the whole line, or the last word with the blanks after it. */
export function erased(text: string, what: 'line' | 'word'): string {
  return what === 'line' ? '' : text.replace(/\S*\s*$/, '');
}

function reducePrompt(state: UiState, command: Command, ctx: ReduceContext): UiState {
  const mode = state.mode;
  if (mode.kind !== 'search' && mode.kind !== 'filter') return state;
  const edit = (text: string): UiState => {
    if (mode.kind === 'filter') return { ...state, mode: { ...mode, text }, filter: text };
    const next = { ...state, mode: { ...mode, text }, search: text };
    // Incremental: jump to the first match from the current row as the user types.
    return text === '' ? next : findMatch(next, ctx, text, Math.max(0, selectedRowIndex(state, ctx.rows)));
  };
  switch (command.kind) {
    case 'type':
      return edit(mode.text + command.text);
    case 'backspace':
      return edit([...mode.text].slice(0, -1).join(''));
    case 'erase':
      return edit(erased(mode.text, command.what));
    case 'search-next':
      return mode.kind === 'search' && mode.text ? findMatch(state, ctx, mode.text, Math.max(0, selectedRowIndex(state, ctx.rows)) + 1) : state;
    case 'accept': {
      // An invalid query filters nothing: closing the bar would hide why every row is still shown.
      const parsed = mode.kind === 'filter' ? parseQuery(mode.text) : undefined;
      if (parsed && !parsed.ok) return say(state, `Filter not applied: ${parsed.error} (fix it, or Esc to clear)`, true);
      if (mode.kind !== 'filter' || !mode.text) return say({ ...state, mode: { kind: 'normal' } }, state.status.text);
      const reading = describeQuery(mode.text);
      return say({ ...state, mode: { kind: 'normal' } }, `Filter: ${mode.text}${reading ? ` (${reading})` : ''} (F4 to change, Esc in the bar clears)`);
    }
    case 'cancel':
      return mode.kind === 'filter' ? say({ ...state, mode: { kind: 'normal' }, filter: '', selected: mode.anchor ?? state.selected }, 'Filter cleared') : { ...state, mode: { kind: 'normal' } };
    default:
      return state;
  }
}

function menuLength(state: UiState, ctx: ReduceContext): number {
  return state.mode.kind === 'sort-menu' ? COLUMNS.length : ctx.users.length + 1;
}

function reduceMenu(state: UiState, command: Command, ctx: ReduceContext): Reduced {
  const mode = state.mode;
  if (mode.kind !== 'sort-menu' && mode.kind !== 'user-menu') return none(state);
  const length = menuLength(state, ctx);
  const moveTo = (index: number): UiState => ({ ...state, mode: { ...mode, index: Math.max(0, Math.min(length - 1, index)) } as typeof mode });
  switch (command.kind) {
    case 'move':
      return none(moveTo(mode.index + command.delta));
    case 'page':
      return none(moveTo(mode.index + command.delta * 10));
    case 'cancel':
      return none(say({ ...state, mode: { kind: 'normal' } }, 'Cancelled'));
    case 'accept':
      return acceptMenu(state, ctx);
    default:
      return none(state);
  }
}

function acceptMenu(state: UiState, ctx: ReduceContext): Reduced {
  const mode = state.mode;
  const normal = { ...state, mode: { kind: 'normal' } as const };
  if (mode.kind === 'sort-menu') {
    const column = COLUMNS[mode.index] ?? COLUMNS[0];
    if (!column) return none(normal);
    return none(say({ ...normal, sortKey: column.id, descending: column.descending }, `Sorted by ${column.title}`));
  }
  if (mode.kind === 'user-menu') {
    const user = ctx.users[mode.index - 1];
    return none(say({ ...normal, uid: user?.uid }, user ? `Showing ${user.name}'s processes` : 'Showing all users'));
  }
  return none(state);
}

function confirmed(state: UiState, command: Command, ctx: ReduceContext): Reduced {
  const mode = state.mode;
  const result = reduceConfirm(state, command);
  if (!result.send || mode.kind !== 'confirm') return none(result.state);
  let next = result.state;
  if (mode.returnTo === 'zombies' && mode.targets.length === 1) next = withFollowUp(next, mode.targets[0] as Target, mode.signal, ctx);
  return { state: next, effects: [{ kind: 'signal', signal: mode.signal, scope: mode.scope, targets: mode.targets, group: mode.group }] };
}

/** Remembers a zombie parent's zombies so the view can say what became of them. */
function withFollowUp(state: UiState, parent: Target, signal: number, ctx: ReduceContext): UiState {
  const group = ctx.zombieGroups.find((g) => g.parentPid === parent.pid);
  if (!group) return state;
  return { ...state, zombieFollowUp: { parentPid: parent.pid, at: ctx.now, signal, zombies: group.zombies.map((z) => ({ pid: z.pid, startTicks: z.startTicks })) } };
}

function reduceZombies(state: UiState, command: Command, ctx: ReduceContext): Reduced {
  const mode = state.mode;
  if (mode.kind !== 'zombies') return none(state);
  const group = ctx.zombieGroups[Math.min(mode.index, ctx.zombieGroups.length - 1)];
  const noParent = group ? 'The parent is not visible' : 'No zombies left: nothing to signal';
  switch (command.kind) {
    case 'move':
      return none({ ...state, mode: { kind: 'zombies', index: Math.max(0, Math.min(ctx.zombieGroups.length - 1, mode.index + command.delta)) } });
    case 'cancel':
      return none({ ...state, mode: { kind: 'normal' } });
    case 'kill':
      return none(group?.parent ? openSignalMenu(state, group.parent, 'zombies') : say(state, noParent, true));
    case 'signal-parent': {
      if (!group?.parent) return none(say(state, noParent, true));
      const target = targetOf(group.parent);
      // SIGCHLD only asks the parent to reap: harmless, so it is sent without a dialog,
      // except to PID 1 (or proctop), which is never signalled without its PID typed.
      if (command.signal === 17 && target.pid !== 1 && target.pid !== ctx.selfPid) {
        return { state: withFollowUp(state, target, 17, ctx), effects: [{ kind: 'signal', signal: 17, scope: 'process', targets: [target], group: undefined }] };
      }
      return none(confirmFor(state, command.signal, 'process', target, 'zombies', ctx));
    }
    default:
      return none(state);
  }
}

/** A scrolled text view (details, environment): movement keys scroll it, cancel closes it; undefined for other commands. */
function reduceTextView<M extends { readonly scroll: number }>(state: UiState, mode: M, command: Command, ctx: ReduceContext, withMode: (scroll: number) => UiState['mode']): UiState | undefined {
  switch (command.kind) {
    case 'move':
    case 'page':
    case 'home':
    case 'end':
      return { ...state, mode: withMode(scrolled(mode.scroll, command, ctx) ?? mode.scroll) };
    case 'cancel':
      return { ...state, mode: { kind: 'normal' } };
    default:
      return undefined;
  }
}

function reduceDetails(state: UiState, command: Command, ctx: ReduceContext): UiState {
  const mode = state.mode;
  if (mode.kind !== 'details') return state;
  const viewed = reduceTextView(state, mode, command, ctx, (scroll) => ({ ...mode, scroll }));
  if (viewed) return viewed;
  if (command.kind !== 'kill') return state;
  const p = ctx.processes.find((q) => q.pid === mode.target.pid && q.startTicks === mode.target.startTicks);
  return openSignalMenu(state, p, 'normal');
}

/** The environment view scrolls like the details panel and closes on cancel. */
function reduceEnviron(state: UiState, command: Command, ctx: ReduceContext): UiState {
  const mode = state.mode;
  if (mode.kind !== 'environ') return state;
  return reduceTextView(state, mode, command, ctx, (scroll) => ({ ...mode, scroll })) ?? state;
}

/** The help screen scrolls like the details view and closes on cancel. */
function reduceHelp(state: UiState, command: Command, ctx: ReduceContext): UiState {
  const mode = state.mode;
  if (mode.kind !== 'help') return state;
  if (command.kind === 'cancel') return { ...state, mode: { kind: 'normal' } };
  const scroll = scrolled(mode.scroll, command, ctx);
  return scroll === undefined ? state : { ...state, mode: { kind: 'help', scroll } };
}

/**
 * Where a scroll command takes an overlay, kept within the range the last frame drew (so one Up
 * after holding Down at the end moves at once); undefined for commands that do not scroll. End
 * is "the last page" whatever its length: the view clamps it, so it stays at the end when the
 * overlay's room changes (the host facts line arriving, a resize).
 */
function scrolled(from: number, command: Command, ctx: ReduceContext): number | undefined {
  const range = ctx.dialogScroll;
  const page = range?.page ?? Math.max(1, ctx.pageSize);
  const last = range?.max ?? Number.MAX_SAFE_INTEGER;
  const at = Math.min(from, last);
  const to = (n: number): number => Math.max(0, Math.min(last, n));
  switch (command.kind) {
    case 'move': return to(at + command.delta);
    case 'page': return to(at + command.delta * page);
    case 'home': return 0;
    case 'end': return Number.MAX_SAFE_INTEGER;
    default: return undefined;
  }
}

/** A setup change that turns threads on or off must reach the sampler. */
function setupChange(before: UiState, after: UiState): Reduced {
  return { state: after, effects: before.showThreads !== after.showThreads ? [{ kind: 'set-threads', on: after.showThreads }] : [] };
}

/** Why each tool has nothing to work on in a zombie. */
const ON_ZOMBIE: Readonly<Record<'strace' | 'lsof' | 'taskset' | 'ionice', string>> = {
  strace: ', there is nothing left to trace',
  lsof: ' and closed all its files',
  taskset: ' and runs on no CPU any more',
  ionice: ' and does no I/O any more',
};

/** `s`, `l`, `a`, `i`: hand the terminal to strace/lsof, or open the value prompt of taskset/ionice. */
function startTool(state: UiState, ctx: ReduceContext, command: Extract<Command, { kind: 'hand-off' | 'ask-tool' }>): Reduced {
  const p = selectedProcess(state, ctx);
  if (!p) return none(say(state, 'No process selected', true));
  // A zombie has exited: strace failed with a bare "Operation not permitted" and lsof opened an empty pager.
  if (p.state === 'Z') return none(say(state, `PID ${p.pid} is a zombie: it has exited${ON_ZOMBIE[command.tool]} (z: its parent)`, true));
  if (command.kind === 'hand-off') return { state, effects: [{ kind: 'hand-off', tool: command.tool, target: targetOf(p) }] };
  return none({ ...state, mode: { kind: 'input', tool: command.tool, text: '', target: targetOf(p) } });
}

/** The value prompt of taskset (a CPU list) and ionice (`CLASS [LEVEL]`). */
function reduceInput(state: UiState, command: Command): Reduced {
  const mode = state.mode;
  if (mode.kind !== 'input') return none(state);
  switch (command.kind) {
    case 'type':
      return none({ ...state, mode: { ...mode, text: (mode.text + command.text).slice(0, 64) } });
    case 'backspace':
      return none({ ...state, mode: { ...mode, text: mode.text.slice(0, -1) } });
    case 'erase':
      return none({ ...state, mode: { ...mode, text: erased(mode.text, command.what) } });
    case 'cancel':
      return none(say({ ...state, mode: { kind: 'normal' } }, 'Cancelled'));
    case 'accept':
      return { state: { ...state, mode: { kind: 'normal' } }, effects: [{ kind: 'tool', tool: mode.tool, target: mode.target, value: mode.text.trim() }] };
    default:
      return none(state);
  }
}
