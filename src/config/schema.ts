import { COLUMNS, DEFAULT_COLUMNS, findColumn } from '../model/columns';
import { DEFAULT_DELAY, DEFAULT_REWIND, DELAY_MAX, DELAY_MIN, isOneOf, MEM_BASES, type MemBase, METERS, type Meter, rewindMs, THEME_NAMES } from '../model/settings';

/** The memory bound of the rewind ring, as the docs state it (history/frame-ring.ts REWIND_MAX_BYTES). */
const REWIND_MAX_BYTES_TEXT = '32 MiB';

import { parseQuery } from '../model/query';

/** The saved settings (`config.json`), always complete and valid once through {@link validateConfig}. */
export interface Config {
  readonly version: 1;
  /** Column ids (canonical, see findColumn), non-empty, unique; the width-0 column (command) last. */
  readonly columns: readonly string[];
  /** Header meters shown, in order. */
  readonly meters: readonly Meter[];
  /** A column id. */
  readonly sortKey: string;
  readonly sortDescending: boolean;
  readonly tree: boolean;
  /** Refresh interval, tenths of a second, a whole number DELAY_MIN..DELAY_MAX. */
  readonly delay: number;
  /** One of THEME_NAMES. */
  readonly theme: string;
  readonly showThreads: boolean;
  readonly showKernel: boolean;
  /**
   * Named process groups for `proctop serve`: group name → query (`{"web": "name:nginx"}`),
   * exported as process-exporter's namegroup metrics. A process joins the first group (in file order) it matches.
   */
  readonly groups: Readonly<Record<string, string>>;
  /** How much recent past the live TUI keeps for the time keys: a duration (`10m`, `90s`, `1h`), `0` off. */
  readonly rewind: string;
  /** What MEM% is a share of: the host's memory, or the memory limit of the cgroup proctop runs in. */
  readonly memPercentOf: MemBase;
}

/** Most groups a config may define: each adds ~25 series to every scrape. */
export const MAX_GROUPS = 50;
/** Longest group name (it becomes the `groupname` label value). */
export const MAX_GROUP_NAME = 64;

/** The settings of a first run; frozen because every caller shares it. */
export const DEFAULT_CONFIG: Config = Object.freeze({
  version: 1,
  columns: Object.freeze([...DEFAULT_COLUMNS]),
  meters: Object.freeze([...METERS]),
  sortKey: 'cpu',
  sortDescending: true,
  tree: false,
  delay: DEFAULT_DELAY,
  theme: 'default',
  showThreads: false,
  showKernel: true,
  groups: Object.freeze({}),
  rewind: DEFAULT_REWIND,
  memPercentOf: 'host',
});

/** Records a `path: message` line; returns undefined so a check can `return report(…)` to fall back to the default. */
type Report = (path: string, message: string) => undefined;

/** How one field is checked and documented: a single record, so the README table cannot drift from the code. */
interface Field<T> {
  readonly type: string;
  readonly description: string;
  /** The valid value, or undefined (after reporting why) to fall back to the default. */
  readonly check: (value: unknown, report: Report, key: string) => T | undefined;
}

/** A user-supplied value for a one-line message: quoted, escaped (JSON escapes control characters) and cut short. */
function show(value: unknown): string {
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object' && value !== null) return 'an object';
  const text = typeof value === 'string' && value.length > 40 ? `${value.slice(0, 40)}…` : value;
  return JSON.stringify(text) ?? String(value);
}

function boolean(description: string): Field<boolean> {
  return {
    type: 'boolean', description,
    check: (v, report, key) => (typeof v === 'boolean' ? v : report(key, `expected true or false, got ${show(v)}`)),
  };
}

/** Array elements are judged one by one: a bad element is reported and dropped, the rest kept. */
function list<T extends string>(
  value: unknown, report: Report, key: string, noun: string, resolve: (item: unknown, at: string) => T | undefined,
): T[] | undefined {
  if (!Array.isArray(value)) return report(key, `expected a list, got ${show(value)}`);
  const out: T[] = [];
  value.forEach((item: unknown, i) => {
    const id = resolve(item, `${key}[${i}]`);
    if (id === undefined) return;
    if (out.includes(id)) report(`${key}[${i}]`, `duplicate ${noun} ${show(id)}`);
    else out.push(id);
  });
  return out;
}

