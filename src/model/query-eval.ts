/**
 * Meaning of the filter query's terms: turns one `field op value` term, flag
 * or bare word into a predicate. query-parse.ts decides structure; this file
 * decides meaning, and reports bad values with the position of the value.
 *
 * Lookups go through Maps, never plain objects, so that a field called
 * `constructor` or `__proto__` is just an unknown field.
 */
import { isStuck } from './stuck';
import { COLUMNS, type Column, type QueryUnit } from './columns';
import { CGROUP_FLAGS, PROCESS_STATES, type ProcessInfo } from './snapshot';

/** What a predicate needs besides the process. */
export interface QueryContext {
  /** Snapshot time, ms since the epoch: ages are measured against it, not the wall clock. */
  readonly now: number;
  /** A D-state process counts as `stuck` after this many ms in that state (default 5000). */
  readonly stuckAfterMs: number;
}

/** A compiled query or term. */
export type Predicate = (p: ProcessInfo, ctx: QueryContext) => boolean;

/** A compiled piece, or why it could not be compiled and where. */
export type Compiled =
  | { readonly ok: true; readonly predicate: Predicate }
  | { readonly ok: false; readonly error: string; readonly position: number };

/** Operators as the lexer normalises them (`==` arrives as `=`). */
export type Operator = ':' | '~' | '=' | '!=' | '<' | '<=' | '>' | '>=';

/** One `field op value` term with the source positions of its parts. */
export interface TermSyntax {
  readonly field: string;
  readonly fieldPos: number;
  readonly op: Operator;
  readonly opPos: number;
  readonly value: string;
  readonly valuePos: number;
}

/** true / false, or undefined when the process's value is unknown (then neither `=` nor `!=` matches). */
type Test = (p: ProcessInfo, ctx: QueryContext) => boolean | undefined;
type Unit = QueryUnit;
type Getter = (p: ProcessInfo, ctx: QueryContext) => number | string | undefined;

/** A query field as the evaluator uses it, made from a column's `query` entry. */
type Field =
  | { readonly kind: 'number'; readonly unit: Unit; readonly get: Getter }
  | { readonly kind: 'text'; readonly get: Getter }
  | { readonly kind: 'state' | 'user' | 'tty' };

const ok = (predicate: Predicate): Compiled => ({ ok: true, predicate });
const fail = (error: string, position: number): Compiled => ({ ok: false, error, position });

/** The query fields of a list of columns, by every name (lower case), and their main names in column order. */
export interface QueryFields {
  readonly byName: ReadonlyMap<string, Field>;
  /** One name per field, for help and error messages. */
  readonly names: readonly string[];
}

function fieldOf(c: Column & { readonly query: NonNullable<Column['query']> }): Field {
  const q = c.query;
  if (q.kind === 'number') return { kind: 'number', unit: q.unit, get: q.get ?? ((p) => c.value(p)) };
  if (q.kind === 'text') return { kind: 'text', get: q.get ?? ((p) => c.value(p)) };
  return { kind: q.kind };
}

/** The query fields the columns declare: a column's id and aliases (or its `query.names`) name its field. */
export function queryFields(columns: readonly Column[]): QueryFields {
  const byName = new Map<string, Field>();
  const names: string[] = [];
  for (const c of columns) {
    if (c.query === undefined) continue;
    const field = fieldOf({ ...c, query: c.query });
    const all = [...(c.query.names ?? [c.id, ...(c.aliases ?? [])]), ...(c.query.extraNames ?? [])];
    names.push(all[0] ?? c.id);
    // First come, first served: a column later in the list cannot take a name already given.
    for (const n of all) if (!byName.has(n.toLowerCase())) byName.set(n.toLowerCase(), field);
  }
  return { byName, names };
}

const PROCTOP_FIELDS = queryFields(COLUMNS);

/** Field names (one per field), in column order. */
export const FIELD_NAMES: readonly string[] = PROCTOP_FIELDS.names;

const OPS: Readonly<Record<Field['kind'], readonly Operator[]>> = {
  number: [':', '=', '!=', '<', '<=', '>', '>='],
  text: [':', '=', '!=', '~'],
  state: [':', '=', '!='],
  user: [':', '=', '!='],
  tty: [':', '=', '!='],
};

