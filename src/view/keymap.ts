import { Command } from './commands';

/** Where a binding applies. */
export type KeyContext = 'table' | 'prompt' | 'menu' | 'confirm' | 'confirm-text' | 'help' | 'zombies' | 'setup' | 'details' | 'environ' | 'cgroups';

/** One binding: the keys (blessed names, or the typed character), where, what, and its help line. */
export interface KeyBinding {
  readonly keys: readonly string[];
  readonly context: KeyContext;
  readonly command: Command;
  readonly help: string;
  /** Its label in htop's F-key bar (table bindings whose first key is an F-key). */
  readonly bar?: string;
}

/** The bars, dialogs and status lines that name keys: each one's hint is generated from KEYMAP ({@link HINTS}). */
export type HintMode =
  | 'search' | 'filter' | 'input' | 'sort-menu' | 'user-menu' | 'confirm' | 'help'
  | 'signal-menu' | 'zombie-reap' | 'zombie-signal' | 'start';

/** The keys of an overlay that scrolls (details, help): the same in each. */
function scrollKeys(context: KeyContext): KeyBinding[] {
  return [
    { keys: ['up', 'M-k'], context, command: { kind: 'move', delta: -1 }, help: 'Scroll up' },
    { keys: ['down', 'M-j'], context, command: { kind: 'move', delta: 1 }, help: 'Scroll down' },
    { keys: ['pageup'], context, command: { kind: 'page', delta: -1 }, help: 'Page up' },
    { keys: ['pagedown', 'space'], context, command: { kind: 'page', delta: 1 }, help: 'Page down' },
    { keys: ['home'], context, command: { kind: 'home' }, help: 'Top' },
    { keys: ['end'], context, command: { kind: 'end' }, help: 'Bottom' },
  ];
}

/**
 * The time keys (rewind and replay), the same in the table, the zombie view and the details
 * panel, so a zombie or a process can be watched while stepping through time. None is an htop
 * key: htop binds `,` `.` `<` `>` `[` `]` `t` `T`, so frames step with braces, minutes with
 * parentheses.
 */
function timeKeys(context: KeyContext): KeyBinding[] {
  return [
    { keys: ['{', 'S-left'], context, command: { kind: 'time-step', frames: -1 }, help: 'Rewind: one frame back (pauses in the past)' },
    { keys: ['}', 'S-right'], context, command: { kind: 'time-step', frames: 1 }, help: 'Rewind: one frame forward (past the newest: live again)' },
    { keys: ['('], context, command: { kind: 'time-shift', ms: -60_000 }, help: 'Rewind: a minute back' },
    { keys: [')'], context, command: { kind: 'time-shift', ms: 60_000 }, help: 'Rewind: a minute forward' },
    { keys: ['L'], context, command: { kind: 'time-live' }, help: 'Back to live (a replay: its newest frame, then new ones as they are recorded)' },
  ];
}

/**
 * Every key binding. The help screen (F1), the F-key bar and the README
 * table are generated from this list, so they can't drift from behaviour.
 */
