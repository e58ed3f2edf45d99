/**
 * The filter query that shows one cgroup's processes: written in the query
 * language, so the filter bar shows it, F4 edits it, Esc removes it and
 * `--once --filter` takes the same text.
 */

const REGEX_SPECIAL = /[\\^$.*+?()[\]{}|]/g;

/**
 * `cgroup~^/system\.slice/nginx\.service(/|$)`: processes of the cgroup at
 * `path` and of every cgroup below it (a slice's processes are its units'),
 * never a sibling that only starts with the same name (`/a` is not `/ab`).
 * Quoted when the path holds white space; then every backslash is doubled
 * and a double quote escaped, as the query's quoted strings read them.
 * The query's regexes ignore case, so a sibling differing from `path` only
 * in case would match too.
 */
export function cgroupQuery(path: string): string {
  if (path === '/' || path === '') return 'cgroup~^/';
  const regex = `^${path.replace(REGEX_SPECIAL, '\\$&')}(/|$)`;
  if (!/\s/.test(regex)) return `cgroup~${regex}`;
  return `cgroup~"${regex.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}
