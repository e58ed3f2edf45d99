/**
 * The filter query language: `state:D,T user:root cpu>50 or (zombie !kernel)`.
 * parseQuery turns the text into a predicate over ProcessInfo. Errors are
 * values with a character position, for any input, so the UI can underline
 * the problem while the user is still typing.
 *
 * Structure lives in query-parse.ts, the meaning of each term in query-eval.ts.
 */
import type { Column } from './columns';
import type { ProcessInfo } from './snapshot';
import { queryFields, type QueryContext, type QueryFields } from './query-eval';
import { bareFlagWords, compileQuery, MAX_DEPTH } from './query-parse';
import { DEFAULT_STUCK_AFTER_MS } from './settings';

export type { QueryContext } from './query-eval';

/** Longest query accepted; beyond this parseQuery returns an error (bounds work per keystroke). */
export const MAX_QUERY_LENGTH = 4096;


/** A parsed query, or why it is not one. */
export type QueryResult =
  | {
      readonly ok: true;
      /** True when the process passes the filter. Never throws. */
      readonly predicate: (p: ProcessInfo, ctx: QueryContext) => boolean;
      /** The query as given. */
      readonly text: string;
    }
  | {
      readonly ok: false;
      /** One line, for a status bar. */
      readonly error: string;
      /** 0-based index into the query of the character at fault (its length when the query ended too soon). */
      readonly position: number;
    };

/**
 * Parse a filter query. Never throws: bad input of any kind, including very
 * long or very deeply nested input, comes back as `{ ok: false, error, position }`.
 * An empty (or all-blank) query matches every process.
 */
export function parseQuery(text: string, columns?: readonly Column[]): QueryResult {
  if (text.length > MAX_QUERY_LENGTH) {
    return { ok: false, error: `query too long (more than ${MAX_QUERY_LENGTH} characters)`, position: MAX_QUERY_LENGTH };
  }
  const r = compileQuery(text, columns && fieldsOf(columns));
  return r.ok ? { ok: true, predicate: r.predicate, text } : r;
}

const FIELDS_OF = new WeakMap<readonly Column[], QueryFields>();

/** The query fields of a column list other than proctop's own (built once per list). */
function fieldsOf(columns: readonly Column[]): QueryFields {
  let f = FIELDS_OF.get(columns);
  if (f === undefined) FIELDS_OF.set(columns, (f = queryFields(columns)));
  return f;
}

/** What each flag word means: the help rows and the filter bar's reading of a query come from here. */
export const FLAG_MEANINGS: ReadonlyMap<string, string> = new Map([
  ['zombie', 'state Z: exited, not yet reaped by its parent'],
  ['orphan', 'orphaned worker: group leader gone, adopted by init or a subreaper'],
  ['stuck', `state D for longer than ${DEFAULT_STUCK_AFTER_MS / 1000} s (by default)`],
  ['deleted', 'running a binary that was deleted or replaced'],
  ['kernel', 'kernel thread'],
  ['thread', 'a thread row (when threads are shown)'],
  ['running', 'state R'],
  ['stopped', 'state T or t (stopped or traced)'],
  ['throttled', 'its cgroup was CPU-throttled in the last interval'],
  ['memlimit', 'its cgroup uses 90 % or more of its memory limit'],
  ['oom', 'its cgroup had an OOM kill since proctop started'],
  ['pressure', 'its cgroup has some-PSI avg10 of 10 % or more (cpu, memory or io; v2)'],
]);

function flagRow(flag: string): { syntax: string; meaning: string } {
  return { syntax: flag, meaning: FLAG_MEANINGS.get(flag) ?? flag };
}

/**
 * How the filter reads the bare flag words of a query, for the bar: a flag word matches the
 * flag's processes and also names and command lines (`stopped: state T or t or name/cmd
 * contains 'stopped'`; `is:stopped` is the strict form). '' when the query has none (or does not parse).
 */