export const KEYMAP: readonly KeyBinding[] = [
  { keys: ['up', 'M-k'], context: 'table', command: { kind: 'move', delta: -1 }, help: 'Select the process above' },
  { keys: ['down', 'M-j'], context: 'table', command: { kind: 'move', delta: 1 }, help: 'Select the process below' },
  { keys: ['pageup'], context: 'table', command: { kind: 'page', delta: -1 }, help: 'Page up' },
  { keys: ['pagedown'], context: 'table', command: { kind: 'page', delta: 1 }, help: 'Page down' },
  { keys: ['home'], context: 'table', command: { kind: 'home' }, help: 'First process' },
  { keys: ['end'], context: 'table', command: { kind: 'end' }, help: 'Last process' },
  { keys: ['f6', '>', '<'], context: 'table', command: { kind: 'sort-menu' }, help: 'Sort by: choose a column' , bar: 'SortBy' },
  { keys: ['P'], context: 'table', command: { kind: 'sort-by', column: 'cpu' }, help: 'Sort by CPU%' },
  { keys: ['M'], context: 'table', command: { kind: 'sort-by', column: 'mem' }, help: 'Sort by MEM%' },
  { keys: ['T'], context: 'table', command: { kind: 'sort-by', column: 'time' }, help: 'Sort by TIME+' },
  { keys: ['N'], context: 'table', command: { kind: 'sort-by', column: 'pid' }, help: 'Sort by PID' },
  { keys: ['I'], context: 'table', command: { kind: 'invert-sort' }, help: 'Invert the sort order' },
  { keys: ['f5', 't'], context: 'table', command: { kind: 'toggle-tree' }, help: 'Tree view on/off' , bar: 'Tree' },
  { keys: ['-'], context: 'table', command: { kind: 'collapse' }, help: 'Collapse the selected subtree' },
  { keys: ['+', '='], context: 'table', command: { kind: 'expand' }, help: 'Expand the selected subtree' },
  { keys: ['*'], context: 'table', command: { kind: 'expand-all' }, help: 'Expand every subtree' },
  { keys: ['f3', '/'], context: 'table', command: { kind: 'search' }, help: 'Search name and command line (F3 again: next)' , bar: 'Search' },
  { keys: ['n'], context: 'table', command: { kind: 'search-next' }, help: 'Next search match' },
  { keys: ['f4', '\\'], context: 'table', command: { kind: 'filter' }, help: 'Filter: show only matching processes' , bar: 'Filter' },
  { keys: ['u'], context: 'table', command: { kind: 'user-menu' }, help: "Show one user's processes" },
  { keys: ['H'], context: 'table', command: { kind: 'toggle-threads' }, help: 'Show/hide user threads' },
  { keys: ['K'], context: 'table', command: { kind: 'toggle-kernel' }, help: 'Show/hide kernel threads' },
  { keys: ['F'], context: 'table', command: { kind: 'toggle-follow' }, help: 'Follow the selected process' },
  { keys: ['Z'], context: 'table', command: { kind: 'toggle-pause' }, help: 'Pause/resume updates' },
  { keys: ['g'], context: 'table', command: { kind: 'toggle-graph' }, help: 'CPU and memory history graph on/off' },
  { keys: ['space'], context: 'table', command: { kind: 'tag' }, help: 'Tag/untag the selected process' },
  { keys: ['c'], context: 'table', command: { kind: 'tag-subtree' }, help: 'Tag the selected process and its children' },
  { keys: ['A'], context: 'table', command: { kind: 'tag-shown' }, help: 'Tag every process shown (the filter\'s matches; not the dimmed tree context)' },
  { keys: ['U'], context: 'table', command: { kind: 'untag-all' }, help: 'Untag all' },
  { keys: ['f9', 'k'], context: 'table', command: { kind: 'kill' }, help: 'Send a signal to the selected (or tagged) processes' , bar: 'Kill' },
  { keys: ['enter'], context: 'table', command: { kind: 'details' }, help: 'Details of the selected process (files, limits, threads, cgroup …)' },
  { keys: ['e'], context: 'table', command: { kind: 'environ' }, help: 'Environment of the selected process (/proc/PID/environ: its owner and root only)' },
  { keys: ['f2', 'S'], context: 'table', command: { kind: 'setup' }, help: 'Setup: columns, meters, sort, tree, delay, theme (saved at once)' , bar: 'Setup' },
  { keys: ['X'], context: 'table', command: { kind: 'cgroup-menu' }, help: "Freeze, thaw or kill the selected process's cgroup (preview, then confirm)" },
  { keys: ['z'], context: 'table', command: { kind: 'zombies' }, help: 'Zombies, grouped by the parent that does not reap them' },
  { keys: ['v'], context: 'table', command: { kind: 'cgroups' }, help: 'Cgroup view: tree of cgroups with limits, throttling, memory, OOM kills, pids, pressure' },
  { keys: ['s'], context: 'table', command: { kind: 'hand-off', tool: 'strace' }, help: 'Trace system calls of the selected process (strace -p)' },
  { keys: ['l'], context: 'table', command: { kind: 'hand-off', tool: 'lsof' }, help: 'List open files of the selected process (lsof -p)' },
  { keys: ['a'], context: 'table', command: { kind: 'ask-tool', tool: 'taskset' }, help: 'Set CPU affinity (taskset -pc LIST PID)' },
  { keys: ['i'], context: 'table', command: { kind: 'ask-tool', tool: 'ionice' }, help: 'Set I/O priority (ionice -c CLASS -n LEVEL -p PID)' },
  { keys: ['f7', ']'], context: 'table', command: { kind: 'nice', delta: -1 }, help: 'Raise priority (nice −1; needs root)' , bar: 'Nice-' },
  { keys: ['f8', '['], context: 'table', command: { kind: 'nice', delta: 1 }, help: 'Lower priority (nice +1)' , bar: 'Nice+' },
  { keys: ['f1', 'h', '?'], context: 'table', command: { kind: 'help' }, help: 'This help' , bar: 'Help' },
  { keys: ['f10', 'q', 'C-c'], context: 'table', command: { kind: 'quit' }, help: 'Quit' , bar: 'Quit' },
  ...timeKeys('table'),
  { keys: ['@'], context: 'table', command: { kind: 'time-goto' }, help: 'Rewind: go to a time (14:05, 14:05:30, -10m, ISO 8601, now)' },
  { keys: ['enter'], context: 'prompt', command: { kind: 'accept' }, help: 'Keep the filter / stop searching' },
  { keys: ['escape'], context: 'prompt', command: { kind: 'cancel' }, help: 'Clear the filter / stop searching' },
  { keys: ['backspace'], context: 'prompt', command: { kind: 'backspace' }, help: 'Delete a character' },
  { keys: ['C-w'], context: 'prompt', command: { kind: 'erase', what: 'word' }, help: 'Delete the word before the cursor' },
  { keys: ['C-u'], context: 'prompt', command: { kind: 'erase', what: 'line' }, help: 'Clear the line' },
  { keys: ['f3'], context: 'prompt', command: { kind: 'search-next' }, help: 'Next match' },
  { keys: ['up', 'M-k'], context: 'menu', command: { kind: 'move', delta: -1 }, help: 'Previous entry' },
  { keys: ['down', 'M-j'], context: 'menu', command: { kind: 'move', delta: 1 }, help: 'Next entry' },
  { keys: ['pageup'], context: 'menu', command: { kind: 'page', delta: -1 }, help: 'Page up' },
  { keys: ['pagedown'], context: 'menu', command: { kind: 'page', delta: 1 }, help: 'Page down' },
  { keys: ['enter'], context: 'menu', command: { kind: 'accept' }, help: 'Choose' },
  { keys: ['escape', 'q', 'f10'], context: 'menu', command: { kind: 'cancel' }, help: 'Close the menu' },
  { keys: ['backspace'], context: 'menu', command: { kind: 'backspace' }, help: 'Delete a typed digit' },
  { keys: ['tab', 'right'], context: 'menu', command: { kind: 'cycle-scope', delta: 1 }, help: 'Signal menu: next target (process, group, session, subtree, tagged)' },
  { keys: ['S-tab', 'left'], context: 'menu', command: { kind: 'cycle-scope', delta: -1 }, help: 'Signal menu: previous target' },
  { keys: ['y', 'enter'], context: 'confirm', command: { kind: 'yes' }, help: 'Send' },
  { keys: ['n', 'escape'], context: 'confirm', command: { kind: 'no' }, help: 'Cancel' },
  { keys: ['backspace'], context: 'confirm', command: { kind: 'backspace' }, help: 'Delete a typed digit' },
  { keys: ['enter'], context: 'confirm-text', command: { kind: 'yes' }, help: 'Confirm (once the path is typed)' },
  { keys: ['escape'], context: 'confirm-text', command: { kind: 'no' }, help: 'Cancel' },
  { keys: ['backspace'], context: 'confirm-text', command: { kind: 'backspace' }, help: 'Delete a character' },
  { keys: ['C-u'], context: 'confirm-text', command: { kind: 'erase', what: 'line' }, help: 'Clear what was typed' },
  { keys: ['up', 'M-k'], context: 'zombies', command: { kind: 'move', delta: -1 }, help: 'Previous parent' },
  { keys: ['down', 'M-j'], context: 'zombies', command: { kind: 'move', delta: 1 }, help: 'Next parent' },
  { keys: ['c'], context: 'zombies', command: { kind: 'signal-parent', signal: 17 }, help: 'Send SIGCHLD to the parent: a nudge to reap (sent at once; to PID 1 only after its PID is typed)' },
  { keys: ['t'], context: 'zombies', command: { kind: 'signal-parent', signal: 15 }, help: 'SIGTERM the parent: when it exits, init adopts and reaps the zombies' },
  { keys: ['K'], context: 'zombies', command: { kind: 'signal-parent', signal: 9 }, help: 'SIGKILL the parent (when TERM is ignored)' },
  { keys: ['f9', 'k'], context: 'zombies', command: { kind: 'kill' }, help: 'Choose a signal for the parent' },
  { keys: ['escape', 'q', 'z', 'f10'], context: 'zombies', command: { kind: 'cancel' }, help: 'Back to the table' },
  ...timeKeys('zombies'),
  { keys: ['up', 'M-k'], context: 'setup', command: { kind: 'move', delta: -1 }, help: 'Previous setting' },
  { keys: ['down', 'M-j'], context: 'setup', command: { kind: 'move', delta: 1 }, help: 'Next setting' },
  { keys: ['pageup'], context: 'setup', command: { kind: 'page', delta: -1 }, help: 'Page up' },
  { keys: ['pagedown'], context: 'setup', command: { kind: 'page', delta: 1 }, help: 'Page down' },
  { keys: ['space', 'enter'], context: 'setup', command: { kind: 'accept' }, help: 'Toggle the setting' },
  { keys: ['right'], context: 'setup', command: { kind: 'cycle-scope', delta: 1 }, help: 'Next value' },
  { keys: ['left'], context: 'setup', command: { kind: 'cycle-scope', delta: -1 }, help: 'Previous value' },
  { keys: ['-'], context: 'setup', command: { kind: 'shift', delta: -1 }, help: 'Move the column left' },
  { keys: ['+', '='], context: 'setup', command: { kind: 'shift', delta: 1 }, help: 'Move the column right' },
  { keys: ['escape', 'q', 'f2', 'f10'], context: 'setup', command: { kind: 'cancel' }, help: 'Close setup' },
  { keys: ['up', 'M-k'], context: 'cgroups', command: { kind: 'move', delta: -1 }, help: 'Select the cgroup above' },
  { keys: ['down', 'M-j'], context: 'cgroups', command: { kind: 'move', delta: 1 }, help: 'Select the cgroup below' },
  { keys: ['pageup'], context: 'cgroups', command: { kind: 'page', delta: -1 }, help: 'Page up' },
  { keys: ['pagedown'], context: 'cgroups', command: { kind: 'page', delta: 1 }, help: 'Page down' },
  { keys: ['home'], context: 'cgroups', command: { kind: 'home' }, help: 'First cgroup' },
  { keys: ['end'], context: 'cgroups', command: { kind: 'end' }, help: 'Last cgroup' },
  { keys: ['enter'], context: 'cgroups', command: { kind: 'accept' }, help: "The selected cgroup's processes (and those below it): the table with a filter you can edit (F4) or clear (Esc in the bar)" },
  { keys: ['-'], context: 'cgroups', command: { kind: 'collapse' }, help: 'Collapse the selected subtree' },
  { keys: ['+', '='], context: 'cgroups', command: { kind: 'expand' }, help: 'Expand the selected subtree' },
  { keys: ['*'], context: 'cgroups', command: { kind: 'expand-all' }, help: 'Expand every subtree' },
  { keys: ['f6', '>', '.'], context: 'cgroups', command: { kind: 'sort-cycle', delta: 1 }, help: 'Sort by the next column' },
  { keys: ['<', ','], context: 'cgroups', command: { kind: 'sort-cycle', delta: -1 }, help: 'Sort by the previous column' },
  { keys: ['P'], context: 'cgroups', command: { kind: 'sort-by', column: 'cpu' }, help: 'Sort by CPU%' },
  { keys: ['M'], context: 'cgroups', command: { kind: 'sort-by', column: 'mem' }, help: 'Sort by memory' },
  { keys: ['T'], context: 'cgroups', command: { kind: 'sort-by', column: 'throttled' }, help: 'Sort by throttled %' },
  { keys: ['N'], context: 'cgroups', command: { kind: 'sort-by', column: 'name' }, help: 'Sort by name (the tree in name order)' },
  { keys: ['I'], context: 'cgroups', command: { kind: 'invert-sort' }, help: 'Invert the sort order' },
  { keys: ['X'], context: 'cgroups', command: { kind: 'cgroup-menu' }, help: 'Freeze, thaw or kill the selected cgroup and those below it (preview, then confirm)' },
  { keys: ['f1', 'h', '?'], context: 'cgroups', command: { kind: 'help' }, help: 'This help' },
  { keys: ['escape', 'v', 'q', 'f10'], context: 'cgroups', command: { kind: 'cancel' }, help: 'Back to the process table' },
  { keys: ['C-c'], context: 'cgroups', command: { kind: 'quit' }, help: 'Quit' },
  ...scrollKeys('details'),
  { keys: ['escape', 'q', 'enter', 'left', 'f10'], context: 'details', command: { kind: 'cancel' }, help: 'Back to the table' },
  { keys: ['f9', 'k'], context: 'details', command: { kind: 'kill' }, help: 'Send a signal to this process' },
  ...timeKeys('details'),
  ...scrollKeys('environ'),
  { keys: ['escape', 'q', 'e', 'enter', 'left', 'f10'], context: 'environ', command: { kind: 'cancel' }, help: 'Back to the table' },
  ...scrollKeys('help'),
  { keys: ['escape', 'q', 'enter', 'f1', 'h', '?', 'f10'], context: 'help', command: { kind: 'cancel' }, help: 'Close help' },
];

