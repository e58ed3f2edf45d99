import { InvalidArgumentError } from 'commander';
import { DEFAULT_DELAY, DEFAULT_REWIND, DEFAULT_STUCK_AFTER_MS, rewindMs, DELAY_MAX, DELAY_MIN, isOneOf, MemBase, MEM_BASES, THEME_NAMES } from '../model/settings';
import { parseTimeSpec, TIME_FORMS } from '../history/units';
import { COLUMNS, DEFAULT_COLUMNS, findColumn, flexLast } from '../model/columns';
import { parseQuery } from '../model/query';
import { readonlyRefuses } from '../view/command-policy';


/** Validated command-line options. */
export interface Options {
  /** Refresh interval, tenths of a second (htop's unit). */
  readonly delay: number;
  /** User name or uid to show only. */
  readonly user: string | undefined;
  /** Only these pids. */
  readonly pids: readonly number[] | undefined;
  /** Column id to sort by; undefined = CPU% in the list, PID in the tree (as htop). */
  readonly sortKey: string | undefined;
  readonly tree: boolean;
  readonly once: boolean;
  readonly json: boolean;
  /** --once output format: table, json, openmetrics (OpenMetrics 1.0) or prometheus (text 0.0.4). */
  readonly format: string;
  /** --once: write to this file atomically (temp file + rename) instead of stdout. */
  readonly output: string | undefined;
  readonly color: boolean;
  /** Colour theme: default, light or mono. */
  readonly theme: string;
  /** What MEM% is a share of: the host's MemTotal, or the limit of the cgroup proctop runs in. */
  readonly memPercentOf: MemBase;
  readonly threads: boolean;
  /** Column ids to show, in order (the command column, which takes the rest of the line, always last). */
  readonly columns: readonly string[];
  /** Initial filter query (-F); see the query language in README. */
  readonly filter: string | undefined;
  /** A D-state process counts as stuck after this many seconds. */
  readonly stuckAfter: number;
  /** Highlight new (green) and exited (red) processes for one refresh. */
  readonly highlightChanges: boolean;
  readonly mouse: boolean;
  /** No signals, no renice. */
  readonly readonly: boolean;
  /** Exit after this many refreshes. */
  readonly maxIterations: number | undefined;
  /** procfs root (hidden; for tests against fixture trees). */
  readonly procRoot: string;
  /** passwd file for user names (hidden; for tests). */
  readonly passwd: string;
  /** Which sampler: auto, linux (/proc) or portable (systeminformation + pidusage). */
  readonly sampler: string;
  /** Print the manual page (roff) and exit (hidden: `man/proctop.1` is the same text). */
  readonly man: boolean;
  /** History store to read frames from instead of /proc (the TUI on its frames; `--once`: one frame). */
  readonly replay: string | undefined;
  /** With --replay: the moment to show (HH:MM[:SS], -10m, ISO 8601); default the last frame. */
  readonly at: string | undefined;
  /** How much recent past the TUI keeps for rewinding, ms (0 = none). */
  readonly rewind: number;
  /** Options given on the command line (or by environment), which override the config file for this run. */
  readonly explicit: ReadonlySet<keyof Options>;
}

/** One command-line option: the single source for commander, --help and docs. */
export interface OptionSpec {
  readonly flags: string;
  /** Key in Options. */
  readonly key: keyof Options;
  readonly description: string;
  readonly defaultValue?: string | number | boolean;
  /**
   * How --help, the man page and the README show the default when the parsed value is not what a
   * person would type (`10m`, not 600000). `parse(defaultLabel)` must give `defaultValue` (tested).
   */
  readonly defaultLabel?: string;
  /** Environment variable that sets it when the flag is absent. */
  readonly env?: string;
  readonly hidden?: boolean;
  readonly parse?: (value: string) => unknown;
}


function parseDelay(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || n < DELAY_MIN || n > DELAY_MAX) {
    throw new InvalidArgumentError(`delay is tenths of a second, a whole number from ${DELAY_MIN} to ${DELAY_MAX}`);
  }
  return n;
}

function parsePids(value: string): number[] {
  const parts = value.split(',').map((s) => s.trim());
  if (parts.some((s) => !/^\d+$/.test(s) || Number(s) < 1 || Number(s) > 4194304)) {
    throw new InvalidArgumentError('expected PID[,PID…] with each PID a whole number from 1 to 4194304');
  }
  return parts.map(Number);
}

