/**
 * The cgroup view end to end, as root on a v1 (or hybrid) host: the real bin/proctop in tmux at
 * 80×24 under TERM=tmux-256color, on a cgroup the test makes in the cpu, cpuacct, memory and
 * freezer hierarchies (same path in each) with a 0.2-CPU quota holding a busy loop, and a memory
 * limit holding a small memory hog. `v` shows the cgroup's row throttled (THR% > 0) with its
 * memory against the limit; Enter filters the table to exactly its two processes; X f y from the
 * view freezes it (the kernel's freezer.state says FROZEN), X t y thaws it (THAWED). Every
 * process is killed by pid and every cgroup removed afterwards. Skips with a reason where
 * cgroups cannot be made.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CgroupSandbox, cgroupSkipReason, readKeyed, readNumber } from '../helpers/cgroup-sandbox';
import { TmuxSession } from '../helpers/tmux';
import { waitFor } from '../helpers/wait';
import { parseScreen, rowPid } from '../helpers/screen';
import { formatMemoryLimit } from '../../src/model/cgroup-columns';

const REPO = path.resolve(__dirname, '..', '..', '..');
const BIN = path.join(REPO, 'bin', 'proctop');
/** First frame and scans on a loaded 2-core machine (a scan of ~4,000 processes took 2.5 s there). */
const START_MS = 40_000;
const SCAN_MS = 60_000;
const REACT_MS = 20_000;

const skip = cgroupSkipReason(['cpu', 'cpuacct', 'memory', 'freezer']);

test('v shows a throttled cgroup near its memory limit; Enter lists its processes; X freezes and thaws it (80x24, tmux-256color)', { skip, timeout: 300_000 }, async (t) => {
  const box = new CgroupSandbox();
  const dirs = ['cpu', 'cpuacct', 'memory', 'freezer'].map((c) => box.make(c, 'tui'));
  const [cpu, , mem, freezer] = dirs as [string, string, string, string];
  const terms: TmuxSession[] = [];
  t.after(async () => {
    for (const term of terms) await term.kill();
    await box.cleanup();
    for (const d of dirs) assert.ok(!fs.existsSync(d), `${d} removed`);
  });
  fs.writeFileSync(path.join(cpu, 'cpu.cfs_period_us'), '100000');
  fs.writeFileSync(path.join(cpu, 'cpu.cfs_quota_us'), '20000');
  const busy = box.spawnIn(dirs, 'while :; do :; done');
  const hog = box.spawnIn(dirs, `exec '${process.execPath}' -e "const b = Buffer.alloc(16 << 20, 1); console.log('ready', b.length); setInterval(() => b[0]++, 1e6)"`);
  await new Promise<void>((resolve, reject) => {
    hog.stdout?.once('data', () => resolve());
    hog.once('exit', (code) => reject(new Error(`memory hog exited (${String(code)})`)));
  });
  const usage = readNumber(mem, 'memory.usage_in_bytes');
  const limit = Math.ceil((usage * 1.5) / 4096) * 4096;
  fs.writeFileSync(path.join(mem, 'memory.limit_in_bytes'), String(limit));
  await waitFor(() => (readKeyed(cpu, 'cpu.stat').get('nr_throttled') ?? 0) >= 3, 20_000, 'the busy loop to be throttled');
  const cgroup = `/${path.basename(cpu)}`;

  const session = TmuxSession.start([BIN, '-d', '10'], { width: 80, height: 24, cwd: REPO, env: { TERM: 'tmux-256color' } });
  terms.push(session);
  await session.waitForText(/F10\s*Quit/, START_MS);
  session.sendKeys('v');
  // Sorted by THR% (high first), the throttled cgroup is the root's first child, right below it.
  session.sendKeys('T');
  const row = await session.waitForScreen((s) => s.split('\n').find((l) => l.includes('[throttled] proctop-te') && /0\.2 CPUs\s+\d/.test(l)), SCAN_MS, 'the throttled cgroup row with its THR%');
  const cells = /0\.2 CPUs\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)/.exec(row);
  assert.ok(cells, row);
  const [, thr, thrTime, used, lim, ofLimit] = cells;
  const kernel = { cfs_quota_us: readNumber(cpu, 'cpu.cfs_quota_us'), nr_throttled: readKeyed(cpu, 'cpu.stat').get('nr_throttled'), usage_in_bytes: readNumber(mem, 'memory.usage_in_bytes'), limit_in_bytes: readNumber(mem, 'memory.limit_in_bytes') };
  t.diagnostic(`row: ${row.trim()}`);
  t.diagnostic(`kernel: ${JSON.stringify(kernel)}`);
  assert.ok(Number(thr) > 0 && Number(thr) <= 100, `THR% ${String(thr)} (throttled time ${String(thrTime)})`);
  assert.equal(lim, formatMemoryLimit(kernel.limit_in_bytes));
  assert.ok(Number(ofLimit) > 30 && Number(ofLimit) <= 100, `memory ${String(used)} is ${String(ofLimit)} % of the limit (usage set at 2/3 of it)`);

  // Enter on it: the table of exactly its processes, the filter said in the status line.
  session.sendKeys('Down', 'Enter');
  await session.waitForText(new RegExp(`Processes of cgroup ${cgroup} and below`), REACT_MS);
  const want = [busy.pid, hog.pid].sort((a, b) => (a ?? 0) - (b ?? 0)).join(',');
  await session.waitForScreen((s) => {
    const table = parseScreen(s);
    const pids = table?.rows.map((r) => rowPid(table.header, r)).sort((a, b) => (a ?? 0) - (b ?? 0)).join(',');
    return pids === want && pids;
  }, SCAN_MS, `the table filtered to ${want}`);

  // Back to the view (the selection is kept) and freeze it through the TUI: the kernel says FROZEN.
  session.sendKeys('v');
  await session.waitForText(/CGROUP.*THR%/, REACT_MS);
  session.sendKeys('X');
  await session.waitForText(new RegExp(`cgroup ${cgroup} \\(v1\\)`), REACT_MS);
  session.sendKeys('f');
  await session.waitForText(/Freeze this cgroup\?/, REACT_MS);
  session.sendKeys('y');
  await waitFor(() => fs.readFileSync(path.join(freezer, 'freezer.state'), 'utf8').trim() === 'FROZEN', REACT_MS, 'freezer.state FROZEN');
  await session.waitForText(/cgroup freeze: /, REACT_MS);
  session.sendKeys('X');
  await session.waitForText(new RegExp(`cgroup ${cgroup} \\(v1\\)`), REACT_MS);
  session.sendKeys('t');
  await session.waitForText(/Thaw this cgroup\?/, REACT_MS);
  session.sendKeys('y');
  await waitFor(() => fs.readFileSync(path.join(freezer, 'freezer.state'), 'utf8').trim() === 'THAWED', REACT_MS, 'freezer.state THAWED');
  // q leaves the view for the table, and quits from there.
  session.sendKeys('q');
  await session.waitForText(/PID\s+USER/, REACT_MS);
  session.sendKeys('q');
  assert.equal((await session.waitForExit(REACT_MS)).status, 0);
});