const INDEX = new Map<string, Command>();
for (const b of KEYMAP) for (const k of b.keys) if (!INDEX.has(`${b.context} ${k}`)) INDEX.set(`${b.context} ${k}`, b.command);

/**
 * The command for a key in a context. In prompts and the signal menu,
 * unbound printable characters are typed text.
 */
export function lookupKey(context: KeyContext, key: string): Command | undefined {
  const bound = INDEX.get(`${context} ${key}`);
  if (bound) return bound;
  if ((context === 'prompt' || context === 'menu' || context === 'confirm-text') && [...key].length === 1 && key >= ' ') return { kind: 'type', text: key };
  if (context === 'confirm' && /^\d$/.test(key)) return { kind: 'type', text: key };
  if (context === 'prompt' && key === 'space') return { kind: 'type', text: ' ' };
  return undefined;
}

const NAMED_KEYS: Readonly<Record<string, string>> = {
  space: 'Space', enter: 'Enter', escape: 'Esc', backspace: 'Backspace', tab: 'Tab',
  up: 'Up', down: 'Down', left: 'Left', right: 'Right', pageup: 'PgUp', pagedown: 'PgDn', home: 'Home', end: 'End',
};

/** A KEYMAP key name as people write it: `f1` → F1, `M-j` → Alt-j, `C-c` → Ctrl-c, `S-tab` → Shift-Tab, `space` → Space. */
export function keyLabel(key: string): string {
  const modifier = /^([MCS])-(.+)$/.exec(key);
  if (modifier) return `${{ M: 'Alt', C: 'Ctrl', S: 'Shift' }[modifier[1] as 'M' | 'C' | 'S']}-${keyLabel(modifier[2] ?? '')}`;
  if (/^f\d+$/.test(key)) return key.toUpperCase();
  return NAMED_KEYS[key] ?? key;
}

