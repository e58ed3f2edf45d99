/**
 * Hand-made processes and snapshots for unit tests of the pure layers
 * (model, view, actions). Nothing here touches /proc.
 */
import { DEFAULT_COLUMNS } from '../../src/model/columns';
import type { CpuUsage, ProcessInfo, Snapshot, SystemInfo } from '../../src/model/snapshot';
import { countStates } from '../../src/model/tree';
import { ALL_METERS } from '../../src/view/header';
import { initialState, type UiState } from '../../src/view/ui-state';

/** A process partial: `pid` is required, everything else has a plain default. */
export type ProcessSpec = Partial<ProcessInfo> & { readonly pid: number };

/** Start ticks a process gets by default: 1000 + pid, so identities are predictable (`5:1005`). */
export const defaultStartTicks = (pid: number): number => 1000 + pid;

/**
 * A process with every field filled: a sleeping user process of root, parent 0
 * (a root of the tree), named `p<pid>`, command `/bin/p<pid>`, in its state
 * since 1_700_000_000_000. `spec` replaces any field.
 */
export function makeProcess(spec: ProcessSpec): ProcessInfo {
  const { pid } = spec;
  return {
    startTicks: defaultStartTicks(pid),
    ppid: 0,
    tgid: pid,
    pgid: pid,
    sid: pid,
    tty: undefined,
    state: 'S',
    name: `p${pid}`,
    command: `/bin/p${pid}`,
    nameBytes: undefined,
    commandBytes: undefined,
    kernel: false,
    thread: false,
    uid: 0,
    user: 'root',
    priority: 20,
    nice: 0,
    threads: 1,
    startTime: 1_700_000_000_000 + pid * 1000,
    cpuTicks: 0,
    cpuTime: 0,
    rss: 4096,
    vsz: 8192,
    shared: 0,
    cpu: 0,
    mem: 0,
    wchan: undefined,
    stateSince: 1_700_000_000_000,
    stateSinceLowerBound: false,
    exeDeleted: false,
    orphan: false,
    cgroup: undefined,
    container: undefined,
    unit: undefined,
    cgroupFlags: '',
    swap: undefined,
    oomScore: undefined,
    oomScoreAdj: undefined,
    ioReadRate: undefined,
    ioWriteRate: undefined,
    ioDenied: undefined,
    ...spec,
  };
}

const idleCpu: CpuUsage = { user: 10, system: 5, iowait: 1, steal: 0, other: 1, busy: 16 };

/** A plausible 4-CPU host. */
export function makeSystem(over: Partial<SystemInfo> = {}): SystemInfo {
  return {
    cpu: idleCpu,
    cpus: [idleCpu, idleCpu, idleCpu, idleCpu],
    memory: {
      total: 16 * 2 ** 30, free: 4 * 2 ** 30, used: 8 * 2 ** 30, buffers: 2 ** 28, cache: 2 ** 30,
      available: 8 * 2 ** 30, swapTotal: 2 ** 31, swapUsed: 2 ** 20,
    },
    load: [0.5, 0.25, 0.1],
    uptime: 3600 * 26 + 61,
    bootTime: 1_700_000_000_000 - 3_600_000,
    forks: 123_456,
    ...over,
  };
}

/** A snapshot holding exactly these processes (in this order), with counts derived from them. */
export function makeSnapshot(specs: readonly ProcessSpec[], over: Partial<Omit<Snapshot, 'processes'>> = {}): Snapshot {
  const processes = specs.map(makeProcess);
  const procs = processes.filter((p) => !p.thread);
  return {
    time: 1_700_000_100_000,
    interval: 1000,
    system: makeSystem(),
    processes,
    processCount: procs.length,
    threadCount: procs.reduce((sum, p) => sum + (p.kernel ? 0 : p.threads), 0),
    states: countStates(processes),
    cgroups: [],
    pressure: undefined,
    ownCgroup: undefined,
    ...over,
  };
}

/** `count` plain processes with pids 1..count, children of pid 1 except pid 1 itself. */
export function manyProcesses(count: number): ProcessSpec[] {
  return Array.from({ length: count }, (_, i) => ({ pid: i + 1, ppid: i === 0 ? 0 : 1, cpu: (i * 7) % 101 }));
}

/**
 * A UI state for view tests: list view sorted by pid ascending, threads and
 * kernel threads shown, every header meter, no highlight, not read-only,
 * nothing selected. `over` replaces any field.
 */
export function makeUiState(over: Partial<UiState> = {}): UiState {
  const base = initialState({
    tree: false, highlight: false, readonly: false, showThreads: true, sortKey: 'pid', descending: false,
    columns: DEFAULT_COLUMNS, delay: 10, theme: 'default', meters: [...ALL_METERS],
  });
  return { ...base, ...over };
}
