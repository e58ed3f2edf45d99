import { COLUMNS, findColumn, flexLast } from '../model/columns';
import { DELAY_MAX, DELAY_MIN, MEM_BASES, METERS, THEME_NAMES } from '../model/settings';
import { Command } from './commands';
import { fitColumns } from './rows';
import { UiState } from './ui-state';
import { Dialog, fitLine, Line } from './view-model';


/** One line of the setup screen. */
interface Item {
  /** Stable across changes (a shown column moves up the list), so the cursor can follow it. */
  readonly id: string;
  readonly label: string;
  readonly value: string;
  /** Space/Enter. */
  readonly toggle?: (s: UiState) => UiState;
  /** Left/Right. */
  readonly cycle?: (s: UiState, delta: number) => UiState;
  /** `-`/`+`: move a column within the order. */
  readonly shift?: (s: UiState, delta: number) => UiState;
  readonly section?: string;
}

const onOff = (b: boolean): string => (b ? '[x]' : '[ ]');
const rotate = <T>(list: readonly T[], current: T, delta: number): T => list[(list.indexOf(current) + delta + list.length) % list.length] as T;
const toggled = <T>(list: readonly T[], item: T): T[] => (list.includes(item) ? list.filter((x) => x !== item) : [...list, item]);

function columnItems(state: UiState): Item[] {
  const shown = state.columns.map((id) => findColumn(id)).filter((c) => c !== undefined);
  const hidden = COLUMNS.filter((c) => !state.columns.includes(c.id));
  return [...shown, ...hidden].map((c, i) => ({
    section: i === 0 ? 'Columns (Space: show/hide, -/+: move)' : undefined,
    id: `column:${c.id}`,
    label: `${onOff(state.columns.includes(c.id))} ${c.title}`,
    value: c.description,
    toggle: (s) => {
      const next = toggled(s.columns, c.id);
      if (next.length === 0) return s;
      // The column that takes the rest of the line stays last.
      return { ...s, columns: flexLast(next) };
    },
    shift: (s, delta) => {
      const at = s.columns.indexOf(c.id);
      const to = at + delta;
      if (at < 0 || to < 0 || to >= s.columns.length || c.flex === true || findColumn(s.columns[to] ?? '')?.flex === true) return s;
      const cols = [...s.columns];
      [cols[at], cols[to]] = [cols[to] as string, cols[at] as string];
      return { ...s, columns: cols };
    },
  }));
}

/** Every setting on the setup screen, in order. */
export function setupItems(state: UiState): Item[] {
  const sortColumn = findColumn(state.sortKey);
  const general: Item[] = [
    { section: 'Display (←/→ or Space to change)', id: 'Tree view', label: 'Tree view', value: onOff(state.tree), toggle: (s) => ({ ...s, tree: !s.tree }) },
    { id: 'Sort by', label: 'Sort by', value: sortColumn?.title ?? state.sortKey, cycle: (s, d) => ({ ...s, sortKey: rotate(COLUMNS.map((c) => c.id), s.sortKey, d) }) },
    { id: 'Sort direction', label: 'Sort direction', value: state.descending ? 'high first' : 'low first', toggle: (s) => ({ ...s, descending: !s.descending }) },
    { id: 'Refresh delay', label: 'Refresh delay', value: `${(state.delay / 10).toFixed(1)} s`, cycle: (s, d) => ({ ...s, delay: Math.max(DELAY_MIN, Math.min(DELAY_MAX, s.delay + d * (s.delay >= 20 ? 5 : 1))) }) },
    { id: 'Colour theme', label: 'Colour theme', value: state.theme, cycle: (s, d) => ({ ...s, theme: rotate(THEME_NAMES, s.theme, d) }) },
    { id: 'Show user threads', label: 'Show user threads', value: onOff(state.showThreads), toggle: (s) => ({ ...s, showThreads: !s.showThreads }) },
    { id: 'Show kernel threads', label: 'Show kernel threads', value: onOff(state.showKernel), toggle: (s) => ({ ...s, showKernel: !s.showKernel }) },
    {
      id: 'MEM% of', label: 'MEM% of', value: state.memBase === 'cgroup' ? "proctop's cgroup limit" : 'host memory',
      cycle: (s, d) => ({ ...s, memBase: rotate(MEM_BASES, s.memBase, d) }),
      toggle: (s) => ({ ...s, memBase: rotate(MEM_BASES, s.memBase, 1) }),
    },
  ];
  const meters: Item[] = METERS.map((m, i) => ({
    section: i === 0 ? 'Header meters (Space: show/hide)' : undefined,
    id: `meter:${m}`,
    label: `${onOff(state.meters.includes(m))} ${m}`,
    value: '',
    toggle: (s) => ({ ...s, meters: METERS.filter((n) => (n === m ? !s.meters.includes(m) : s.meters.includes(n))) }),
  }));
  return [...general, ...meters, ...columnItems(state)];
}

