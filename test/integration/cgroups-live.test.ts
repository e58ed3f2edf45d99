/**
 * Live, as root on a v1 (or hybrid) host: a busy loop in a cpu + cpuacct
 * cgroup with a 0.2-CPU quota and a memory hog in a memory cgroup whose limit
 * sits just above its usage. `proctop --once --json` must report the
 * throttling and usage-vs-limit the kernel's files show, flag both
 * processes, and `--filter throttled` must find the busy loop. Skips with a
 * reason where cgroups cannot be made. Every cgroup is removed afterwards.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { execFile } from 'node:child_process';
import { CgroupSandbox, cgroupSkipReason, readKeyed, readNumber } from '../helpers/cgroup-sandbox';
import { waitFor } from '../helpers/wait';
import { REPO_ROOT } from '../unit/procfs/fixtures';

const BIN = path.join(REPO_ROOT, 'bin', 'proctop');

function proctop(args: readonly string[]): Promise<string> {
  const env = { ...process.env };
  delete env.PROCTOP_PROC_ROOT;
  return new Promise((resolve, reject) => {
    execFile(BIN, [...args], { env, timeout: 60_000, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`proctop ${args.join(' ')}: ${err.message} ${stderr}`));
      else resolve(stdout);
    });
  });
}

interface JsonCgroup { path: string; cpu: number | null; cpuLimit: number | string | null; throttledPercent: number | null; throttledMs: number | null; periods: number | null; throttledPeriods: number | null; memory: number | null; memoryLimit: number | string | null; oomKills: number | null; flags: string[]; processes: number }
interface JsonProc { pid: number; cgroup: string | null; cgroupFlags: string[] }
interface Doc { cgroups: JsonCgroup[]; processes: JsonProc[] }

const skip = cgroupSkipReason(['cpu', 'cpuacct', 'memory']);

test('a throttled busy loop and a memory hog near its limit show in --once --json as the kernel reports them', { skip, timeout: 90_000 }, async (t) => {
  const box = new CgroupSandbox();
  t.after(() => box.cleanup());
  const cpu = box.make('cpu', 'cpu');
  const acct = box.make('cpuacct', 'cpu');
  fs.writeFileSync(path.join(cpu, 'cpu.cfs_period_us'), '100000');
  fs.writeFileSync(path.join(cpu, 'cpu.cfs_quota_us'), '20000');
  const mem = box.make('memory', 'mem');
  const busy = box.spawnIn([cpu, acct], 'while :; do :; done');
  const hog = box.spawnIn([mem], `exec '${process.execPath}' -e "const b = Buffer.alloc(48 << 20, 1); console.log('ready', b.length); setInterval(() => b[0]++, 1e6)"`);
  await new Promise<void>((resolve, reject) => {
    hog.stdout?.once('data', () => resolve());
    hog.once('exit', (code) => reject(new Error(`memory hog exited (${String(code)})`)));
  });
  // The limit goes just above what the hog uses, so usage is within 10 % of it without an OOM kill.
  const usage = readNumber(mem, 'memory.usage_in_bytes');
  const limit = Math.ceil((usage * 1.04) / 4096) * 4096;
  fs.writeFileSync(path.join(mem, 'memory.limit_in_bytes'), String(limit));
  // Throttling needs the loop to have run a few periods inside its cgroup.
  await waitFor(() => readKeyed(cpu, 'cpu.stat').get('nr_throttled')! >= 3, 10_000, 'the busy loop to be throttled');

  const doc = JSON.parse(await proctop(['--once', '--json', '-d', '10', '-p', `${String(busy.pid)},${String(hog.pid)}`])) as Doc;
  const cpuPath = `/${path.basename(cpu)}`;
  const memPath = `/${path.basename(mem)}`;
  const byPid = new Map(doc.processes.map((p) => [p.pid, p]));
  const cg = doc.cgroups.find((c) => c.path === cpuPath);
  const mg = doc.cgroups.find((c) => c.path === memPath);
  assert.ok(cg && mg, `cgroups ${cpuPath} and ${memPath} in ${doc.cgroups.map((c) => c.path).join(', ')}`);

  // Kernel files read right after proctop's second scan, for the side-by-side.
  const stat = readKeyed(cpu, 'cpu.stat');
  const kernel = {
    nr_periods: stat.get('nr_periods'), nr_throttled: stat.get('nr_throttled'), throttled_time_ns: stat.get('throttled_time'),
    cfs_quota_us: readNumber(cpu, 'cpu.cfs_quota_us'), cfs_period_us: readNumber(cpu, 'cpu.cfs_period_us'),
    cpuacct_usage_ns: readNumber(acct, 'cpuacct.usage'),
    usage_in_bytes: readNumber(mem, 'memory.usage_in_bytes'), limit_in_bytes: readNumber(mem, 'memory.limit_in_bytes'),
    oom_kill: readKeyed(mem, 'memory.oom_control').get('oom_kill'),
  };
  t.diagnostic(`proctop cpu cgroup: ${JSON.stringify(cg)}`);
  t.diagnostic(`proctop memory cgroup: ${JSON.stringify(mg)}`);
  t.diagnostic(`kernel: ${JSON.stringify(kernel)}`);

  assert.equal(byPid.get(busy.pid!)?.cgroup, cpuPath);
  assert.equal(byPid.get(hog.pid!)?.cgroup, memPath);
  // CPU: 0.2 CPUs; the loop gets about that (a loaded 2-core host may give it less, never much more).
  assert.equal(cg.cpuLimit, 0.2);
  assert.ok(cg.cpu !== null && cg.cpu > 2 && cg.cpu < 30, `cpu ${String(cg.cpu)} % near the 20 % quota`);
  // How many periods end throttled depends on how much CPU the loaded host gives the loop; some must.
  assert.ok(cg.throttledPercent !== null && cg.throttledPercent > 0 && cg.throttledPercent <= 100, `throttled ${String(cg.throttledPercent)} % of periods`);
  // v1 adds to throttled_time only when a throttled run queue is released: it may not move within one second.
  assert.ok(cg.throttledMs !== null && cg.throttledMs >= 0 && cg.throttledMs * 1e6 <= kernel.throttled_time_ns!, 'throttled time in the interval, never more than the kernel total');
  assert.ok(cg.periods !== null && cg.periods <= kernel.nr_periods! && cg.throttledPeriods! <= kernel.nr_throttled!, 'counters never ahead of the kernel');
  assert.ok(cg.flags.includes('throttled'));
  assert.ok(byPid.get(busy.pid!)?.cgroupFlags.includes('throttled'));
  // Memory: the limit exactly; usage within 5 % of the kernel's (it moves a little between reads).
  assert.equal(mg.memoryLimit, kernel.limit_in_bytes);
  assert.ok(mg.memory !== null && Math.abs(mg.memory - kernel.usage_in_bytes) <= kernel.usage_in_bytes * 0.05, `memory ${String(mg.memory)} vs ${kernel.usage_in_bytes}`);
  assert.equal(mg.oomKills, kernel.oom_kill ?? null);
  assert.ok(mg.flags.includes('memlimit'), `flags ${mg.flags.join(' ')}`);
  assert.ok(byPid.get(hog.pid!)?.cgroupFlags.includes('memlimit'));
  assert.equal(mg.cpu, null, 'the memory cgroup has no cpu cgroup of its own path: no CPU figures borrowed from the root');

  // The query word finds the throttled process without the cgroup columns shown.
  const listed = await proctop(['--once', '-d', '10', '--filter', 'throttled', '--columns', 'pid,command']);
  const pids = listed.split('\n').slice(1).map((l) => Number(l.trim().split(/\s+/)[0]));
  assert.ok(pids.includes(busy.pid!), `throttled lists the busy loop: ${listed}`);
  assert.ok(!pids.includes(hog.pid!), 'the memory hog is not throttled');
});
