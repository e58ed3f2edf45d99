import type { ProcessFile } from '../kernel/process-files';
import { Column, COLUMNS } from './columns';
import { CGROUP_FLAGS } from './snapshot';

/** Every query name of a column (as queryFields gives them): its id and aliases, or `names`, plus `extraNames`. */
function queryNames(c: Column): readonly string[] {
  if (c.query === undefined) return [];
  return [...(c.query.names ?? [c.id, ...(c.aliases ?? [])]), ...(c.query.extraNames ?? [])];
}

/** Words whose presence in a query means cgroups must be read: fields of columns that need them, and the cgroup flags. */
function cgroupWords(columns: readonly Column[]): RegExp {
  const fields = columns.filter((c) => c.needs?.includes('cgroup') === true).flatMap(queryNames);
  const words = [...fields, ...CGROUP_FLAGS].map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`(^|[^\\w])(${words.join('|')})($|[^\\w])`, 'i');
}

const PROCTOP_WORDS = cgroupWords(COLUMNS);

/**
 * Whether a filter mentions a cgroup field or flag (`container:web`, `unit~nginx`, `throttled`,
 * `is:memlimit`): then each process's cgroup must be read for the filter to match anything, even
 * with no cgroup column on screen. Errs on the side of reading: the word inside a quoted string
 * counts too (it only costs a slower scan), but a query that uses a cgroup field never reads
 * as one that does not.
 */
export function queryNeedsCgroups(filter: string | undefined, columns: readonly Column[] = COLUMNS): boolean {
  if (filter === undefined || filter === '') return false;
  const words = columns === COLUMNS ? PROCTOP_WORDS : cgroupWords(columns);
  return words.test(filter);
}

/** A regex that finds any of `words` as a whole word (a query field name before its operator). */
function wordsRegex(words: readonly string[]): RegExp | undefined {
  if (words.length === 0) return undefined;
  return new RegExp(`(^|[^\\w])(${words.map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})($|[^\\w])`, 'i');
}

/** For each optional file, the query field names of the columns that need it. */
function fileWords(columns: readonly Column[]): ReadonlyMap<ProcessFile, RegExp> {
  const names = new Map<ProcessFile, string[]>();
  for (const c of columns) for (const file of c.needs ?? []) names.set(file, [...(names.get(file) ?? []), ...queryNames(c)]);
  const out = new Map<ProcessFile, RegExp>();
  for (const [file, words] of names) {
    const re = wordsRegex(words);
    if (re) out.set(file, re);
  }
  return out;
}

const PROCTOP_FILE_WORDS = fileWords(COLUMNS);

/**
 * The optional per-process files a filter needs read (`swap>1G` needs status, `ioread>1M` io),
 * whether or not their columns are shown: without the read those fields are unknown and the
 * term would match nothing. Like {@link queryNeedsCgroups} it errs on the side of reading.
 */
export function queryFiles(filter: string | undefined, columns: readonly Column[] = COLUMNS): ReadonlySet<ProcessFile> {
  const files = new Set<ProcessFile>();
  if (filter === undefined || filter === '') return files;
  for (const [file, re] of columns === COLUMNS ? PROCTOP_FILE_WORDS : fileWords(columns)) if (re.test(filter)) files.add(file);
  return files;
}
