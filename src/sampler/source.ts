import type { ProcessFile } from '../kernel/process-files';
import { Snapshot } from '../model/snapshot';
import { ProcessProbe, SnapshotSource } from '../model/snapshot-source';
import { procfsReadable, ProcReader } from '../procfs/reader';
import type { PortableSampler } from './portable';
import { Sampler } from './sampler';
import type { HostReadsWanted } from './host-reads';
import type { MemBase } from '../model/settings';

/**
 * A source of live frames (the /proc sampler or the portable one), with what acting on the live
 * system needs beside the frames: the probe for identity checks and the /proc reader.
 */
export interface LiveSource extends SnapshotSource {
  readonly name: 'linux' | 'portable';
  readonly live: true;
  /** A live scan always yields a frame. */
  sample(): Promise<Snapshot>;
  /**
   * The first scan, with the slow per-process reads done first for the pids `show` picks from a
   * partial frame and for the rest when `rest` is called (see Sampler.sampleFirstInSlices). The
   * portable sampler reads everything at once.
   */
  sampleFirst(show: (partial: Snapshot) => Iterable<number>): Promise<{ readonly first: Snapshot; readonly rest: () => Snapshot }>;
  /**
   * The first frame from the processes `choose` picks from the pid list alone, a partial one
   * (Snapshot.partial), and `rest`, the whole first scan, for right after the first paint (see
   * Sampler.sampleScreen). Undefined where there is no cheap pid list (the portable sampler).
   */
  readonly screenFirst: ((choose: (pids: readonly number[]) => readonly number[]) => { readonly first: Snapshot; readonly rest: () => Snapshot }) | undefined;
  /** Whether cgroups are needed (the cgroup columns, --json): each process's cgroup on a slow cadence, each cgroup's files per scan. */
  setCgroups(on: boolean): void;
  /** Optional per-process files to read each scan (SWAP, OOM, I/O columns); the portable sampler has none and ignores it. */
  setProcessFiles(files: Iterable<ProcessFile>): void;
  /** Host PSI (pressure meters) and proctop's own cgroup limits (container meter); ignored by the portable sampler. */
  setHostReads(wanted: HostReadsWanted): void;
  /** MEM% against the host or proctop's own cgroup limit; ignored by the portable sampler. */
  setMemBase(base: MemBase): void;
  readonly probe: ProcessProbe;
  /** The /proc reader, for the details panel; undefined for the portable sampler. */
  readonly reader: ProcReader | undefined;
}

/** In slices, with the event loop run between them: keys stay responsive during a long scan. */
const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

function linuxSource(root: string, passwdPath: string, threads: boolean): LiveSource {
  const sampler = new Sampler({ root, passwdPath, threads, now: Date.now });
  const reader = sampler.reader;
  return {
    name: 'linux',
    live: true,
    sample: () => sampler.sampleInSlices(nextTurn),
    sampleFirst: (show) => sampler.sampleFirstInSlices(nextTurn, show),
    screenFirst: (choose) => ({ first: sampler.sampleScreen(choose), rest: () => sampler.sample() }),
    setThreads: (on) => sampler.setThreads(on),
    setCgroups: (on) => sampler.setCgroups(on),
    setProcessFiles: (files) => sampler.setProcessFiles(files),
    setHostReads: (wanted) => sampler.setHostReads(wanted),
    setMemBase: (base) => sampler.setMemBase(base),
    reader,
    close: () => sampler.close(),
    probe: {
      startTicks: (pid) => reader.readStat(pid)?.startTicks,
      inspect: (pid) => {
        const s = reader.readStat(pid);
        return s && { startTicks: s.startTicks, state: s.state, ppid: s.ppid, wchan: s.state === 'D' ? reader.readWchan(pid) : undefined };
      },
      // Only used while freezing a subtree: the kernel's children list when it has one, else a full scan.
      childrenOf: (pid) => (reader.readChildren(pid) ?? reader.listPids()).flatMap((p) => {
        const s = reader.readStat(p);
        return s && s.ppid === pid ? [{ pid: s.pid, startTicks: s.startTicks }] : [];
      }),
      groupOf: (pid) => reader.readStat(pid)?.pgrp,
    },
  };
}

/**
 * The portable sampler has no cheap per-pid read, so identity checks use its
 * latest snapshot: a process it no longer lists counts as gone. That is
 * weaker than re-reading /proc right before a signal, and only used where
 * /proc is absent (or when forced).
 */
function portableSource(Portable: typeof PortableSampler): LiveSource {
  const sampler = new Portable({ now: Date.now });
  let last: Snapshot | undefined;
  const find = (pid: number) => last?.processes.find((p) => p.pid === pid && !p.thread);
  return {
    name: 'portable',
    live: true,
    sample: async () => (last = await sampler.sample()),
    sampleFirst: async () => {
      const first = (last = await sampler.sample());
      return { first, rest: () => first };
    },
    screenFirst: undefined,
    setThreads: () => undefined,
    setCgroups: () => undefined,
    setProcessFiles: () => undefined,
    setHostReads: () => undefined,
    setMemBase: () => undefined,
    reader: undefined,
    close: () => sampler.close(),
    probe: {
      startTicks: (pid) => find(pid)?.startTicks,
      inspect: (pid) => {
        const p = find(pid);
        return p && { startTicks: p.startTicks, state: p.state, ppid: p.ppid, wchan: undefined };
      },
      childrenOf: (pid) => (last?.processes ?? []).filter((p) => p.ppid === pid).map((p) => ({ pid: p.pid, startTicks: p.startTicks })),
      groupOf: (pid) => find(pid)?.pgid,
    },
  };
}

/** `auto` picks the /proc sampler when `<root>/self/stat` is readable. */
export function openSource(name: string, root: string, passwdPath: string, threads: boolean): LiveSource {
  const hasProc = procfsReadable(root);
  const useLinux = name === 'linux' || (name === 'auto' && (hasProc || root !== '/proc'));
  if (useLinux) return linuxSource(root, passwdPath, threads);
  // systeminformation and pidusage load only when the portable sampler is used.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { PortableSampler: Portable } = require('./portable') as { PortableSampler: typeof PortableSampler };
  return portableSource(Portable);
}
