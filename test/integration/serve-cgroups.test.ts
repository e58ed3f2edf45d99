/**
 * Live, as root on a v1 (or hybrid) host: a busy loop in a cpu + cpuacct
 * cgroup with a 0.2-CPU quota, and the real `proctop serve` scraped over
 * HTTP. proctop_cgroup_cpu_throttled_periods_total of that cgroup must rise
 * from scrape to scrape, never ahead of the kernel's cpu.stat. The loop is
 * killed by pid and the cgroups removed afterwards (CgroupSandbox).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CgroupSandbox, cgroupSkipReason, readKeyed } from '../helpers/cgroup-sandbox';
import { startDaemon, waitForOutput } from '../helpers/daemon';
import { REPO_ROOT } from '../unit/procfs/fixtures';

const BIN = path.join(REPO_ROOT, 'bin', 'proctop');
const skip = cgroupSkipReason(['cpu', 'cpuacct']);

async function scrape(port: number): Promise<string> {
  const res = await fetch(`http://127.0.0.1:${port}/metrics`);
  assert.equal(res.status, 200);
  return res.text();
}

function sample(body: string, name: string, cgroup: string): number | undefined {
  const line = body.split('\n').find((l) => l.startsWith(`${name}{cgroup="${cgroup}"} `));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

test('a throttled busy loop\'s cgroup: throttled periods rise through /metrics, never ahead of cpu.stat', { skip, timeout: 120_000 }, async (t) => {
  const box = new CgroupSandbox();
  t.after(() => box.cleanup());
  const cpu = box.make('cpu', 'serve');
  const acct = box.make('cpuacct', 'serve');
  fs.writeFileSync(path.join(cpu, 'cpu.cfs_period_us'), '100000');
  fs.writeFileSync(path.join(cpu, 'cpu.cfs_quota_us'), '20000');
  box.spawnIn([cpu, acct], 'while :; do :; done');

  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'proctop-serve-cgroups-'));
  t.after(() => fs.rmSync(home, { recursive: true, force: true }));
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: home, XDG_CONFIG_HOME: home };
  delete env.PROCTOP_PROC_ROOT;
  const serve = startDaemon(BIN, ['serve', '--listen', '127.0.0.1:0', '--min-interval', '0'], env);
  t.after(() => serve.stop());
  const port = Number((await waitForOutput(serve, /127\.0\.0\.1:(\d+)\/metrics/, 60_000))[1]);

  const cgroup = `/${path.basename(cpu)}`;
  const name = 'proctop_cgroup_cpu_throttled_periods_total';
  const seen: number[] = [];
  const deadline = Date.now() + 60_000;
  // Scrape until two readings show the count rising (the loop is throttled in most 100 ms periods).
  while (Date.now() < deadline) {
    const body = await scrape(port);
    const kernel = readKeyed(cpu, 'cpu.stat').get('nr_throttled') ?? NaN;
    const value = sample(body, name, cgroup);
    if (value !== undefined) {
      assert.ok(value <= kernel, `${name} ${value} ahead of the kernel's nr_throttled ${kernel}`);
      seen.push(value);
      if (seen.length >= 2 && (seen.at(-1) ?? 0) > (seen[0] ?? 0)) {
        assert.ok((sample(body, 'proctop_cgroup_cpu_throttled_seconds_total', cgroup) ?? 0) > 0, 'throttled seconds above 0');
        assert.ok((sample(body, 'proctop_cgroup_cpu_periods_total', cgroup) ?? 0) >= value, 'periods at least the throttled ones');
        break;
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  t.diagnostic(`${name}{cgroup="${cgroup}"} over scrapes: ${seen.join(' ')}`);
  assert.ok(seen.length >= 2 && (seen.at(-1) ?? 0) > (seen[0] ?? 0), `throttled periods did not rise: ${seen.join(' ')}; output ${serve.output().slice(-500)}`);
  for (let i = 1; i < seen.length; i++) assert.ok((seen[i] ?? 0) >= (seen[i - 1] ?? 0), 'a counter never goes down');
});
