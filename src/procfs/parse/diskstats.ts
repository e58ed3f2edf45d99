import { err, ok, Result } from '../../base/result';

/**
 * One device of /proc/diskstats (Documentation/admin-guide/iostats.rst): `major minor name`
 * then the counters; sectors are 512 bytes whatever the device's sector size.
 */
export interface DiskCounters {
  /** Field 3: the kernel's device name (sda, nvme0n1p2, dm-0). */
  readonly name: string;
  /** Field 6: sectors read since boot (or since the device appeared). */
  readonly sectorsRead: number;
  /** Field 10: sectors written. */
  readonly sectorsWritten: number;
}

/** Bytes per /proc/diskstats sector: always 512 (the block layer's unit, not the device's). */
export const DISKSTATS_SECTOR = 512;

/** /proc/diskstats, one record per well-formed line (a line that is not is skipped); an error only when none is. */
export function parseDiskstats(text: string): Result<DiskCounters[]> {
  const disks: DiskCounters[] = [];
  for (const line of text.split('\n')) {
    const f = line.trim().split(/\s+/);
    // Kernels before 4.18 have 14 fields, later 18 or 20; every field after the name is a number.
    if (f.length < 14 || !f.every((word, i) => i === 2 || /^\d+$/.test(word))) continue;
    const name = f[2] ?? '';
    const sectorsRead = Number(f[5]);
    const sectorsWritten = Number(f[9]);
    if (name === '' || !Number.isSafeInteger(sectorsRead) || !Number.isSafeInteger(sectorsWritten) || sectorsRead < 0 || sectorsWritten < 0) continue;
    disks.push({ name, sectorsRead, sectorsWritten });
  }
  return disks.length > 0 || text.trim() === '' ? ok(disks) : err('diskstats: no device line');
}

/**
 * Devices stacked on other block devices or on memory: their I/O is counted again on the disks
 * below (dm-*: LVM, dm-crypt, multipath; md*: software RAID) or never reaches a disk (loop* is
 * file-backed, so its I/O is the backing file's disk's; ram*, zram* are memory).
 */
const STACKED_OR_MEMORY = /^(loop|ram|zram|dm-|md)\d|^md_/;

/** Whether `name` is a partition of disk `disk`, by the kernel's naming: sda → sda1, nvme0n1 → nvme0n1p1. */
function isPartitionOf(name: string, disk: string): boolean {
  if (!name.startsWith(disk) || name.length === disk.length) return false;
  const rest = name.slice(disk.length);
  // disk_name(): a disk whose name ends in a digit gets `p` before the partition number.
  return /\d$/.test(disk) ? /^p\d+$/.test(rest) : /^\d+$/.test(rest);
}

/**
 * The whole disks whose I/O the disk meter sums: not partitions (their I/O is their disk's), not
 * loop, ram, zram, dm-* or md* devices (see STACKED_OR_MEMORY), so each byte that reaches a disk
 * is counted once. From the names alone: no /sys read per tick.
 */
export function wholeDisks(devices: readonly DiskCounters[]): DiskCounters[] {
  const names = devices.map((d) => d.name);
  return devices.filter((d) => !STACKED_OR_MEMORY.test(d.name) && !names.some((other) => isPartitionOf(d.name, other)));
}
