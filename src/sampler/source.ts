import * as fs from 'node:fs';
import { ProcessIdentity, Snapshot } from '../model/snapshot';
import { ProcReader } from '../procfs/reader';
import type { PortableSampler } from './portable';
import { Sampler } from './sampler';


/** What the actions need to check a process is still the one the user chose. */
export interface ProcessProbe {
  /** Current start time of a pid (the identity check before a signal); undefined when gone. */
  readonly startTicks: (pid: number) => number | undefined;
  /** State, parent and wait channel, for "what became of it" after a signal. */
  readonly inspect: (pid: number) => { startTicks: number; state: string; ppid: number; wchan: string | undefined } | undefined;
  readonly childrenOf: (pid: number) => ProcessIdentity[];
  readonly groupOf: (pid: number) => number | undefined;
}

/** A sampler of either kind, as the TUI and --once use it. */
export interface SnapshotSource {
  readonly name: 'linux' | 'portable';
  sample(): Promise<Snapshot>;
  setThreads(on: boolean): void;
  /** Whether SHR is needed (it costs the /proc sampler one more read per process). */
  setShared(on: boolean): void;
  readonly probe: ProcessProbe;
  /** The /proc reader, for the details panel; undefined for the portable sampler. */
  readonly reader: ProcReader | undefined;
  close(): void;
}

function linuxSource(root: string, passwdPath: string, threads: boolean): SnapshotSource {
  const sampler = new Sampler({ root, passwdPath, threads, now: Date.now });
  const reader = sampler.reader;
  return {
    name: 'linux',
    // In slices, with the event loop run between them: keys stay responsive during a long scan.
    sample: () => sampler.sampleInSlices(() => new Promise((resolve) => setImmediate(resolve))),
    setThreads: (on) => sampler.setThreads(on),
    setShared: (on) => sampler.setShared(on),
    reader,
    close: () => undefined,
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
function portableSource(Portable: typeof PortableSampler): SnapshotSource {
  const sampler = new Portable({ now: Date.now });
  let last: Snapshot | undefined;
  const find = (pid: number) => last?.processes.find((p) => p.pid === pid && !p.thread);
  return {
    name: 'portable',
    sample: async () => (last = await sampler.sample()),
    setThreads: () => undefined,
    setShared: () => undefined,
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
export function openSource(name: string, root: string, passwdPath: string, threads: boolean): SnapshotSource {
  const hasProc = (() => {
    try {
      fs.accessSync(`${root}/self/stat`, fs.constants.R_OK);
      return true;
    } catch {
      return false;
    }
  })();
  const useLinux = name === 'linux' || (name === 'auto' && (hasProc || root !== '/proc'));
  if (useLinux) return linuxSource(root, passwdPath, threads);
  // systeminformation and pidusage load only when the portable sampler is used.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { PortableSampler: Portable } = require('./portable') as { PortableSampler: typeof PortableSampler };
  return portableSource(Portable);
}