function parseSortKey(value: string): string {
  const column = findColumn(value);
  if (!column) throw new InvalidArgumentError(`unknown column; one of ${COLUMNS.map((c) => c.id).join(', ')}`);
  return column.id;
}

function parseColumns(value: string): string[] {
  const ids: string[] = [];
  for (const name of value.split(',').map((s) => s.trim()).filter((s) => s !== '')) {
    const column = findColumn(name);
    if (!column) throw new InvalidArgumentError(`unknown column "${name}"; one of ${COLUMNS.map((c) => c.id).join(', ')}`);
    if (!ids.includes(column.id)) ids.push(column.id);
  }
  if (ids.length === 0) throw new InvalidArgumentError('expected COLUMN[,COLUMN…]');
  // Only the last column may take the rest of the line.
  return flexLast(ids);
}

/** --once output formats. */
export const FORMAT_NAMES: readonly string[] = ['table', 'json', 'openmetrics', 'prometheus'];

function parseFormat(value: string): string {
  if (!FORMAT_NAMES.includes(value)) throw new InvalidArgumentError(`unknown format; one of ${FORMAT_NAMES.join(', ')}`);
  return value;
}

function parseOutput(value: string): string {
  if (value.trim() === '' || /[\x00-\x1f\x7f]/.test(value)) throw new InvalidArgumentError('expected a file name');
  return value;
}

function parseTheme(value: string): string {
  if (!isOneOf(THEME_NAMES, value)) throw new InvalidArgumentError(`unknown theme; one of ${THEME_NAMES.join(', ')}`);
  return value;
}

function parseMemBase(value: string): MemBase {
  if (!isOneOf(MEM_BASES, value)) throw new InvalidArgumentError(`expected one of ${MEM_BASES.join(', ')}`);
  return value;
}

/** Samplers by name, for `--sampler`. */
export const SAMPLER_NAMES: readonly string[] = ['auto', 'linux', 'portable'];

function parseSampler(value: string): string {
  if (!SAMPLER_NAMES.includes(value)) throw new InvalidArgumentError(`unknown sampler; one of ${SAMPLER_NAMES.join(', ')}`);
  return value;
}

function parseUser(value: string): string {
  if (value.trim() === '' || /[\s:]/.test(value)) throw new InvalidArgumentError('expected a user name or uid');
  return value;
}

function parseCount(value: string): number {
  if (!/^\d+$/.test(value.trim()) || Number(value) < 1 || Number(value) > 1e9) throw new InvalidArgumentError('expected a whole number ≥ 1');
  return Number(value);
}

function parseFilter(value: string): string {
  if (/[\x00-\x1f\x7f]/.test(value)) throw new InvalidArgumentError('the filter cannot hold control characters');
  const parsed = parseQuery(value);
  if (!parsed.ok) throw new InvalidArgumentError(`${parsed.error} (at character ${parsed.position + 1})`);
  return value;
}

function parseSeconds(value: string): number {
  const n = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value) || n > 86400) throw new InvalidArgumentError('expected seconds from 0 to 86400, e.g. 5 or 2.5');
  return n;
}

function parseRewind(value: string): number {
  const ms = rewindMs(value);
  if (ms === undefined) throw new InvalidArgumentError('expected a duration such as 10m, 90s or 1h (at most 24h), or 0 for none');
  return ms;
}

function parseAt(value: string): string {
  if (parseTimeSpec(value, Date.now(), new Date().getTimezoneOffset()) === undefined) throw new InvalidArgumentError(`expected ${TIME_FORMS}`);
  return value;
}

/** The rewind default in ms; DEFAULT_REWIND ('10m') always parses (options.test.ts checks label against value). */
const DEFAULT_REWIND_MS = rewindMs(DEFAULT_REWIND) as number;

