/**
 * Test cgroups on the live machine (root only): made with unique names
 * (the test's pid), processes started inside them, and everything removed
 * afterwards — members killed by pid, then each directory rmdir'd once empty.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ChildProcess, spawn } from 'node:child_process';
import { waitFor } from './wait';

export const CGROUP_FS = '/sys/fs/cgroup';

/** Why cgroups cannot be made here, or undefined when they can (root, and the hierarchy accepts a child). */
export function cgroupSkipReason(controllers: readonly string[]): string | undefined {
  if (process.getuid?.() !== 0) return 'needs root to make cgroups';
  for (const c of controllers) {
    const probe = path.join(CGROUP_FS, c, `proctop-probe-${process.pid}`);
    try {
      fs.mkdirSync(probe);
      fs.rmdirSync(probe);
    } catch (err) {
      return `cannot make a child cgroup under ${path.join(CGROUP_FS, c)}: ${(err as Error).message}`;
    }
  }
  return undefined;
}

/** Cgroups and processes made by one test, removed by {@link CgroupSandbox.cleanup}. */
export class CgroupSandbox {
  private readonly dirs: string[] = [];
  private readonly children: ChildProcess[] = [];

  /** Makes `<fs>/<controller>/<name>` (name made unique with the test pid) and returns its directory. */
  make(controller: string, name: string): string {
    const dir = path.join(CGROUP_FS, controller, `proctop-test-${process.pid}-${name}`);
    fs.mkdirSync(dir);
    this.dirs.push(dir);
    return dir;
  }

  /** Starts `sh -c script` after its shell wrote its own pid into every `cgroup.procs` of `dirs`, so everything it does is charged there. */
  spawnIn(dirs: readonly string[], script: string): ChildProcess {
    const join = dirs.map((d) => `echo $$ > '${d}/cgroup.procs'`).join(' && ');
    const child = spawn('sh', ['-c', `${join} && ${script}`], { stdio: ['ignore', 'pipe', 'inherit'] });
    this.children.push(child);
    return child;
  }

  /** Kills the children by pid, waits for every cgroup to empty, removes the cgroups (deepest first). */
  async cleanup(): Promise<void> {
    for (const child of this.children) {
      if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) {
        try {
          process.kill(child.pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
    }
    for (const dir of [...this.dirs].reverse()) {
      // A frozen v1 cgroup would hold its members: thaw it first.
      if (fs.existsSync(path.join(dir, 'freezer.state'))) fs.writeFileSync(path.join(dir, 'freezer.state'), 'THAWED');
      if (fs.existsSync(path.join(dir, 'cgroup.freeze'))) fs.writeFileSync(path.join(dir, 'cgroup.freeze'), '0');
      await waitFor(() => readProcs(dir).length === 0, 10_000, `${dir} to empty`);
      fs.rmdirSync(dir);
    }
  }
}

/** Pids in a cgroup (cgroup.procs); [] when it is gone. */
export function readProcs(dir: string): number[] {
  try {
    return fs.readFileSync(path.join(dir, 'cgroup.procs'), 'utf8').split('\n').filter((l) => l !== '').map(Number);
  } catch {
    return [];
  }
}

/** One number from a cgroup file (the first word). */
export function readNumber(dir: string, file: string): number {
  return Number(fs.readFileSync(path.join(dir, file), 'utf8').trim().split(/\s+/)[0]);
}

/** A flat keyed cgroup file (cpu.stat, memory.oom_control) as a map. */
export function readKeyed(dir: string, file: string): Map<string, number> {
  const map = new Map<string, number>();
  for (const line of fs.readFileSync(path.join(dir, file), 'utf8').split('\n')) {
    const [k, v] = line.split(' ');
    if (k && v) map.set(k, Number(v));
  }
  return map;
}
