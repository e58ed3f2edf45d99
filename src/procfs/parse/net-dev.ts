import { err, ok, Result } from '../../base/result';

/** One interface of /proc/net/dev: `name: rx_bytes rx_packets … (8 receive fields) tx_bytes …`. */
export interface NetCounters {
  /** Interface name (the kernel forbids ':', '/' and white space in it). */
  readonly name: string;
  /** Receive field 1: bytes received since the interface appeared. */
  readonly rxBytes: number;
  /** Transmit field 1 (field 9 after the colon): bytes sent. */
  readonly txBytes: number;
}

/** /proc/net/dev after its two header lines; an error when no interface line is well formed. */
export function parseNetDev(text: string): Result<NetCounters[]> {
  const interfaces: NetCounters[] = [];
  for (const line of text.split('\n')) {
    const colon = line.indexOf(':');
    if (colon < 0) continue; // the two header lines have '|', not ':'
    const name = line.slice(0, colon).trim();
    const f = line.slice(colon + 1).trim().split(/\s+/);
    const rxBytes = Number(f[0]);
    const txBytes = Number(f[8]);
    if (name === '' || f.length < 16 || !Number.isSafeInteger(rxBytes) || !Number.isSafeInteger(txBytes) || rxBytes < 0 || txBytes < 0) continue;
    interfaces.push({ name, rxBytes, txBytes });
  }
  return interfaces.length > 0 ? ok(interfaces) : err('net/dev: no interface line');
}

/** The interfaces the network meter sums: all but loopback (traffic a host sends itself), as htop counts. */
export function countedInterfaces(interfaces: readonly NetCounters[]): NetCounters[] {
  return interfaces.filter((i) => i.name !== 'lo');
}
