import type { DiskRate, NetRate } from '../model/snapshot';
import { DISKSTATS_SECTOR, DiskCounters, wholeDisks } from '../procfs/parse/diskstats';
import { countedInterfaces, NetCounters } from '../procfs/parse/net-dev';

const WRAP_32 = 2 ** 32;

/**
 * How far a counter moved between two reads. A counter that went backwards is a 32-bit kernel's
 * `unsigned long` wrapping when the wrapped step is under 2^31 (it was near 2^32 and is now
 * small); otherwise the device was removed and added again (its counters restarted at 0), and
 * the step is unknown: undefined, so the device is left out of that interval, never negative or huge.
 */
export function counterDelta(before: number, now: number): number | undefined {
  if (now >= before) return now - before;
  const wrapped = WRAP_32 - before + now;
  return before < WRAP_32 && wrapped < 2 ** 31 ? wrapped : undefined;
}

/**
 * Per-second sums of two counters (times `unit`) over the devices read both times (by name): one that appeared
 * since has no step yet, one that disappeared is gone; one whose counter restarted is skipped.
 */
function sumRates<T extends { readonly name: string }>(before: readonly T[], now: readonly T[], ms: number, a: (t: T) => number, b: (t: T) => number, unit = 1): [number, number] {
  const old = new Map(before.map((t) => [t.name, t]));
  let sumA = 0;
  let sumB = 0;
  for (const t of now) {
    const o = old.get(t.name);
    if (o === undefined) continue;
    const da = counterDelta(a(o), a(t));
    const db = counterDelta(b(o), b(t));
    if (da === undefined || db === undefined) continue;
    sumA += da;
    sumB += db;
  }
  return [(sumA * unit * 1000) / ms, (sumB * unit * 1000) / ms];
}

/** Whole-disk read and write bytes per second between two reads of /proc/diskstats `ms` apart. */
export function diskRate(before: readonly DiskCounters[] | undefined, now: readonly DiskCounters[] | undefined, ms: number): DiskRate | undefined {
  if (before === undefined || now === undefined || ms <= 0) return undefined;
  const disks = wholeDisks(now);
  const [read, write] = sumRates(wholeDisks(before), disks, ms, (d) => d.sectorsRead, (d) => d.sectorsWritten, DISKSTATS_SECTOR);
  return { read, write, disks: disks.length };
}

/** Received and sent bytes per second over all interfaces but lo between two reads of /proc/net/dev. */
export function netRate(before: readonly NetCounters[] | undefined, now: readonly NetCounters[] | undefined, ms: number): NetRate | undefined {
  if (before === undefined || now === undefined || ms <= 0) return undefined;
  const counted = countedInterfaces(now);
  const [rx, tx] = sumRates(countedInterfaces(before), counted, ms, (i) => i.rxBytes, (i) => i.txBytes);
  return { rx, tx, interfaces: counted.length };
}