export const OPTIONS: readonly OptionSpec[] = [
  { flags: '-d, --delay <tenths>', key: 'delay', description: 'refresh interval in tenths of a second (--once: time between its two scans)', defaultValue: DEFAULT_DELAY, parse: parseDelay },
  { flags: '-u, --user <user>', key: 'user', description: 'show only processes of this user (name or uid)', parse: parseUser },
  { flags: '-p, --pid <pids>', key: 'pids', description: 'show only these comma-separated PIDs', parse: parsePids },
  { flags: '-s, --sort-key <column>', key: 'sortKey', description: 'sort by this column (default: cpu; pid in tree view)', parse: parseSortKey },
  { flags: '--columns <list>', key: 'columns', description: 'columns to show, comma-separated (see the list below)', defaultValue: DEFAULT_COLUMNS.join(','), parse: parseColumns },
  { flags: '-t, --tree', key: 'tree', description: 'show the process tree', defaultValue: false },
  { flags: '-F, --filter <query>', key: 'filter', description: 'show only matching processes (query language: state:Z user:root cpu>50 nginx …)', parse: parseFilter },
  { flags: '--stuck-after <seconds>', key: 'stuckAfter', description: 'a process in D state longer than this is "stuck"', defaultValue: DEFAULT_STUCK_AFTER_MS / 1000, parse: parseSeconds },
  { flags: '-H, --highlight-changes', key: 'highlightChanges', description: 'highlight new (green) and exited (red) processes for one refresh (on by default; --no-highlight-changes turns it off)', defaultValue: true },
  { flags: '--no-highlight-changes', key: 'highlightChanges', description: 'do not highlight new and exited processes' },
  { flags: '-M, --no-mouse', key: 'mouse', description: 'no mouse: clicks and the wheel go to the terminal', defaultValue: true },
  { flags: '--readonly', key: 'readonly', description: `refuse the keys that change the system: ${readonlyRefuses().join(', ')}`, defaultValue: false },
  { flags: '-n, --max-iterations <n>', key: 'maxIterations', description: 'exit after n refreshes', parse: parseCount },
  { flags: '--once', key: 'once', description: 'print one snapshot and exit', defaultValue: false },
  { flags: '--replay <dir>', key: 'replay', description: 'show the frames recorded by `proctop record` in this store instead of /proc: the TUI with the time keys, or one frame with --once' },
  { flags: '--rewind <duration>', key: 'rewind', description: 'how much recent past the TUI keeps in memory for the time keys ({ } ( ) @ L): 10m, 90s, 1h (at most 24h), 0 for none; also bounded to 32 MiB', defaultValue: DEFAULT_REWIND_MS, defaultLabel: DEFAULT_REWIND, parse: parseRewind },
  { flags: '--at <time>', key: 'at', description: 'with --replay: the frame at or before this time (HH:MM[:SS], -10m, ISO 8601; default: the last)', parse: parseAt },
  { flags: '--json', key: 'json', description: 'with --once: print JSON (implies --once)', defaultValue: false },
  { flags: '--format <name>', key: 'format', description: 'with --once: table, json, openmetrics (OpenMetrics 1.0) or prometheus (text 0.0.4) metrics as proctop serve exports them (any but table implies --once)', defaultValue: 'table', parse: parseFormat },
  { flags: '-o, --output <file>', key: 'output', description: 'with --once: write to this file atomically (temp file + rename), e.g. for node_exporter\'s textfile collector', parse: parseOutput },
  { flags: '--threads', key: 'threads', description: 'show user threads as rows of their process', defaultValue: false },
  { flags: '--theme <name>', key: 'theme', description: 'colour theme: default, light (for light backgrounds) or mono', defaultValue: 'default', parse: parseTheme },
  { flags: '--mem-percent-of <base>', key: 'memPercentOf', description: "what MEM% is a share of: host (MemTotal) or cgroup (the memory limit of proctop's own cgroup, when lower: a container's processes add up to 100 %); a replay shows MEM% as recorded", defaultValue: 'host', parse: parseMemBase },
  { flags: '--no-color', key: 'color', description: 'no colours (also when NO_COLOR is set and not empty)', defaultValue: true },
  { flags: '--sampler <name>', key: 'sampler', description: 'auto, linux (/proc) or portable (systeminformation + pidusage, for systems without /proc)', defaultValue: 'auto', parse: parseSampler },
  { flags: '--proc-root <dir>', key: 'procRoot', description: 'procfs root (for tests)', defaultValue: '/proc', env: 'PROCTOP_PROC_ROOT', hidden: true },
  { flags: '--passwd <file>', key: 'passwd', description: 'passwd file (for tests)', defaultValue: '/etc/passwd', env: 'PROCTOP_PASSWD', hidden: true },
  { flags: '--man', key: 'man', description: 'print the manual page (roff) and exit', defaultValue: false, hidden: true },
];