/** Keys on the setup screen. Every change applies at once (and the app saves it). */
export function reduceSetup(state: UiState, command: Command): UiState {
  const mode = state.mode;
  if (mode.kind !== 'setup') return state;
  const items = setupItems(state);
  const item = items[mode.index];
  // The cursor stays on the item just changed, wherever the change moved it.
  const keepIndex = (s: UiState): UiState => {
    const at = item ? setupItems(s).findIndex((i) => i.id === item.id) : -1;
    return { ...s, mode: { kind: 'setup', index: at >= 0 ? at : mode.index } };
  };
  switch (command.kind) {
    case 'move':
    case 'page': {
      const step = command.kind === 'page' ? command.delta * 10 : command.delta;
      return { ...state, mode: { kind: 'setup', index: Math.max(0, Math.min(items.length - 1, mode.index + step)) } };
    }
    case 'accept':
    case 'tag':
      return item?.toggle ? keepIndex(item.toggle(state)) : item?.cycle ? keepIndex(item.cycle(state, 1)) : state;
    case 'cycle-scope':
      return item?.cycle ? keepIndex(item.cycle(state, command.delta)) : item?.toggle ? keepIndex(item.toggle(state)) : state;
    case 'shift': {
      if (!item?.shift) return state;
      const next = item.shift(state, command.delta);
      // Follow the moved column so repeated -/+ keep moving it.
      return { ...next, mode: { kind: 'setup', index: Math.max(0, Math.min(items.length - 1, mode.index + (next === state ? 0 : command.delta))) } };
    }
    case 'cancel':
      return { ...state, mode: { kind: 'normal' }, status: { text: 'Settings saved', error: false } };
    default:
      return state;
  }
}

export function setupDialog(state: UiState, index: number, screenW: number, screenH: number, configPath: string | undefined): Dialog {
  const width = Math.min(screenW, 90);
  const inner = width - 2;
  const items = setupItems(state);
  // Columns chosen but given way on this narrow screen (see fitColumns): say so, or [x] would mislead.
  const chosen = state.columns.map((id) => findColumn(id)).filter((c) => c !== undefined);
  const fitted = new Set(fitColumns(chosen, screenW, findColumn(state.sortKey)?.id).map((c) => `column:${c.id}`));
  const gaveWay = new Set(chosen.map((c) => `column:${c.id}`).filter((id) => !fitted.has(id)));
  const lines: Line[] = [];
  const room = Math.max(3, screenH - 4);
  const rendered: { line: Line; item: number }[] = [];
  items.forEach((it, i) => {
    if (it.section) rendered.push({ line: fitLine([{ text: it.section, style: 'label' }], inner), item: -1 });
    const text = ` ${it.label.padEnd(24)} ${gaveWay.has(it.id) ? `(no room at ${screenW} columns) ` : ''}${it.value}`;
    rendered.push({ line: fitLine([{ text, style: i === index ? 'dialog-selected' : 'dialog' }], inner), item: i });
  });
  const at = rendered.findIndex((r) => r.item === index);
  const start = Math.max(0, Math.min(rendered.length - (room - 1), at - Math.floor(room / 2)));
  for (const r of rendered.slice(start, start + room - 1)) lines.push(r.line);
  lines.push(fitLine([{ text: configPath ? `Saved as you change it: ${configPath}   Esc: close` : 'Esc: close', style: 'dim' }], inner));
  return { title: 'Setup', lines, width, height: Math.min(screenH, lines.length + 2) };
}
