import { CellContext, Column, findColumn, COLUMNS } from '../model/columns';
import { identityKey, ProcessInfo, Snapshot } from '../model/snapshot';
import { identityIndex, KeySet } from '../model/identity-index';
import { buildForest, subtreeOf } from '../model/tree';
import { ReduceContext } from './reduce';
import { DetailsInput } from './details-view';
import { EnvironInput } from './environ-view';
import { followUpText, zombieGroups } from './zombies';
import { buildDialog, buildFooter, DialogData, HostFacts } from './dialogs';
import { buildHeader } from './header';
import { SelfCost } from './meters';
import { selectionPredicate } from '../model/selection';
import { matchesText } from '../model/query-eval';
import { commandWidth, fitColumns, layoutWidths, orderedRows, Row, rowLine, selectableIndex, shiftGuides } from './rows';
import { fit, sanitize } from './text';
import { UiState } from './ui-state';
import type { TimelineInfo } from '../model/snapshot-source';
import { travelLines } from './timeline-view';
import { buildCgroupTable, CgroupRow, cgroupViewRows } from './cgroup-view';
import { ColumnSpan, DialogScroll, fitLine, Line, Style, ViewModel } from './view-model';

/** What the frame needs besides the UI state. */
export interface FrameInput {
  readonly snapshot: Snapshot;
  /** The snapshot before, for highlighting new and exited processes. */
  readonly previous: Snapshot | undefined;
  readonly width: number;
  readonly height: number;
  readonly columns: readonly Column[];
  readonly hostname: string;
  readonly host?: HostFacts;
  readonly self?: SelfCost;
  readonly tzOffset: number;
  /** Where the setup screen saves, shown on it. */
  readonly configPath?: string;
  readonly details?: DetailsInput;
  /** The environment view's data while it is open. */
  readonly environ?: EnvironInput;
  readonly graph?: { readonly cpu: readonly number[]; readonly mem: readonly number[] };
  /** Where the frame on screen sits in time, when the source keeps a past (rewind, replay). */
  readonly timeline?: TimelineInfo;
  /** The wall clock now, ms: how long ago a frame from the past was taken. */
  readonly clockNow?: number;
}

/** The rows of a frame in display order, with the lifecycle of each (new since last scan, exited). */
export interface FrameRows {
  readonly rows: readonly Row[];
  /** Identity keys of every process in the snapshot, shown or not. */
  readonly present: KeySet;
  readonly fresh: ReadonlySet<string>;
  readonly exited: ReadonlySet<string>;
}

const NO_KEYS: ReadonlySet<string> = new Set();

/** Applies the UI's filters (user, pids, kernel/threads, filter text) and order to a snapshot. */
export function frameRows(state: UiState, snapshot: Snapshot, previous: Snapshot | undefined): FrameRows {
  const current = identityIndex(snapshot);
  let fresh = NO_KEYS;
  let exited = NO_KEYS;
  let processes: readonly ProcessInfo[] = snapshot.processes;
  if (state.highlight && previous) {
    const before = identityIndex(previous);
    const born = new Set<string>();
    for (const p of snapshot.processes) if (!before.hasProcess(p)) born.add(identityKey(p));
    const ghosts = previous.processes.filter((p) => !current.hasProcess(p));
    fresh = born;
    exited = new Set(ghosts.map(identityKey));
    if (ghosts.length > 0) processes = [...processes, ...ghosts];
  }
  // While the user types an incomplete query, rows stay unfiltered and the bar shows the error.
  const selected = selectionPredicate({ uid: state.uid, pids: state.pids, filter: state.filter, now: snapshot.time, stuckAfterMs: state.stuckAfterMs });
  const include = (p: ProcessInfo): boolean =>
    (state.showKernel || !p.kernel) &&
    (state.showThreads || !p.thread) &&
    (!selected || selected(p));
  const column = findColumn(state.sortKey) ?? (COLUMNS[0] as Column);
  const collapsed = state.collapsed;
  const rows = orderedRows(processes, {
    order: { column, descending: state.descending },
    tree: state.tree,
    include,
    isCollapsed: (p) => collapsed.size > 0 && collapsed.has(identityKey(p)),
  });
  return { rows, fresh, exited, present: current };
}

