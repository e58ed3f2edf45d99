/**
 * Live, as root on a v1 (or hybrid) host: `proctop --once --json` started inside a cpu cgroup
 * with a 0.5-CPU quota and a memory cgroup with a 768 MiB limit must say so in `ownCgroup`
 * (the container meter's facts), with the kernel's numbers. Skips with a reason where cgroups
 * cannot be made; everything made is removed afterwards, by pid.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CgroupSandbox, cgroupSkipReason, readNumber } from '../helpers/cgroup-sandbox';
import { REPO_ROOT } from '../unit/procfs/fixtures';

const BIN = path.join(REPO_ROOT, 'bin', 'proctop');
const MiB = 2 ** 20;

interface Own { path: string; cpuLimit: number | null; cpuLimitPath: string | null; memoryLimit: number | null; memoryLimitPath: string | null }
interface Doc { ownCgroup: Own | null; pressure: unknown; processes: { pid: number; cgroup: string | null }[] }

const skip = cgroupSkipReason(['cpu', 'memory']);

test('proctop run inside a limited v1 cgroup reports its own limits as the kernel has them', { skip, timeout: 120_000 }, async (t) => {
  const box = new CgroupSandbox();
  t.after(() => box.cleanup());
  const cpu = box.make('cpu', 'own');
  const mem = box.make('memory', 'own');
  fs.writeFileSync(path.join(cpu, 'cpu.cfs_period_us'), '100000');
  fs.writeFileSync(path.join(cpu, 'cpu.cfs_quota_us'), '50000');
  fs.writeFileSync(path.join(mem, 'memory.limit_in_bytes'), String(768 * MiB));
  const env = { ...process.env };
  delete env.PROCTOP_PROC_ROOT;
  const child = box.spawnIn([cpu, mem], `exec '${BIN}' --once --json -d 5 -p $$`);
  let out = '';
  child.stdout?.setEncoding('utf8').on('data', (d: string) => (out += d));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  assert.equal(code, 0, out.slice(0, 400));
  const doc = JSON.parse(out) as Doc;
  const kernel = {
    cfs_quota_us: readNumber(cpu, 'cpu.cfs_quota_us'), cfs_period_us: readNumber(cpu, 'cpu.cfs_period_us'),
    limit_in_bytes: readNumber(mem, 'memory.limit_in_bytes'),
  };
  t.diagnostic(`proctop ownCgroup: ${JSON.stringify(doc.ownCgroup)}`);
  t.diagnostic(`kernel: ${JSON.stringify(kernel)}`);
  const cpuPath = `/${path.basename(cpu)}`;
  const memPath = `/${path.basename(mem)}`;
  // v1 names a process's cgroup by its cpu path first (as for every process).
  assert.deepEqual(doc.ownCgroup, {
    path: cpuPath,
    cpuLimit: kernel.cfs_quota_us / kernel.cfs_period_us, cpuLimitPath: cpuPath,
    memoryLimit: kernel.limit_in_bytes, memoryLimitPath: memPath,
  });
  assert.equal(doc.processes.find((p) => p.pid === child.pid)?.cgroup, cpuPath, 'its own row is in the same cgroup');
});

interface MemDoc { system: { memory: { total: number } }; ownCgroup: Own | null; processes: { pid: number; rss: number | null; mem: number | null }[] }

/** `proctop --once --json -p $$ ARGS` run inside `dirs`: its own row and the document. */
async function ownRow(box: CgroupSandbox, dirs: readonly string[], args: string): Promise<{ doc: MemDoc; row: MemDoc['processes'][number] }> {
  const child = box.spawnIn(dirs, `exec '${BIN}' --once --json -d 2 ${args} -p $$`);
  let out = '';
  child.stdout?.setEncoding('utf8').on('data', (d: string) => (out += d));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  assert.equal(code, 0, out.slice(0, 400));
  const doc = JSON.parse(out) as MemDoc;
  const row = doc.processes.find((p) => p.pid === child.pid);
  assert.ok(row && row.rss !== null && row.mem !== null, `its own row with rss and mem: ${out.slice(0, 400)}`);
  return { doc, row };
}

test('--mem-percent-of cgroup: MEM% is a share of the memory cgroup limit; host (the default) of MemTotal', { skip, timeout: 120_000 }, async (t) => {
  const box = new CgroupSandbox();
  t.after(() => box.cleanup());
  const mem = box.make('memory', 'memof');
  fs.writeFileSync(path.join(mem, 'memory.limit_in_bytes'), String(512 * MiB));
  const limit = readNumber(mem, 'memory.limit_in_bytes');
  const byCgroup = await ownRow(box, [mem], '--mem-percent-of cgroup');
  const byHost = await ownRow(box, [mem], '');
  t.diagnostic(`cgroup: rss ${byCgroup.row.rss} mem ${byCgroup.row.mem}% of ${limit}; host: rss ${byHost.row.rss} mem ${byHost.row.mem}% of ${byHost.doc.system.memory.total}`);
  assert.equal(byCgroup.doc.ownCgroup?.memoryLimit, limit);
  // JSON rounds MEM% to 2 decimals.
  const share = (rss: number, base: number): number => Math.round((rss * 100 * 100) / base) / 100;
  assert.equal(byCgroup.row.mem, share(byCgroup.row.rss as number, limit));
  assert.equal(byHost.row.mem, share(byHost.row.rss as number, byHost.doc.system.memory.total));
  assert.ok((byCgroup.row.mem as number) > (byHost.row.mem as number) * 10, 'a 512 MiB limit on a host with GBs: the cgroup share is far larger');
});