/** htop's function-key bar: the table bindings with a bar label, by F-key number. */
export const FKEY_BAR: readonly (readonly [string, string])[] = KEYMAP
  .filter((b) => b.context === 'table' && b.bar !== undefined)
  .map((b) => [keyLabel(b.keys[0] ?? ''), b.bar ?? ''] as const)
  .sort(([a], [b]) => Number(a.slice(1)) - Number(b.slice(1)));

/** One key a hint names: the command it runs (its keys are looked up in KEYMAP), and the word after them. */
export interface HintItem {
  readonly command: Command;
  readonly word: string;
  /** How many of the binding's keys to name (default 1: `Esc`; 2: `y/Enter`). */
  readonly keys?: number;
}

/** A hint line: the context its keys are bound in, what it names in order, and how it is written. */
export interface HintLine {
  readonly context: KeyContext;
  readonly items: readonly HintItem[];
  /** Between items (default two spaces). */
  readonly separator?: string;
  /** `Esc: back` (default) or, without the colon, `F1 help`. */
  readonly colon?: boolean;
  /** Text before the first key (what is not a binding: typed digits). */
  readonly lead?: string;
}

const cancel = (word: string): HintItem => ({ command: { kind: 'cancel' }, word });
const accept = (word: string): HintItem => ({ command: { kind: 'accept' }, word });

