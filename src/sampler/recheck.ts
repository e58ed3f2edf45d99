/**
 * The re-read period of one process's rarely changing facts (exe link,
 * cgroup): `base` ms plus pid % 20 twentieths of it, so processes first seen
 * together are not all re-read in the same scan. At the default 10 s this is
 * 10–19.5 s, as before the period became a setting.
 */
export function recheckEvery(pid: number, base: number): number {
  return base + ((pid % 20) * base) / 20;
}
