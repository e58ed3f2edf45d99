import { Column } from './columns';
import { ProcessInfo } from './snapshot';

/** Sort order: a column and a direction. */
export interface SortOrder {
  readonly column: Column;
  readonly descending: boolean;
}

/**
 * A comparator for the order: numbers numerically, text case-insensitively,
 * unknown values last in either direction, ties broken by pid so the order is
 * total and rows don't jump between refreshes.
 */
export function comparator(order: SortOrder): (a: ProcessInfo, b: ProcessInfo) => number {
  const { column, descending } = order;
  const sign = descending ? -1 : 1;
  return (a, b) => {
    const va = column.value(a);
    const vb = column.value(b);
    if (va === undefined || vb === undefined) {
      if (va !== vb) return va === undefined ? 1 : -1;
    } else if (va !== vb) {
      const c = typeof va === 'number' && typeof vb === 'number' ? va - vb : compareText(String(va), String(vb));
      if (c !== 0) return sign * c;
    }
    return a.pid - b.pid;
  };
}

function compareText(a: string, b: string): number {
  const la = a.toLowerCase();
  const lb = b.toLowerCase();
  if (la !== lb) return la < lb ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A sorted copy; the input (a snapshot's frozen array) is left alone. */
export function sortProcesses(processes: readonly ProcessInfo[], order: SortOrder): ProcessInfo[] {
  return [...processes].sort(comparator(order));
}