function columnId(item: unknown, at: string, report: Report): string | undefined {
  if (typeof item !== 'string') return report(at, `expected a column id, got ${show(item)}`);
  const column = findColumn(item);
  // Aliases and titles ("CPU%") are accepted and stored as the canonical id.
  return column ? column.id : report(at, `unknown column ${show(item)}`);
}

const isMeter = (v: unknown): v is Meter => isOneOf(METERS, v);

const isWide = (id: string): boolean => findColumn(id)?.flex === true;

/** The `memPercentOf` field: a name from MEM_BASES. */
const memPercentOf: Field<MemBase> = {
  type: MEM_BASES.join(' | '),
  description: 'What MEM% is a share of: host = the host\'s memory (MemTotal); cgroup = the memory limit of the cgroup proctop runs in (a container\'s, the tightest up to the root) when it is lower, so a container\'s processes add up to 100 % of what it may use.',
  check: (v, report, key) => (isOneOf(MEM_BASES, v) ? v : report(key, `expected ${MEM_BASES.map((b) => `"${b}"`).join(' or ')}, got ${show(v)}`)),
};

/** Every field, in file order; the mapped type makes a new Config field without a check a compile error. */
const FIELDS: { readonly [K in keyof Config]: Field<Config[K]> } = {
  version: {
    type: '1', description: 'File format version.',
    check: (v, report, key) => (v === 1 ? 1 : report(key, v === undefined ? 'missing (expected 1)' : `expected 1, got ${show(v)}`)),
  },
  columns: {
    type: 'column id[]',
    description: `Columns shown, in order; the command column always goes last. Ids: ${COLUMNS.map((c) => c.id).join(', ')}.`,
    check: (v, report, key) => {
      const ids = list(v, report, key, 'column', (item, at) => columnId(item, at, report));
      if (ids === undefined) return undefined;
      if (ids.length === 0) return report(key, 'no usable column');
      // The width-0 column takes the rest of the line, so anything after it would be invisible.
      const ordered = [...ids.filter((id) => !isWide(id)), ...ids.filter(isWide)];
      if (ordered.some((id, i) => id !== ids[i])) report(key, `${show(ordered[ordered.length - 1])} takes the rest of the line, moved last`);
      return ordered;
    },
  },
  meters: {
    type: 'meter[]',
    description: `Header meters shown, in order (empty hides the header). Meters: ${METERS.join(', ')}.`,
    check: (v, report, key) => list(v, report, key, 'meter', (item, at) => (isMeter(item) ? item : report(at, `unknown meter ${show(item)}`))),
  },
  sortKey: {
    type: 'column id', description: 'Column the list is sorted by (need not be shown).',
    check: (v, report, key) => columnId(v, key, report),
  },
  sortDescending: boolean('Sort high to low.'),
  tree: boolean('Show the process tree.'),
  delay: {
    type: `integer ${DELAY_MIN}–${DELAY_MAX}`, description: 'Refresh interval in tenths of a second.',
    check: (v, report, key) => (typeof v === 'number' && Number.isInteger(v) && v >= DELAY_MIN && v <= DELAY_MAX
      ? v : report(key, `expected a whole number from ${DELAY_MIN} to ${DELAY_MAX}, got ${show(v)}`)),
  },
  theme: {
    type: 'theme name', description: `Colour theme: ${THEME_NAMES.join(', ')}.`,
    check: (v, report, key) => (typeof v === 'string' && isOneOf(THEME_NAMES, v) ? v : report(key, `unknown theme ${show(v)}; one of ${THEME_NAMES.join(', ')}`)),
  },
  showThreads: boolean('Show user threads as rows of their process.'),
  showKernel: boolean('Show kernel threads.'),
  groups: {
    type: 'object: name → query',
    description: `Named process groups for \`proctop serve\` (up to ${MAX_GROUPS}), each a filter query, e.g. {"web": "name:nginx"}; a process joins the first group it matches.`,
    check: (v, report, key) => checkGroups(v, report, key),
  },
  rewind: {
    type: 'duration',
    description: `How much recent past the live TUI keeps in memory for the time keys ({ } ( ) @ L): 10m, 90s, 1h (at most 24h), or 0 for none. Also bounded to ${REWIND_MAX_BYTES_TEXT} of memory.`,
    check: (v, report, key) => (typeof v === 'string' && rewindMs(v) !== undefined ? v : report(key, `expected a duration such as "10m" (at most 24h) or "0", got ${show(v)}`)),
  },
  memPercentOf,
};