/** Lines of the history graph when it is shown and there is room (it yields to the table first). */
export const GRAPH_LINES = 12;

/** How many lines each part gets: the table keeps at least 3 rows, the header shrinks first, the graph needs 8 spare rows. */
export function layout(height: number, naturalHeader: number, graph = false): { header: number; graph: number; table: number } {
  const header = Math.max(0, Math.min(naturalHeader, height - 6));
  const spare = height - header - 3;
  const graphLines = graph && spare >= GRAPH_LINES + 8 ? GRAPH_LINES : 0;
  return { header, graph: graphLines, table: Math.max(1, spare - graphLines) };
}

/**
 * After a new snapshot or a command: keep the selection on its process, or
 * move it to the neighbour that took its place when it exited (with a note on
 * the status line); then scroll so it is visible.
 */
export function reconcile(input: UiState, rows: readonly Row[], tableHeight: number, present?: KeySet): UiState {
  const state = present ? withoutExitedMarks(input, present) : input;
  let next = state;
  if (rows.length === 0) return { ...state, selected: undefined, selectedIndex: 0, scroll: 0 };
  // Only a row the filter matched holds the selection: a dimmed ancestor kept so the tree reads is
  // context, and an action on it would hit a process nobody asked for (PID 1, most often).
  const rowOf = (key: string | undefined): number => (key === undefined ? -1 : rows.findIndex((r) => r.matched && identityKey(r.process) === key));
  let index = rowOf(state.selected);
  // While a filter is typed, the process selected before it returns to the selection whenever the
  // query shows it again: a half-typed word that hid it for a keystroke does not lose the user's place.
  const anchor = state.mode.kind === 'filter' ? state.mode.anchor : undefined;
  if (anchor !== undefined && anchor !== state.selected) {
    const back = rowOf(anchor);
    if (back >= 0) {
      next = { ...state, selected: anchor };
      index = back;
    }
  }
  if (index < 0) {
    const gone = state.selected?.split(':')[0];
    const gonePid = gone === undefined ? undefined : Number(gone);
    // A newcomer that got the PID of the selected process is another process: a PID-sorted table
    // puts it exactly where the old one was, so the neighbour is looked for around it, never on it.
    index = selectableIndex(rows, state.selectedIndex, 1, (r) => r.process.pid === gonePid);
    if (index < 0) return { ...state, selected: undefined, selectedIndex: 0, scroll: 0, follow: false };
    const neighbour = (rows[index] as Row).process;
    next = { ...state, selected: identityKey(neighbour), follow: false };
    // A process hidden by a filter, a collapse or K/H has not exited: say which it is. Not while a
    // filter is being typed: hiding rows is what the keystrokes are for, and the anchor comes back.
    const hidden = state.selected !== undefined && present?.has(state.selected) === true;
    if (gonePid !== undefined && !(hidden && anchor !== undefined)) {
      next = { ...next, status: { text: `PID ${gonePid} ${hidden ? 'is hidden' : 'exited'}; selected PID ${neighbour.pid}`, error: false } };
    }
  }
  let scroll = Math.max(0, Math.min(state.scroll, rows.length - tableHeight));
  if (index < scroll) scroll = index;
  if (index >= scroll + tableHeight) scroll = index - tableHeight + 1;
  if (next.follow) scroll = Math.max(0, Math.min(rows.length - tableHeight, index - Math.floor(tableHeight / 2)));
  return { ...next, selectedIndex: index, scroll };
}

/** Tags and collapses of exited processes go with them: "(3 tagged)" must count live ones. */
function withoutExitedMarks(state: UiState, present: KeySet): UiState {
  const tagged = liveOnly(state.tagged, present);
  const collapsed = liveOnly(state.collapsed, present);
  return tagged === state.tagged && collapsed === state.collapsed ? state : { ...state, tagged, collapsed };
}

/** `keys` without those not in `present`; the same set when nothing is dropped. */
function liveOnly(keys: ReadonlySet<string>, present: KeySet): ReadonlySet<string> {
  for (const key of keys) if (!present.has(key)) return new Set([...keys].filter((k) => present.has(k)));
  return keys;
}