export function describeQuery(text: string): string {
  if (text.length > MAX_QUERY_LENGTH) return '';
  return bareFlagWords(text)
    .map((w) => `${w}: ${shortMeaning(w)} or name/cmd contains '${w}'`)
    .join('; ');
}

/** A flag's meaning up to its first explanation (`state T or t`, `state Z`): the bar has one line. */
function shortMeaning(flag: string): string {
  const meaning = FLAG_MEANINGS.get(flag.toLowerCase()) ?? flag;
  return (meaning.split(/[:(]/)[0] ?? meaning).trim();
}

/**
 * One row per kind of term, for the help screen and the README. Field names are the
 * column ids (see columns.ts); a test checks that every query field appears here.
 */
export const QUERY_HELP: readonly { readonly syntax: string; readonly meaning: string }[] = [
  { syntax: 'word  "two words"', meaning: 'name or command line contains it (case-insensitive); quote to search for a keyword or flag name' },
  { syntax: 'state:D,T', meaning: 'state is one of R S D T t Z X I (case-sensitive: t traced, T stopped)' },
  { syntax: 'user:root  user:1000', meaning: 'user name is exactly this, or uid is this number' },
  { syntax: 'pid:1,2,3  ppid:1  pgrp:…  sid:…', meaning: 'id is one of these; also compares, e.g. pid>1000 (pgid is pgrp)' },
  { syntax: 'tty:pts/0  tty:none', meaning: 'controlling terminal is exactly this; none for no terminal' },
  { syntax: 'name:nginx  wchan:io', meaning: 'process name (comm) / kernel wait function contains it (case-insensitive)' },
  { syntax: 'command~REGEX  name~  wchan~', meaning: 'matches a JavaScript regex, case-insensitive; command (or cmd) is the command line' },
  { syntax: 'cpu>50  mem>=10', meaning: 'CPU % of one core, memory % of RAM' },
  { syntax: 'res>1G  virt<500M  shr>64M', meaning: 'memory in bytes (rss is res, vsz is virt); units K M G T (×1024), optional B or iB, e.g. 1.5GiB' },
  { syntax: 'swap>100M', meaning: 'swapped-out memory in bytes (VmSwap); units as res' },
  { syntax: 'oomscore>500  oomadj<0', meaning: "OOM killer's score (0–2000, highest dies first) and its adjustment (−1000…1000; oom_score, oom_score_adj also work)" },
  { syntax: 'ioread>1M  iowrite>10M', meaning: 'disk read / write bytes per second (/proc/PID/io); unknown (never matching) for processes not yours without root' },
  { syntax: 'threads>100  nice<0  priority<0', meaning: 'thread count, nice value, kernel priority (or pri)' },
  { syntax: 'age<5m  time>1h  stateage>10s', meaning: 'since start / CPU time / time in current state; units ms s m h d, bare number = seconds' },
  { syntax: '> >= < <= = != (== and : mean =)', meaning: 'comparisons; = and != take comma lists; unknown values never match' },
  { syntax: 'is:zombie  is:stuck …', meaning: 'only the flag (for scripts); a bare flag word also matches names and command lines' },
  ...['zombie', 'orphan', 'stuck', 'deleted', 'kernel', 'thread', 'running', 'stopped'].map(flagRow),
  { syntax: 'cgroup:kubepods  container:docker  unit:nginx', meaning: 'cgroup path / container / systemd unit contains it (when the cgroup columns are shown, or with --json)' },
  ...['throttled', 'memlimit', 'oom', 'pressure'].map(flagRow),
  { syntax: 'a b  a and b', meaning: 'both (and is implied between terms)' },
  { syntax: 'a or b', meaning: 'either; binds loosest: a or b c = a or (b and c)' },
  { syntax: 'not a  !a', meaning: 'not; binds tightest: not a or b = (not a) or b' },
  { syntax: '( … )', meaning: `grouping, up to ${MAX_DEPTH} levels` },
];