function checkGroups(value: unknown, report: Report, key: string): Record<string, string> | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return report(key, `expected an object of name → query, got ${show(value)}`);
  const out: Record<string, string> = {};
  for (const [name, query] of Object.entries(value as Record<string, unknown>)) {
    const at = `${key}.${show(name)}`;
    if (Object.keys(out).length >= MAX_GROUPS) {
      report(at, `more than ${MAX_GROUPS} groups, dropped`);
      continue;
    }
    if (name === '' || name.length > MAX_GROUP_NAME || /[\x00-\x1f\x7f]/.test(name)) {
      report(at, `a group name is 1 to ${MAX_GROUP_NAME} characters without control characters`);
      continue;
    }
    if (typeof query !== 'string') {
      report(at, `expected a query, got ${show(query)}`);
      continue;
    }
    const parsed = parseQuery(query);
    if (!parsed.ok) report(at, `${parsed.error} (at character ${parsed.position + 1})`);
    else out[name] = query;
  }
  return out;
}

// Object.keys loses the key type; FIELDS is exactly keyof Config by its declared type.
const KEYS = Object.keys(FIELDS) as (keyof Config)[];

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

function apply<K extends keyof Config>(key: K, raw: Readonly<Record<string, unknown>>, out: Mutable<Config>, report: Report): void {
  // A missing field (an older file, a hand-written one) quietly takes its default; only the version must be there.
  if (key !== 'version' && !Object.hasOwn(raw, key)) return;
  const value = FIELDS[key].check(raw[key], report, key);
  if (value !== undefined) out[key] = value;
}

/**
 * Checks a parsed config file field by field: each bad field is reported
 * (`columns[2]: unknown column "foo"`) and replaced by its default, a bad list
 * element is dropped, unknown top-level keys are reported and dropped.
 */
export function validateConfig(raw: unknown): { readonly config: Config; readonly errors: readonly string[] } {
  const errors: string[] = [];
  const report: Report = (path, message) => {
    errors.push(`${path}: ${message}`);
    return undefined;
  };
  const out: Mutable<Config> = { ...DEFAULT_CONFIG };
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    report('config', `expected an object, got ${show(raw)}`);
    return { config: DEFAULT_CONFIG, errors };
  }
  const record = raw as Readonly<Record<string, unknown>>;
  for (const key of KEYS) apply(key, record, out, report);
  for (const key of Object.keys(record)) {
    if (!Object.hasOwn(FIELDS, key)) report(show(key), 'unknown setting, dropped');
  }
  return { config: out, errors };
}

function showDefault(value: Config[keyof Config]): string {
  if (typeof value === 'object' && !Array.isArray(value)) return JSON.stringify(value);
  return Array.isArray(value) ? value.join(', ') : typeof value === 'string' ? `"${value}"` : String(value);
}

/** Documentation table for the README, generated from the same records the validator uses. */
export const CONFIG_FIELDS: readonly { readonly key: keyof Config; readonly type: string; readonly description: string; readonly default: string }[] =
  KEYS.map((key) => ({ key, type: FIELDS[key].type, description: FIELDS[key].description, default: showDefault(DEFAULT_CONFIG[key]) }));
