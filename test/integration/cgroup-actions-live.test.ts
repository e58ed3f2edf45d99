/**
 * Freeze, thaw and kill on real cgroups, as root: the whole path the TUI takes after its
 * confirmation (sampled snapshot → plan → effect → cgroupfs writes and signals → action log).
 * v1: a cpu + freezer cgroup of one name (members go to D when frozen; kill = freeze, SIGKILL
 * each, thaw). v2: a child of the hybrid VM's empty `unified` mount (cgroup.freeze, cgroup.kill).
 * A control process outside the cgroup must be untouched. Cgroups carry the test pid in their
 * names and are removed afterwards; every process started is killed by pid.
 */
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawn } from 'node:child_process';
import { CgroupSandbox, cgroupSkipReason, readProcs } from '../helpers/cgroup-sandbox';
import { waitFor } from '../helpers/wait';
import { readStat } from '../helpers/proc-read';
import { planCgroupAction, CgroupActionKind } from '../../src/model/cgroup-action';
import { openSource } from '../../src/sampler/source';
import { cgroupRunner } from '../../src/loop/cgroup-effects';
import { CgroupEffect } from '../../src/loop/ports';
import { targetOf } from '../../src/view/signal-flow';

const v1skip = cgroupSkipReason(['cpu', 'freezer']);
const v2skip = cgroupSkipReason(['unified']) ?? (fs.existsSync('/sys/fs/cgroup/unified/cgroup.procs') ? undefined : 'no v2 mount at /sys/fs/cgroup/unified');

interface Setup {
  readonly dirs: string[];
  readonly pids: number[];
  readonly control: number;
  readonly logFile: string;
  /** Plans `kind` on the cgroup of the group's leader from a fresh sample, and runs it as the TUI would. */
  readonly act: (kind: CgroupActionKind) => Promise<{ text: string; error: boolean }>;
}

/** A shell with two sleeps in the cgroups `dirs` (made in `controllers`), a control sleep outside, and a runner. */
async function setup(t: TestContext, controllers: readonly string[], name: string): Promise<Setup> {
  const box = new CgroupSandbox();
  const dirs = controllers.map((c) => box.make(c, name));
  const control = spawn('sleep', ['1000'], { stdio: 'ignore' });
  const logDir = fs.mkdtempSync(path.join(os.tmpdir(), 'proctop-cgact-'));
  t.after(async () => {
    // Everything still in the cgroups is ours (the names carry this test's pid): kill by pid, thaw, remove.
    for (const pid of [...new Set(dirs.flatMap(readProcs)), control.pid ?? 0]) if (pid > 0) try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ }
    await box.cleanup();
    fs.rmSync(logDir, { recursive: true, force: true });
  });
  box.spawnIn(dirs, '{ sleep 1000 & sleep 1000 & wait; }');
  const pids = await waitFor(() => { const p = readProcs(dirs[0] as string); return p.length === 3 && p; }, 10_000, 'the shell and its two sleeps in the cgroup');
  const source = openSource('linux', '/proc', '/etc/passwd', false);
  source.setCgroups(true);
  const logFile = path.join(logDir, 'actions.log');
  const run = cgroupRunner(source.reader, source.probe, process.pid, logFile);
  const act = async (kind: CgroupActionKind): Promise<{ text: string; error: boolean }> => {
    const snap = await source.sample();
    const leader = snap.processes.find((p) => p.pid === Math.min(...pids));
    const plan = planCgroupAction(kind, leader, snap.processes, snap.cgroups, { selfPid: process.pid });
    if ('error' in plan) assert.fail(plan.error);
    assert.deepEqual(plan.members.map((m) => m.pid).sort(), [...pids].sort(), 'the preview lists exactly the cgroup');
    const effect: CgroupEffect = { kind: 'cgroup', action: kind, path: plan.path, version: plan.version, subject: targetOf(leader!), members: plan.members, typed: false };
    return run(effect);
  };
  return { dirs, pids, control: control.pid ?? 0, logFile, act };
}

const states = (pids: readonly number[]): string => pids.map((p) => readStat(p)?.state ?? 'gone').join('');
const logLines = (file: string): { action: string; cgroup?: string; outcome: string; pid: number; signal?: string }[] =>
  fs.readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { action: string; outcome: string; pid: number });

test('v1: freeze puts every member in D with freezer.state FROZEN, thaw lets them run, kill leaves the cgroup empty', { skip: v1skip, timeout: 60_000 }, async (t) => {
  const s = await setup(t, ['cpu', 'freezer'], 'act1');
  const freezer = s.dirs[1] as string;
  const frozen = await s.act('freeze');
  t.diagnostic(`freeze: ${frozen.text}`);
  assert.equal(frozen.error, false, frozen.text);
  assert.match(frozen.text, /frozen 3 processes in \/proctop-test-\d+-act1/);
  assert.equal(fs.readFileSync(path.join(freezer, 'freezer.state'), 'utf8').trim(), 'FROZEN');
  assert.equal(states(s.pids), 'DDD');
  const thawed = await s.act('thaw');
  assert.equal(thawed.error, false, thawed.text);
  assert.equal(fs.readFileSync(path.join(freezer, 'freezer.state'), 'utf8').trim(), 'THAWED');
  await waitFor(() => !states(s.pids).includes('D'), 5000, 'the members to leave D');
  const killed = await s.act('kill');
  t.diagnostic(`kill: ${killed.text}`);
  assert.equal(killed.error, false, killed.text);
  assert.match(killed.text, /killed 3 of 3 processes .*\(frozen, SIGKILL each, thawed\); it is empty/);
  assert.deepEqual(readProcs(s.dirs[0] as string), []);
  assert.equal(readStat(s.control)?.state, 'S', 'the control process outside the cgroup lives');
  const log = logLines(s.logFile);
  assert.deepEqual(log.map((r) => r.action), ['cgroup-freeze', 'cgroup-thaw', 'cgroup-kill', 'cgroup-kill', 'cgroup-kill', 'cgroup-kill']);
  assert.deepEqual(log.filter((r) => r.signal === 'SIGKILL').map((r) => r.pid).sort(), [...s.pids].sort());
});

test('v2 (unified child): cgroup.freeze and cgroup.events agree, thaw, cgroup.kill empties it', { skip: v2skip, timeout: 60_000 }, async (t) => {
  const s = await setup(t, ['unified'], 'act2');
  const dir = s.dirs[0] as string;
  const frozen = await s.act('freeze');
  t.diagnostic(`freeze: ${frozen.text}`);
  assert.equal(frozen.error, false, frozen.text);
  assert.match(fs.readFileSync(path.join(dir, 'cgroup.events'), 'utf8'), /^frozen 1$/m);
  const thawed = await s.act('thaw');
  assert.equal(thawed.error, false, thawed.text);
  assert.match(fs.readFileSync(path.join(dir, 'cgroup.events'), 'utf8'), /^frozen 0$/m);
  const hasKill = fs.existsSync(path.join(dir, 'cgroup.kill'));
  const killed = await s.act('kill');
  t.diagnostic(`kill: ${killed.text}`);
  assert.equal(killed.error, false, killed.text);
  assert.match(killed.text, hasKill ? /\(cgroup\.kill\); it is empty/ : /frozen, SIGKILL each, thawed/);
  assert.deepEqual(readProcs(dir), []);
  assert.equal(readStat(s.control)?.state, 'S', 'the control process outside the cgroup lives');
  assert.deepEqual(logLines(s.logFile).map((r) => [r.action, r.outcome]).slice(0, 3), [['cgroup-freeze', 'done'], ['cgroup-thaw', 'done'], ['cgroup-kill', 'done']]);
});
