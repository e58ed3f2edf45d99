/**
 * The sampler's cost with cgroups read (the CGROUP/CONTAINER/UNIT columns,
 * --json) against without, at N idle processes spread over C cgroups
 * (default 2,000 over 50). Root only: makes C cgroups under the v1 cpu,
 * cpuacct, memory and pids hierarchies (or the v2 unified mount on a pure
 * v2 host), one detached shell per cgroup that joins it and forks its share
 * of `sleep`s (one process group each, killed by group), then alternates
 * scans of two samplers (cgroups off / on) so drift hits both alike.
 *
 *   node dist/bench/cgroups.js [--procs N] [--cgroups C] [--scans S] [--json]
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Sampler } from '../src/sampler/sampler';
import { onCleanup, cleanupAll } from '../test/helpers/cleanup';
import { fmt, msSince, sleep, stats } from './stats';

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(name);
  const n = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${name} needs a positive integer`);
  return n;
};

function hierarchies(): string[] {
  const v1 = ['cpu', 'cpuacct', 'memory', 'pids'].map((c) => `/sys/fs/cgroup/${c}`).filter((d) => fs.existsSync(path.join(d, 'cgroup.procs')));
  if (v1.length > 0) return v1;
  return fs.existsSync('/sys/fs/cgroup/cgroup.controllers') ? ['/sys/fs/cgroup'] : [];
}

async function populate(procs: number, groups: number): Promise<{ dirs: string[]; leaders: number[] }> {
  const dirs: string[] = [];
  const leaders: number[] = [];
  onCleanup('cgroups', () => {
    for (const pgid of leaders) {
      try {
        process.kill(-pgid, 'SIGKILL');
      } catch {
        // group already gone
      }
    }
    const deadline = Date.now() + 10_000;
    for (const dir of [...dirs].reverse()) {
      while (Date.now() < deadline) {
        try {
          fs.rmdirSync(dir);
          break;
        } catch {
          // members still exiting: busy-wait briefly (exit handlers cannot await)
          const until = Date.now() + 20;
          while (Date.now() < until);
        }
      }
    }
  });
  for (let g = 0; g < groups; g++) {
    const name = `proctop-bench-${process.pid}-${g}`;
    const mine = hierarchies().map((h) => path.join(h, name));
    for (const d of mine) {
      fs.mkdirSync(d);
      dirs.push(d);
    }
    const share = Math.floor(procs / groups) + (g < procs % groups ? 1 : 0);
    const join = mine.map((d) => `echo $$ > '${d}/cgroup.procs'`).join('; ');
    const child = spawn('sh', ['-c', `${join}; i=0; while [ $i -lt ${share} ]; do sleep 100000 & i=$((i+1)); done; wait`], { detached: true, stdio: 'ignore' });
    if (child.pid === undefined) throw new Error('spawn failed');
    leaders.push(child.pid);
    child.unref();
  }
  // Ready when every cgroup holds its share (+ the shell).
  const deadline = Date.now() + 120_000;
  const first = hierarchies()[0] as string;
  for (;;) {
    const count = leaders.length === 0 ? 0 : fs.readdirSync(first).filter((n) => n.startsWith(`proctop-bench-${process.pid}-`))
      .reduce((sum, n) => sum + fs.readFileSync(path.join(first, n, 'cgroup.procs'), 'utf8').split('\n').filter((l) => l !== '').length, 0);
    if (count >= procs + groups) break;
    if (Date.now() > deadline) throw new Error(`only ${count} of ${procs + groups} processes started`);
    await sleep(100);
  }
  return { dirs, leaders };
}

async function main(): Promise<number> {
  const procs = arg('--procs', 2000);
  const groups = arg('--cgroups', 50);
  const scans = arg('--scans', 15);
  if (process.getuid?.() !== 0 || hierarchies().length === 0) {
    process.stderr.write('bench/cgroups: needs root and a cgroup hierarchy that accepts children\n');
    return 2;
  }
  await populate(procs, groups);
  const make = (): Sampler => new Sampler({ root: '/proc', passwdPath: '/etc/passwd', threads: false, now: Date.now });
  const off = make();
  const on = make();
  on.setCgroups(true);
  // Two warm-up scans each: caches filled, CPU% and cgroup rates have a previous scan.
  for (let i = 0; i < 2; i++) {
    off.sample();
    on.sample();
  }
  const offMs: number[] = [];
  const onMs: number[] = [];
  let last = on.sample();
  for (let i = 0; i < scans; i++) {
    let t = process.hrtime.bigint();
    off.sample();
    offMs.push(msSince(t));
    t = process.hrtime.bigint();
    last = on.sample();
    onMs.push(msSince(t));
  }
  const a = stats(offMs);
  const b = stats(onMs);
  const result = {
    processes: last.processCount, cgroups: last.cgroups.length, scans,
    offMedianMs: a.median, onMedianMs: b.median, ratio: b.median / a.median,
  };
  if (process.argv.includes('--json')) process.stdout.write(`${JSON.stringify(result)}\n`);
  else {
    process.stdout.write(`processes seen ${result.processes}, cgroups with members ${result.cgroups}, ${scans} scans each (alternating)\n`);
    process.stdout.write(`sampler scan, cgroups off: median ${fmt(a.median)} ms (min ${fmt(a.min)}, max ${fmt(a.max)})\n`);
    process.stdout.write(`sampler scan, cgroups on:  median ${fmt(b.median)} ms (min ${fmt(b.min)}, max ${fmt(b.max)})\n`);
    process.stdout.write(`ratio on/off: ${fmt(result.ratio, 2)}× (goal ≤ 1.2×)\n`);
  }
  return 0;
}

main().then(
  (code) => {
    cleanupAll();
    process.exitCode = code;
  },
  (err: unknown) => {
    cleanupAll();
    process.stderr.write(`bench/cgroups: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
