import { MemoryInfo } from '../../kernel/memory';
import { err, ok, Result } from '../../base/result';

/** Parses /proc/meminfo (values in kB) into bytes, counting used and cache as free(1) and htop do. */
export function parseMeminfo(text: string): Result<MemoryInfo> {
  const kb = new Map<string, number>();
  for (const line of text.split('\n')) {
    const match = /^([\w()]+):\s+(\d+)/.exec(line);
    if (match) kb.set(match[1] as string, Number(match[2]) * 1024);
  }
  const total = kb.get('MemTotal');
  const free = kb.get('MemFree');
  if (total === undefined || free === undefined) return err('meminfo: no MemTotal/MemFree');
  const buffers = kb.get('Buffers') ?? 0;
  const cache = Math.max(0, (kb.get('Cached') ?? 0) + (kb.get('SReclaimable') ?? 0) - (kb.get('Shmem') ?? 0));
  const available = kb.get('MemAvailable');
  const swapTotal = kb.get('SwapTotal') ?? 0;
  return ok({
    total,
    free,
    used: available !== undefined ? total - available : total - free - buffers - cache,
    buffers,
    cache,
    available: available ?? free + buffers + cache,
    swapTotal,
    swapUsed: swapTotal - (kb.get('SwapFree') ?? swapTotal),
  });
}