function rowStyle(row: Row, key: string, state: UiState, fr: FrameRows): Style {
  if (key === state.selected) return 'selected';
  if (fr.exited.has(key)) return 'dead';
  if (state.tagged.has(key)) return 'tagged';
  if (fr.fresh.has(key)) return 'new';
  const p = row.process;
  if (p.state === 'Z') return 'zombie';
  if (p.state === 'D' || p.state === 'T' || p.state === 't') return 'blocked';
  if (!row.matched) return 'ancestor';
  if (p.kernel) return 'kernel';
  if (p.thread) return 'thread';
  return 'normal';
}

function columnHeader(columns: readonly Column[], widths: readonly (number | undefined)[], state: UiState, width: number): { line: Line; spans: ColumnSpan[] } {
  const segs: { text: string; style: Style }[] = [];
  const spans: ColumnSpan[] = [];
  let x = 0;
  columns.forEach((c, i) => {
    const w = widths[i] ?? c.title.length;
    const sorted = c.id === state.sortKey;
    const title = sorted ? `${c.title}${state.descending ? '▽' : '△'}` : c.title;
    const text = fit(!c.flex && title.length > w ? `${c.title.slice(0, w - 1)}${title.slice(-1)}` : title, w, c.align);
    segs.push({ text, style: sorted ? 'sort-column' : 'column-header' }, { text: ' ', style: 'column-header' });
    spans.push({ id: c.id, start: x, end: x + w });
    x += w + 1;
  });
  const line = fitLine(segs, width).map((s) => (s.style === 'normal' ? { ...s, style: 'column-header' as const } : s));
  return { line, spans };
}

/** The header lines a frame would show: shared by buildView and the table height the app reconciles with. */
function naturalHeader(state: UiState, input: FrameInput): Line[] {
  // First, so a short terminal that cuts the meters still says that the screen shows the past.
  const past = travelLines(input.timeline, input.clockNow ?? input.snapshot.time, input.tzOffset, input.width);
  return [...past, ...buildHeader(input.snapshot, input.width, 64, input.hostname, input.self, input.host, new Set(state.meters))];
}

/** Table rows of the frame buildView would draw, for reconcile and paging before the frame exists. */
export function frameTableHeight(state: UiState, input: FrameInput): number {
  return layout(input.height, naturalHeader(state, input).length, state.showGraph && input.graph !== undefined).table;
}

/** Builds one frame: only the visible rows are formatted, whatever the process count. */
export function buildView(state: UiState, input: FrameInput, fr: FrameRows): ViewModel {
  const { width, height, snapshot } = input;
  const natural = naturalHeader(state, input);
  const { header: headerLines, graph: graphLines, table } = layout(height, natural.length, state.showGraph && input.graph !== undefined);
  if (state.cgroupView.open) {
    // The cgroup view takes the table's place; header meters, status and footer stay.
    const cg = buildCgroupTable(state.cgroupView, frameCgroupRows(state, snapshot), width, table);
    return frame(state, input, natural.slice(0, headerLines), cg.columnHeader, [], [...cg.rows], table, graphLines);
  }
  const columns = fitColumns(input.columns, width, findColumn(state.sortKey)?.id);
  const widths = layoutWidths(columns, width, state.sortKey);
  const ctx: CellContext = { now: snapshot.time, tzOffset: input.tzOffset };
  // Shifted per screenful: what a deep tree costs is decided by the rows in view.
  const slice = shiftGuides(fr.rows.slice(state.scroll, state.scroll + table), commandWidth(columns, widths));
  const rows: Line[] = slice.map((row) => {
    const key = identityKey(row.process);
    const mark = state.tagged.has(key) ? '*' : fr.exited.has(key) ? 'x' : '';
    const text = rowLine(row, columns, widths, ctx);
    // The mark takes the first character only when it is blank: a 7-digit PID (pid_max 4194304) fills the
    // PID column, and overwriting its first digit would show a wrong PID. The row style still shows the tag.
    return fitLine([{ text: mark && text.startsWith(' ') ? mark + text.slice(1) : text, style: rowStyle(row, key, state, fr) }], width);
  });
  const head = columnHeader(columns, widths, state, width);
  return frame(state, input, natural.slice(0, headerLines), head.line, head.spans, rows, table, graphLines, taggedHidden(state, fr), searchMiss(state, fr));
}

