/** The fields proctop uses from /proc/PID/status. */
export interface StatusRecord {
  /** Real uid (first number of the `Uid:` line). */
  readonly uid: number | undefined;
  /** `Tgid:` — the owning process of a thread. */
  readonly tgid: number | undefined;
  /** `Threads:`. */
  readonly threads: number | undefined;
  /** `TracerPid:` — non-zero while a debugger or strace is attached. */
  readonly tracerPid: number | undefined;
}

function firstNumber(text: string, key: string): number | undefined {
  const at = text.indexOf(`\n${key}:`);
  const start = at < 0 ? (text.startsWith(`${key}:`) ? 0 : -1) : at + 1;
  if (start < 0) return undefined;
  const match = /^\S+:\s*(-?\d+)/.exec(text.slice(start, start + 80));
  return match ? Number(match[1]) : undefined;
}

export function parseStatus(text: string): StatusRecord {
  return {
    uid: firstNumber(text, 'Uid'),
    tgid: firstNumber(text, 'Tgid'),
    threads: firstNumber(text, 'Threads'),
    tracerPid: firstNumber(text, 'TracerPid'),
  };
}

/**
 * `VmSwap:` of /proc/PID/status in bytes (the kernel prints kB), looked up alone: the sampler
 * reads it every scan while SWAP is needed, so it parses one line, not the whole file. Undefined
 * when the line is absent (kernel threads, kernels before 2.6.34) or malformed.
 */
export function parseVmSwap(text: string): number | undefined {
  const at = text.indexOf('\nVmSwap:');
  if (at < 0) return undefined;
  const kb = /^\nVmSwap:\s*(\d+) kB\n/.exec(text.slice(at, at + 64))?.[1];
  return kb === undefined ? undefined : Number(kb) * 1024;
}

/** A group member's counters from /proc/PID/status (each undefined when its line is absent or malformed). */
export interface StatusCounters {
  /** `VmSwap:` in bytes. */
  readonly swapBytes: number | undefined;
  /** `voluntary_ctxt_switches:` and `nonvoluntary_ctxt_switches:`; undefined unless both are present. */
  readonly contextSwitches: { readonly voluntary: number; readonly involuntary: number } | undefined;
}

/** The value of a `key:` line, whitespace trimmed; undefined when the line is absent. */
function lineValue(text: string, key: string): string | undefined {
  const at = text.indexOf(`\n${key}:`);
  const start = at < 0 ? (text.startsWith(`${key}:`) ? key.length + 1 : -1) : at + key.length + 2;
  if (start < 0) return undefined;
  const end = text.indexOf('\n', start);
  return text.slice(start, end < 0 ? text.length : end).trim();
}

function count(value: string | undefined): number | undefined {
  return value !== undefined && /^\d+$/.test(value) ? Number(value) : undefined;
}

/**
 * What `proctop serve` reads of each group member's status: VmSwap and the two context-switch
 * counts, the same values as parseStatusDetails (status-details.ts) gives, looked up by key (three small
 * strings) instead of a map of all ~57 lines: at 2,000 members per scrape that split made ~460,000
 * strings per scrape.
 */
export function parseStatusCounters(text: string): StatusCounters {
  const swap = lineValue(text, 'VmSwap');
  const kb = swap === undefined ? undefined : /^(\d+) kB$/.exec(swap)?.[1];
  const voluntary = count(lineValue(text, 'voluntary_ctxt_switches'));
  const involuntary = count(lineValue(text, 'nonvoluntary_ctxt_switches'));
  return {
    swapBytes: kb === undefined ? undefined : Number(kb) * 1024,
    contextSwitches: voluntary !== undefined && involuntary !== undefined ? { voluntary, involuntary } : undefined,
  };
}