/**
 * Every key hint, as data: the words are here, the keys come from the bindings, so a key that is
 * rebound changes its hint (test/unit/view/help.test.ts checks each hinted key runs the hinted
 * command in that context).
 */
export const HINTS: Readonly<Record<HintMode, HintLine>> = {
  filter: { context: 'prompt', items: [accept('keep'), cancel('clear')] },
  search: { context: 'prompt', items: [accept('done'), cancel('close'), { command: { kind: 'search-next' }, word: 'next' }] },
  input: { context: 'prompt', items: [accept('apply'), cancel('cancel')] },
  'sort-menu': { context: 'menu', items: [accept('sort'), cancel('cancel')] },
  'user-menu': { context: 'menu', items: [accept('choose'), cancel('cancel')] },
  confirm: { context: 'confirm', items: [{ command: { kind: 'yes' }, word: 'send', keys: 2 }, { command: { kind: 'no' }, word: 'cancel', keys: 2 }], separator: '    ' },
  help: { context: 'help', items: [{ ...cancel('close'), keys: 2 }] },
  'signal-menu': {
    context: 'menu', lead: 'Number or arrows; ', separator: '; ',
    items: [{ command: { kind: 'cycle-scope', delta: 1 }, word: 'target' }, accept('choose'), cancel('cancel')],
  },
  'zombie-reap': {
    context: 'zombies',
    items: [
      { command: { kind: 'signal-parent', signal: 17 }, word: 'SIGCHLD to the parent (asks it to reap)' },
      { command: { kind: 'signal-parent', signal: 15 }, word: 'SIGTERM the parent (init then adopts and reaps)' },
    ],
  },
  'zombie-signal': {
    context: 'zombies',
    items: [{ command: { kind: 'signal-parent', signal: 9 }, word: 'SIGKILL the parent' }, { command: { kind: 'kill' }, word: 'choose a signal', keys: 2 }, cancel('back')],
  },
  start: {
    context: 'table', colon: false,
    items: [{ command: { kind: 'help' }, word: 'help' }, { command: { kind: 'kill' }, word: 'kill' }, { command: { kind: 'zombies' }, word: 'zombies' }, { command: { kind: 'quit' }, word: 'quit' }],
  },
};

/** Whether two commands are the same (commands are flat records of primitives). */
export function sameCommand(a: Command, b: Command): boolean {
  const keys = Object.keys(a);
  const av = a as unknown as Record<string, unknown>;
  const bv = b as unknown as Record<string, unknown>;
  return keys.length === Object.keys(b).length && keys.every((k) => av[k] === bv[k]);
}

/** The keys a hint names for `item` in `context`: the first of the binding that runs its command. */
export function hintedKeys(context: KeyContext, item: HintItem): readonly string[] {
  const binding = KEYMAP.find((b) => b.context === context && sameCommand(b.command, item.command));
  return binding ? binding.keys.slice(0, item.keys ?? 1) : [];
}

/**
 * The key hint of a bar, dialog or status line (`Enter: keep  Esc: clear`), from {@link HINTS}:
 * each item's keys as KEYMAP binds them in the line's context, then its word.
 */
export function keyHint(mode: HintMode): string {
  const line = HINTS[mode];
  const colon = line.colon === false ? '' : ':';
  const items = line.items.map((item) => `${hintedKeys(line.context, item).map(keyLabel).join('/')}${colon} ${item.word}`);
  return (line.lead ?? '') + items.join(line.separator ?? '  ');
}
