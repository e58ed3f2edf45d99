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
