/**
 * Time in a state on a fresh proctop (`--once`): for a zombie and a D-state process that entered
 * their state before proctop started, the age is the kernel's (/proc/PID/sched), not proctop's
 * first sight. The D process is a sleeper frozen in a cgroup v1 freezer (frozen tasks report D);
 * the cgroup's name holds the test's pid, and it is thawed and removed also on failure.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { execFile } from 'node:child_process';
import { Landscape, procState, waitFor } from '../helpers/landscape';
import { REPO_ROOT } from '../unit/procfs/fixtures';

const BIN = path.join(REPO_ROOT, 'bin', 'proctop');
const FREEZER = '/sys/fs/cgroup/freezer';
const land = new Landscape();
after(() => land.cleanup());

interface JsonRow { readonly pid: number; readonly state: string; readonly stateAge: number; readonly stateAgeLowerBound: boolean; readonly stuck: boolean }

/** `proctop --once --json …args`: the process rows. */
function onceJson(args: readonly string[]): Promise<JsonRow[]> {
  return new Promise((resolve, reject) => {
    execFile(BIN, ['--once', '--json', ...args], { cwd: REPO_ROOT, timeout: 60_000, maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
      if (err) return reject(new Error(`proctop ${args.join(' ')}: ${err.message}\n${stderr}`));
      const parsed = JSON.parse(stdout) as { processes?: JsonRow[] } | JsonRow[];
      resolve(Array.isArray(parsed) ? parsed : parsed.processes ?? []);
    });
  });
}

/** Milliseconds since `pid` last ran, on the scheduler clock, read here without src/. */
function msSinceRan(pid: number): number {
  const execStart = (file: string): number => Number(/^se\.exec_start\s*:\s*([\d.]+)/m.exec(fs.readFileSync(file, 'utf8'))?.[1]);
  const last = execStart(`/proc/${pid}/sched`);
  return execStart('/proc/self/sched') - last;
}

test('a zombie made 3 s before proctop starts shows a state age of at least 3 s (not its first sight)', async () => {
  const { zombies } = await land.zombieFactory(1);
  const zombie = zombies[0] as number;
  await waitFor(() => msSinceRan(zombie) >= 3000, 20_000, 'the zombie to be 3 s old');
  const rows = await onceJson(['-p', String(zombie)]);
  const row = rows.find((r) => r.pid === zombie);
  assert.ok(row, `PID ${zombie} listed: ${JSON.stringify(rows)}`);
  assert.equal(row.state, 'Z');
  assert.ok(row.stateAge >= 3, `stateAge ${row.stateAge}`);
  assert.equal(row.stateAgeLowerBound, false);
});

test('--once --filter stuck matches a process in D since before proctop started, longer than --stuck-after', async (t) => {
  if (process.getuid?.() !== 0 || !fs.existsSync(path.join(FREEZER, 'cgroup.procs'))) {
    return t.skip('needs root and the cgroup v1 freezer');
  }
  const group = path.join(FREEZER, `proctop-test-${process.pid}`);
  fs.mkdirSync(group);
  const pid = await land.sleeper();
  try {
    fs.writeFileSync(path.join(group, 'cgroup.procs'), String(pid));
    fs.writeFileSync(path.join(group, 'freezer.state'), 'FROZEN');
    await waitFor(() => procState(pid) === 'D' && msSinceRan(pid) >= 2500, 20_000, `PID ${pid} frozen (D) for 2.5 s`);
    const rows = await onceJson(['--stuck-after', '2', '--filter', 'stuck', '-p', String(pid)]);
    const row = rows.find((r) => r.pid === pid);
    assert.ok(row, `stuck matched PID ${pid}: ${JSON.stringify(rows)}`);
    assert.deepEqual([row.state, row.stuck, row.stateAgeLowerBound], ['D', true, false]);
    assert.ok(row.stateAge >= 2.5, `stateAge ${row.stateAge}`);
  } finally {
    fs.writeFileSync(path.join(group, 'freezer.state'), 'THAWED');
    await waitFor(() => procState(pid) !== 'D', 10_000, `PID ${pid} thawed`);
    process.kill(pid, 'SIGKILL');
    await waitFor(() => fs.readFileSync(path.join(group, 'cgroup.procs'), 'utf8').trim() === '', 10_000, 'the freezer cgroup empty');
    fs.rmdirSync(group);
  }
});
