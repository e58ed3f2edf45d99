/** Host memory as /proc/meminfo reports it: parsed in procfs/, shown by the model and view. */

/** Host memory from /proc/meminfo, in bytes. */
export interface MemoryInfo {
  readonly total: number;
  readonly free: number;
  /** total − available when MemAvailable exists (as free(1) does), else total − free − buffers − cache. */
  readonly used: number;
  readonly buffers: number;
  /** Cached + SReclaimable − Shmem, as htop counts page cache. */
  readonly cache: number;
  readonly available: number;
  readonly swapTotal: number;
  readonly swapUsed: number;
}
