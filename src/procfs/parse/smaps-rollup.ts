import type { SmapsRollup } from '../../kernel/process-details';
import { err, ok, Result } from '../../base/result';

/** `Key:   N kB` lines of smaps_rollup → bytes, by key. */
function kilobyteLines(text: string): Map<string, number> {
  const values = new Map<string, number>();
  for (const line of text.split('\n')) {
    const m = /^(\w+):\s+(\d+) kB$/.exec(line);
    if (m) values.set(m[1] as string, Number(m[2]) * 1024);
  }
  return values;
}

/**
 * Parses /proc/PID/smaps_rollup (Linux 4.14+): the sums over every mapping of the process, as
 * smaps gives them per mapping. The first line names the address range (`… [rollup]`); the rest
 * are `Key: N kB`. Rss and Pss are required; the finer Pss_* lines (Linux 5.9+) and the swap
 * lines are undefined when absent. Reading the file makes the kernel walk every page table of
 * the process, so it is read for the selected process only (the details panel).
 */
export function parseSmapsRollup(text: string): Result<SmapsRollup> {
  const v = kilobyteLines(text);
  const rss = v.get('Rss');
  const pss = v.get('Pss');
  if (rss === undefined || pss === undefined) return err('smaps_rollup: no Rss or Pss line');
  return ok({ rss, pss, pssAnon: v.get('Pss_Anon'), pssFile: v.get('Pss_File'), pssShmem: v.get('Pss_Shmem'), swap: v.get('Swap'), swapPss: v.get('SwapPss') });
}
