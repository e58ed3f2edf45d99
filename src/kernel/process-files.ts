/**
 * The per-process files under /proc/PID that a scan reads only when something
 * shown needs them (stat is always read; status and cmdline once per process).
 * Columns declare them (model/columns.ts `needs`); the front end tells the
 * sampler which to read, so neither the reader nor the sampler knows columns.
 */

/**
 * An optional per-process file, each one more open/read/close per process per scan while needed:
 * `statm` for SHR; `cgroup` for the cgroup columns (re-read on a slow cadence per process, plus
 * each cgroup's files per scan); `status` for SWAP (VmSwap: the ~1.4 KB file the kernel formats
 * in full); `oom_score` and `oom_score_adj` for the OOM columns; `io` for the disk I/O rates
 * (readable only with ptrace read access: another user's process needs root).
 */
export type ProcessFile = 'statm' | 'cgroup' | 'status' | 'oom_score' | 'oom_score_adj' | 'io';

/** Every optional file, for docs and tests. */
export const PROCESS_FILES: readonly ProcessFile[] = ['statm', 'cgroup', 'status', 'oom_score', 'oom_score_adj', 'io'];
