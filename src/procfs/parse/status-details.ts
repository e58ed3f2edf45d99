/**
 * The /proc/PID/status lines the details panel shows. Each is undefined when
 * the line is missing or malformed (older kernels lack some), so one odd line
 * cannot hide the others.
 */
export interface StatusDetails {
  /** `Uid:` real, effective, saved set, filesystem. */
  readonly uids: readonly number[] | undefined;
  /** `Gid:` in the same order. */
  readonly gids: readonly number[] | undefined;
  /** `Cpus_allowed_list:`, e.g. `0-3,8`. */
  readonly cpusAllowedList: string | undefined;
  /** `voluntary_ctxt_switches:` and `nonvoluntary_ctxt_switches:`; undefined unless both are present. */
  readonly contextSwitches: { readonly voluntary: number; readonly involuntary: number } | undefined;
  /** `TracerPid:`: the debugger or strace attached, 0 when none. */
  readonly tracerPid: number | undefined;
  /** `VmSwap:` in bytes (the kernel prints kB); undefined for kernel threads, which have no such line. */
  readonly swapBytes: number | undefined;
}

/** Four whitespace-separated ids, as the kernel prints `Uid:` and `Gid:`. */
function ids(text: string | undefined): number[] | undefined {
  if (text === undefined) return undefined;
  const words = text.split(/\s+/);
  return words.length === 4 && words.every((w) => /^\d+$/.test(w)) ? words.map(Number) : undefined;
}

function count(text: string | undefined): number | undefined {
  return text !== undefined && /^\d+$/.test(text) ? Number(text) : undefined;
}

/** `N kB` as bytes. */
function kilobytes(text: string | undefined): number | undefined {
  const kb = text === undefined ? undefined : /^(\d+) kB$/.exec(text)?.[1];
  return kb === undefined ? undefined : Number(kb) * 1024;
}

/** Parses the panel's lines out of /proc/PID/status. Never throws; see {@link StatusDetails}. */
export function parseStatusDetails(text: string): StatusDetails {
  // key → value after the first ':' (tabs trimmed); later duplicates win, which never happens in practice.
  const lines = new Map<string, string>();
  for (const line of text.split('\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) lines.set(line.slice(0, colon), line.slice(colon + 1).trim());
  }
  const voluntary = count(lines.get('voluntary_ctxt_switches'));
  const involuntary = count(lines.get('nonvoluntary_ctxt_switches'));
  const cpus = lines.get('Cpus_allowed_list');
  return {
    uids: ids(lines.get('Uid')),
    gids: ids(lines.get('Gid')),
    cpusAllowedList: cpus !== undefined && /^[\d,-]+$/.test(cpus) ? cpus : undefined,
    contextSwitches: voluntary !== undefined && involuntary !== undefined ? { voluntary, involuntary } : undefined,
    tracerPid: count(lines.get('TracerPid')),
    swapBytes: kilobytes(lines.get('VmSwap')),
  };
}
