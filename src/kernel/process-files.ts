/**
 * The per-process files under /proc/PID that a scan reads only when something
 * shown needs them (stat is always read; status and cmdline once per process).
 * Columns declare them (model/columns.ts `needs`); the front end tells the
 * sampler which to read, so neither the reader nor the sampler knows columns.
 */

/** An optional per-process file: `statm` for SHR (one more file per process per scan); `cgroup` for the cgroup columns (re-read on a slow cadence per process, plus each cgroup's files per scan). */
export type ProcessFile = 'statm' | 'cgroup';

/** Every optional file, for docs and tests. */
export const PROCESS_FILES: readonly ProcessFile[] = ['statm', 'cgroup'];