const FLAGS = new Map<string, Predicate>([
  ['zombie', (p) => p.state === 'Z'],
  ['orphan', (p) => p.orphan === true],
  ['stuck', (p, ctx) => isStuck(p, ctx.now, ctx.stuckAfterMs)],
  ['deleted', (p) => p.exeDeleted === true],
  ['kernel', (p) => p.kernel === true],
  ['thread', (p) => p.thread === true],
  ['running', (p) => p.state === 'R'],
  ['stopped', (p) => p.state === 'T' || p.state === 't'],
  // The cgroup's trouble, per process (see CGROUP_FLAGS): needs the cgroup columns or --json to be read.
  ...CGROUP_FLAGS.map((flag): [string, Predicate] => [flag, (p) => hasFlag(p.cgroupFlags, flag)]),
]);

/** Whether a space-separated flag list holds `flag`. */
function hasFlag(flags: string, flag: string): boolean {
  return flags !== '' && ` ${flags} `.includes(` ${flag} `);
}

/** Flag names, in help order. */
export const FLAG_NAMES: readonly string[] = [...FLAGS.keys()];

/** The predicate of a flag word (case-insensitive), or undefined when the word is no flag. */
export function flagPredicate(word: string): Predicate | undefined {
  return FLAGS.get(word.toLowerCase());
}

/** Case-insensitive substring; undefined (unknown) when the haystack is not a string. */
function contains(haystack: unknown, needle: string): boolean | undefined {
  return typeof haystack === 'string' ? haystack.toLowerCase().includes(needle) : undefined;
}

/**
 * A bare word: name or command line contains it, case-insensitively. The same
 * rule serves the search bar (F3, `/`) and htop-style plain filters.
 */
export function wordPredicate(word: string): Predicate {
  const needle = word.toLowerCase();
  return (p) => contains(p.name, needle) === true || contains(p.command, needle) === true;
}

/** {@link wordPredicate} for one process, as the search bar uses it. */
export function matchesText(p: ProcessInfo, text: string): boolean {
  return text === '' || wordPredicate(text)(p, { now: 0, stuckAfterMs: 0 });
}

const DURATION_MS = new Map([['', 1000], ['ms', 1], ['s', 1000], ['m', 60_000], ['h', 3_600_000], ['d', 86_400_000]]);
const BYTE_POWER = new Map([['', 0], ['k', 1], ['m', 2], ['g', 3], ['t', 4]]);

/** Multiplier of a unit suffix (case-insensitive), or undefined when the suffix does not fit the unit. */
function unitScale(unit: Unit, suffix: string): number | undefined {
  const s = suffix.toLowerCase();
  if (unit === 'count') return s === '' ? 1 : undefined;
  if (unit === 'percent') return s === '' || s === '%' ? 1 : undefined;
  if (unit === 'duration') return DURATION_MS.get(s);
  const m = /^([kmgt]?)(b|ib)?$/.exec(s);
  // `5iB` has no prefix for the `i` to qualify.
  if (m === null || (m[1] === '' && m[2] === 'ib')) return undefined;
  return 1024 ** (BYTE_POWER.get(m[1]) ?? 0);
}

const UNIT_HINT: Readonly<Record<Unit, string>> = {
  count: 'a number',
  percent: 'a percentage',
  bytes: 'a size (bytes, or with K M G T, optionally B/iB)',
  duration: 'a duration (seconds, or with ms s m h d)',
};

/** One number with its unit applied, or an error at `pos`. */
function parseNumber(field: string, unit: Unit, item: string, pos: number): number | Compiled {
  const m = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+))(.*)$/.exec(item);
  const scale = m === null ? undefined : unitScale(unit, m[2]);
  if (m === null || scale === undefined) return fail(`'${field}' needs ${UNIT_HINT[unit]}, not '${item}'`, pos);
  const n = Number(m[1]) * scale;
  return Number.isFinite(n) ? n : fail(`number out of range: '${item}'`, pos);
}

const COMPARE: Readonly<Record<'<' | '<=' | '>' | '>=', (a: number, b: number) => boolean>> = {
  '<': (a, b) => a < b, '<=': (a, b) => a <= b, '>': (a, b) => a > b, '>=': (a, b) => a >= b,
};

