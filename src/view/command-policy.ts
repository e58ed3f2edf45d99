import { Command } from './commands';
import { KEYMAP } from './keymap';

/** What a command would change on the system if carried through, in words for the refusal ("signals are disabled"). */
export interface SystemChange {
  readonly what: string;
  readonly plural: boolean;
}

const signals: SystemChange = { what: 'signals', plural: true };
const one = (what: string): SystemChange => ({ what, plural: false });

/**
 * For every command kind: whether it starts something that changes the
 * system (a signal, a nice value, a tool attached to or acting on a process),
 * and what. `--readonly` refuses exactly these, in one place (reduce); a new
 * command kind without an entry is a compile error. A command that only opens
 * a flow (the signal menu, a value prompt) counts: refusing at the first key
 * beats refusing after the user has chosen a signal.
 */
const CHANGES_SYSTEM: { readonly [K in Command['kind']]: false | ((c: Extract<Command, { kind: K }>) => SystemChange | false) } = {
  move: false, page: false, home: false, end: false, 'select-row': false, scroll: false,
  'sort-by': false, 'sort-menu': false, 'invert-sort': false,
  'toggle-tree': false, collapse: false, expand: false, 'expand-all': false,
  search: false, 'search-next': false, filter: false, 'user-menu': false,
  'toggle-threads': false, 'toggle-kernel': false, 'toggle-follow': false, 'toggle-pause': false, 'toggle-graph': false,
  tag: false, 'tag-subtree': false, 'tag-shown': false, 'untag-all': false,
  kill: () => signals,
  'signal-parent': () => signals,
  nice: () => one('renice'),
  // strace attaches with ptrace (the tracee stops at every system call); lsof only reads.
  'hand-off': (c) => c.tool === 'strace' && one(c.tool),
  'ask-tool': (c) => one(c.tool),
  // Freezing, thawing and killing a cgroup; refused at X, before the menu opens.
  'cgroup-menu': () => ({ what: 'cgroup actions', plural: true }),
  zombies: false, cgroups: false, 'sort-cycle': false, setup: false, details: false,
  // Reading /proc/PID/environ changes nothing.
  environ: false, shift: false, 'cycle-scope': false, help: false, quit: false,
  type: false, backspace: false, erase: false, accept: false, cancel: false, yes: false, no: false,
  // Moving through time changes the screen only (time-travel.ts keeps the past from being acted on).
  'time-step': false, 'time-shift': false, 'time-goto': false, 'time-live': false,
};

/** What `command` would change on the system, or undefined when it only changes the screen. */
export function systemChange(command: Command): SystemChange | undefined {
  // Indexed by a union of kinds, the table's functions would want every command at once; each entry takes its own kind.
  const rule = CHANGES_SYSTEM[command.kind] as false | ((c: Command) => SystemChange | false);
  return (rule && rule(command)) || undefined;
}

/** The status line of a refused command. */
export function readonlyRefusal(change: SystemChange): string {
  return `Read-only mode (--readonly): ${change.what} ${change.plural ? 'are' : 'is'} disabled`;
}

/** What `--readonly` refuses, from the bound keys' declarations, in KEYMAP order: for --help, the man page and the README. */
export function readonlyRefuses(): string[] {
  return [...new Set(KEYMAP.map((b) => systemChange(b.command)?.what).filter((w): w is string => w !== undefined))];
}
