import { parseKeyed } from './cgroup-value';
import { err, ok, Result } from '../../base/result';

/**
 * OOM kills in a cgroup: v2 memory.events `oom_kill` (hierarchical: counts
 * kills in descendants too), v1 memory.oom_control `oom_kill` (kernel ≥ 4.13;
 * older kernels lack the line, which is an error value, not 0).
 */
export function parseOomKills(text: string, file = 'memory.events'): Result<number> {
  const kills = parseKeyed(text).get('oom_kill');
  return kills === undefined ? err(`${file}: no oom_kill line`) : ok(kills);
}