/** The search bar's text matches no row the selection could go to (a dimmed tree ancestor does not count). */
function searchMiss(state: UiState, fr: FrameRows): boolean {
  const mode = state.mode;
  return mode.kind === 'search' && mode.text !== '' && !fr.rows.some((r) => r.matched && matchesText(r.process, mode.text));
}

/** Tagged processes the table does not show (filter, user, collapsed, K/H), while a signal dialog may act on them. */
function taggedHidden(state: UiState, fr: FrameRows): number {
  const kind = state.mode.kind;
  if (state.tagged.size === 0 || (kind !== 'signal-menu' && kind !== 'confirm')) return 0;
  const shown = new Set(fr.rows.filter((r) => r.matched).map((r) => identityKey(r.process)));
  let hidden = 0;
  for (const key of state.tagged) if (!shown.has(key)) hidden++;
  return hidden;
}

/** The parts every frame shares around its table: status, footer, dialog, graph. */
function frame(state: UiState, input: FrameInput, header: Line[], columnHeader: Line, columnSpans: ColumnSpan[], rows: Line[], table: number, graphLines: number, hiddenTagged = 0, noMatch = false): ViewModel {
  const { width, height, snapshot } = input;
  // The status line quotes what users type (search, filter) and user names from passwd: sanitized like every cell.
  const statusText = sanitize(state.paused ? `[PAUSED] ${state.status.text}` : state.status.text);
  return {
    width,
    height,
    header,
    columnHeader,
    columnSpans,
    rows,
    tableHeight: table,
    status: fitLine([{ text: statusText, style: state.status.error ? 'status-error' : 'status' }], width),
    footer: buildFooter(state, width, noMatch),
    dialog: buildDialog(state, { ...dialogData(state, snapshot, input.host), configPath: input.configPath, details: input.details, environ: input.environ, taggedHidden: hiddenTagged }, width, height),
    graph: graphLines > 0 && input.graph ? { ...input.graph, lines: graphLines } : undefined,
  };
}

/** The cgroup view's rows for a frame: all of them in display order while it is open, else none. */
export function frameCgroupRows(state: UiState, snapshot: Snapshot): readonly CgroupRow[] {
  return state.cgroupView.open ? cgroupViewRows(snapshot.cgroups, state.cgroupView) : [];
}

function dialogData(state: UiState, snapshot: Snapshot, host: HostFacts): DialogData {
  const inZombies = state.mode.kind === 'zombies';
  return {
    users: state.mode.kind === 'user-menu' ? usersOf(snapshot) : [],
    zombieGroups: inZombies ? zombieGroups(snapshot.processes) : [],
    now: snapshot.time,
    stuckAfterMs: state.stuckAfterMs,
    followUp: inZombies && state.zombieFollowUp ? followUpText(state.zombieFollowUp, snapshot) : undefined,
    host,
  };
}

/** Users present in a snapshot, for the user menu, sorted by name. */
export function usersOf(snapshot: Snapshot): { uid: number; name: string }[] {
  const byUid = new Map<number, string>();
  for (const p of snapshot.processes) if (p.uid !== undefined && !byUid.has(p.uid)) byUid.set(p.uid, p.user ?? String(p.uid));
  return [...byUid].map(([uid, name]) => ({ uid, name })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** What reduce needs from the current frame. */
export function makeReduceContext(fr: FrameRows, snapshot: Snapshot, pageSize: number, selfPid: number, dialogScroll?: DialogScroll, cgroupRows?: readonly CgroupRow[]): ReduceContext {
  return {
    dialogScroll,
    cgroupRows,
    rows: fr.rows,
    pageSize,
    users: usersOf(snapshot),
    subtree: (p: ProcessInfo) => subtreeOf(buildForest(snapshot.processes), p.pid),
    processes: snapshot.processes,
    cgroups: snapshot.cgroups,
    selfPid,
    zombieGroups: zombieGroups(snapshot.processes),
    now: snapshot.time,
  };
}
