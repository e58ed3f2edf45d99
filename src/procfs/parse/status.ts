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