/** Only finite numbers are known; anything else never matches. */
function known(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

/** The equality test of one list item of a field. */
function itemTest(t: TermSyntax, field: Field, item: string, pos: number): Test | Compiled {
  switch (field.kind) {
    case 'number': {
      const n = parseNumber(t.field, field.unit, item, pos);
      if (typeof n !== 'number') return n;
      return (p, ctx) => { const v = field.get(p, ctx); return known(v) ? v === n : undefined; };
    }
    case 'state':
      if (item !== '?' && !(PROCESS_STATES as readonly string[]).includes(item)) {
        return fail(`unknown state '${item}'; states are ${PROCESS_STATES.join(' ')} (case-sensitive)`, pos);
      }
      return (p) => p.state === item;
    case 'user':
      return userTest(item);
    case 'tty':
      return item.toLowerCase() === 'none' ? (p) => p.tty === undefined : (p) => p.tty === item;
    case 'text': {
      const needle = item.toLowerCase();
      return (p, ctx) => contains(field.get(p, ctx), needle);
    }
  }
}

/** Exact user name, or a numeric uid (which also matches a user shown as that number). */
function userTest(item: string): Test {
  const uid = /^\d+$/.test(item) ? Number(item) : undefined;
  return (p) => {
    if (p.user === undefined && p.uid === undefined) return undefined;
    return p.user === item || (uid !== undefined && p.uid === uid);
  };
}

/** `:` `=` `!=`: any of a comma list (text values are not split: commas occur in command lines). */
function equalityTerm(t: TermSyntax, field: Field): Compiled {
  const items = field.kind === 'text' ? [t.value] : t.value.split(',');
  const tests: Test[] = [];
  let pos = t.valuePos;
  for (const item of items) {
    if (item === '') return fail(`empty item in the list of '${t.field}'`, pos);
    const test = itemTest(t, field, item, pos);
    if (typeof test !== 'function') return test;
    tests.push(test);
    pos += item.length + 1;
  }
  const want = t.op !== '!=';
  return ok((p, ctx) => {
    let unknown = false;
    for (const test of tests) {
      const r = test(p, ctx);
      if (r === true) return want;
      if (r === undefined) unknown = true;
    }
    return !unknown && !want;
  });
}

/** `<` `<=` `>` `>=` on a numeric field. */
function orderTerm(t: TermSyntax, field: Field & { kind: 'number' }, op: keyof typeof COMPARE): Compiled {
  const n = parseNumber(t.field, field.unit, t.value, t.valuePos);
  if (typeof n !== 'number') return n;
  const cmp = COMPARE[op];
  return ok((p, ctx) => { const v = field.get(p, ctx); return known(v) && cmp(v, n); });
}

/** `~`: case-insensitive JavaScript regex; an invalid one is an error at the value. */
function regexTerm(t: TermSyntax, get: Getter): Compiled {
  let re: RegExp;
  try {
    re = new RegExp(t.value, 'i');
  } catch (e) {
    // V8 says "Invalid regular expression: /src/i: Reason"; the reason is the useful part.
    const message = e instanceof Error ? e.message : String(e);
    return fail(`invalid regular expression: ${message.slice(message.lastIndexOf(': ') + 2)}`, t.valuePos);
  }
  return ok((p, ctx) => { const v = get(p, ctx); return typeof v === 'string' && re.test(v); });
}

/** `is:zombie`: the flag alone (the strict form; a bare `zombie` also matches names). */
function flagTerm(t: TermSyntax): Compiled {
  if (t.op !== ':' && t.op !== '=') return fail(`'is' takes ':' (is:zombie)`, t.opPos);
  const flag = flagPredicate(t.value);
  return flag ? ok(flag) : fail(`unknown flag '${t.value}'; flags: ${FLAG_NAMES.join(' ')}`, t.valuePos);
}

/** Compile one `field op value` term. Field names are case-insensitive; values are not, except where noted. */
export function compileTerm(t: TermSyntax, fields: QueryFields = PROCTOP_FIELDS): Compiled {
  if (t.field.toLowerCase() === 'is') return flagTerm(t);
  const field = fields.byName.get(t.field.toLowerCase());
  if (field === undefined) return fail(`unknown field '${t.field}'; valid fields: ${fields.names.join(' ')}`, t.fieldPos);
  if (!OPS[field.kind].includes(t.op)) {
    return fail(`'${t.field}' does not take '${t.op}'; use ${OPS[field.kind].join(' ')}`, t.opPos);
  }
  if (t.op === '~' && field.kind === 'text') return regexTerm(t, field.get);
  if (t.op === '<' || t.op === '<=' || t.op === '>' || t.op === '>=') {
    return field.kind === 'number' ? orderTerm(t, field, t.op) : fail(`'${t.field}' is not a number`, t.opPos);
  }
  return equalityTerm(t, field);
}
