/**
 * The incident toolkit against real processes, without a terminal: orphan and stopped/traced
 * detection by the Sampler and the query language, the identity checks that refuse a reused
 * PID, the subtree freeze against a tree that keeps forking, the group refusal for pgid ≤ 1, and
 * the action log written by the effect runner. Every process is started by a Landscape and
 * cleaned up by pid; every signal a test could send wrongly goes either to our own processes or
 * through an injected recorder.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { randomInt } from 'node:crypto';
import type { ChildProcess } from 'node:child_process';
import { Landscape, waitFor } from '../helpers/landscape';
import { findExecutable } from '../helpers/landscape-tools';
import { childrenOf, readCmdline, readStat } from '../helpers/proc-read';
import { Sampler } from '../../src/sampler/sampler';
import { openSource } from '../../src/sampler/source';
import { ProcReader } from '../../src/procfs/reader';
import { readProcessDetails } from '../../src/procfs/details';
import { parseQuery } from '../../src/model/query';
import type { ProcessIdentity, ProcessInfo, Snapshot } from '../../src/model/snapshot';
import { sendSignal, type KillFn } from '../../src/actions/send-signal';
import { signalGroup, signalSubtree } from '../../src/actions/signal-scope';
import { renice } from '../../src/actions/renice';
import { effectRunner } from '../../src/loop/system-effects';
import type { ActionRecord, Actor } from '../../src/actions/action-log';

const SIGSTOP = 19;
const SIGKILL = 9;
const SIGTERM = 15;

/** The production identity probe: /proc read right before each signal. */
const source = openSource('linux', '/proc', '/etc/passwd', false);
const probe = source.probe;
const reader = new ProcReader('/proc');

/** NUL-terminated argv, as /proc/PID/cmdline shows it. */
const argvBytes = (argv: readonly string[]): Buffer => Buffer.concat(argv.map((a) => Buffer.from(`${a}\0`)));
const SLEEP_1000 = argvBytes(['sleep', '1000']);

/** Landscape plus the few shapes this file needs: a process group, orphaned workers, pipelines, a forking tree. */
class IncidentLandscape extends Landscape {
  /** `file args…` detached (own session and group); resolves with its pid once `isReady(pid)` holds. */
  async spawnUntil(file: string, args: string[], what: string, isReady: (pid: number) => boolean): Promise<{ child: ChildProcess; pid: number }> {
    const started = await this.start(file, args, what);
    await this.ready(started.child, () => isReady(started.pid), what);
    return started;
  }

  /** The direct children of `parent` that run `sleep 1000` (after exec), once there are `n`; tracked. */
  async sleepingChildren(child: ChildProcess, parent: number, n: number, what: string): Promise<number[]> {
    const kids = await this.ready(child, () => {
      const found = childrenOf(parent).filter((k) => readCmdline(k)?.equals(SLEEP_1000) === true && readStat(k)?.state === 'S');
      return found.length === n && found;
    }, what);
    for (const k of kids) this.track(k);
    return kids;
  }

  /** `sh` (group and session leader) with `workers` background `sleep 1000`s in its group. */
  async group(workers: number): Promise<{ leader: number; members: number[] }> {
    const script = `${Array.from({ length: workers }, () => 'sleep 1000 &').join(' ')} wait`;
    const { child, pid: leader } = await this.start('sh', ['-c', script], 'group');
    const kids = await this.sleepingChildren(child, leader, workers, `group: ${workers} workers`);
    return { leader, members: [leader, ...kids] };
  }

  /**
   * A 2-process group whose leader is then SIGKILLed: the worker is adopted by PID 1 (or a
   * subreaper) and keeps the dead leader's group and session. Resolves once the leader is
   * reaped (a zombie leader would still count as present).
   */
  async orphanedWorker(): Promise<{ leader: number; worker: number }> {
    const { leader, members } = await this.group(1);
    const worker = members[1] as number;
    process.kill(leader, 'SIGKILL');
    await waitFor(() => readStat(leader) === undefined && readStat(worker)?.ppid !== leader, 5000, `leader ${leader} reaped, worker ${worker} adopted`);
    return { leader, worker };
  }

  /**
   * `bash -c 'set -m; true | sleep 1000; :'`: with job control the pipeline gets its own group,
   * led by `true`, which exits at once. The `sleep` is left in a group without a leader, but its
   * parent is the shell in its own session: a normal pipeline, not an orphan.
   */
  async leaderlessPipeline(): Promise<{ shell: number; member: number }> {
    const bash = findExecutable('bash');
    if (bash === undefined) throw new Error('leaderlessPipeline: needs bash');
    const { child, pid: shell } = await this.start(bash, ['-c', 'set -m; true | sleep 1000; :'], 'leaderlessPipeline');
    const [member] = await this.sleepingChildren(child, shell, 1, 'leaderlessPipeline: sleep');
    if (member === undefined) throw new Error('leaderlessPipeline: no member');
    await waitFor(() => {
      const pgid = readStat(member)?.pgrp;
      return pgid !== undefined && pgid !== shell && readStat(pgid) === undefined;
    }, 5000, `pipeline group leader of ${member} gone`);
    return { shell, member };
  }

  /** `sh -c 'sleep 1000 | sleep 1000'`: both members in the shell's group, which it leads. */
  async plainPipeline(): Promise<{ shell: number; members: number[] }> {
    const { child, pid: shell } = await this.start('sh', ['-c', 'sleep 1000 | sleep 1000; :'], 'plainPipeline');
    return { shell, members: await this.sleepingChildren(child, shell, 2, 'plainPipeline: two sleeps') };
  }

  /**
   * `sh` forking a `sleep <marker>` child every 50 ms, forever. `marker` is a number of seconds
   * (1000.<random digits>) that no other process has in its argv, so every child, even one the
   * test never saw, can be found by its cmdline.
   */
  async forkingTree(marker: string): Promise<number> {
    const script = 'while :; do sleep "$1" & sleep 0.05; done';
    const { child, pid } = await this.start('sh', ['-c', script, 'forker', marker], 'forkingTree');
    await this.ready(child, () => childrenOf(pid).filter((k) => readCmdline(k)?.equals(argvBytes(['sleep', marker])) === true).length >= 3, 'forkingTree: 3 children');
    return pid;
  }
}

const land = new IncidentLandscape();
const tempDirs: string[] = [];
after(async () => {
  await land.cleanup();
  for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
});

function sample(): Snapshot {
  return new Sampler({ root: '/proc', passwdPath: '/etc/passwd', threads: false, now: Date.now }).sample();
}

/** The process row of `pid` with the start time the helpers read; fails when absent. */
function proc(snapshot: Snapshot, pid: number): ProcessInfo {
  const start = startOf(pid);
  const found = snapshot.processes.filter((p) => p.pid === pid && !p.thread && p.startTicks === start);
  assert.equal(found.length, 1, `exactly one process row for pid ${pid}`);
  return found[0] as ProcessInfo;
}

/** Start ticks as the helpers read them (not via src/), so a reader bug can't hide. */
function startOf(pid: number): number {
  const starttime = readStat(pid)?.starttime;
  assert.ok(starttime !== undefined, `pid ${pid} is alive`);
  return starttime;
}

const identity = (pid: number): ProcessIdentity => ({ pid, startTicks: startOf(pid) });

function matches(query: string, p: ProcessInfo, snapshot: Snapshot): boolean {
  const parsed = parseQuery(query);
  assert.ok(parsed.ok, `query ${query} parses`);
  return parsed.predicate(p, { now: snapshot.time, stuckAfterMs: 5000 });
}

/** Still the same process (pid and start time), and not dead (a zombie is dead). */
function aliveAs(id: ProcessIdentity): boolean {
  const stat = readStat(id.pid);
  return stat !== undefined && stat.starttime === id.startTicks && stat.state !== 'Z';
}

/** A kill(2) that records each call and sends nothing. */
function recorder(): { calls: [number, number][]; kill: KillFn } {
  const calls: [number, number][] = [];
  return { calls, kill: (pid, signal) => void calls.push([pid, signal]) };
}

test('orphaned worker: leader killed, worker adopted by PID 1 is marked orphan and matches `orphan`', async () => {
  const { leader, worker } = await land.orphanedWorker();
  const stat = readStat(worker);
  assert.ok(stat, 'worker alive');
  assert.equal(stat.pgrp, leader, 'the worker keeps the dead leader’s group');
  // The node test runner is not a subreaper; the brief's machine has none above it either.
  assert.equal(stat.ppid, 1, `the worker was adopted by PID 1 (ppid ${stat.ppid})`);
  const snapshot = sample();
  const p = proc(snapshot, worker);
  assert.equal(p.orphan, true, 'orphan flag');
  assert.equal(matches('orphan', p, snapshot), true, '`orphan` matches it');
  assert.equal(matches('!orphan', p, snapshot), false);
  assert.ok(snapshot.processes.every((q) => q.pid !== leader), 'the leader is not in the snapshot');
});

test('pipelines are not orphans: a plain one, and one whose job-control group leader exited', async () => {
  const plain = await land.plainPipeline();
  const loose = await land.leaderlessPipeline();
  const snapshot = sample();
  for (const pid of [plain.shell, ...plain.members, loose.shell, loose.member]) {
    const p = proc(snapshot, pid);
    assert.equal(p.orphan, false, `pid ${pid} (${p.command}) is not an orphan`);
    assert.equal(matches('orphan', p, snapshot), false, `\`orphan\` does not match pid ${pid}`);
  }
  // The case the rule exists for: leader gone, but the parent is the shell in the same session.
  const member = proc(snapshot, loose.member);
  assert.notEqual(member.pgid, member.pid);
  assert.ok(snapshot.processes.every((q) => q.pid !== member.pgid), 'its group leader is gone');
  assert.equal(member.ppid, loose.shell);
});

test('a SIGSTOPped process is T and matches `stopped`; a running one does not', async () => {
  const stopped = await land.stopped();
  const running = await land.sleeper();
  const snapshot = sample();
  const p = proc(snapshot, stopped);
  assert.equal(p.state, 'T');
  assert.equal(matches('stopped', p, snapshot), true);
  assert.equal(matches('state:T', p, snapshot), true);
  assert.equal(matches('stopped', proc(snapshot, running), snapshot), false);
});

/** One traced process for the two tests below. */
let tracedOnce: Promise<{ tracee: number; tracer: number } | undefined> | undefined;
const traced = (): Promise<{ tracee: number; tracer: number } | undefined> => (tracedOnce ??= land.traced());

test('a traced process is in the snapshot and its TracerPid is read from /proc', async (t) => {
  const found = await traced();
  if (found === undefined) {
    t.skip('no tracer available (neither strace nor python3 with ptrace permission)');
    return;
  }
  const { tracee, tracer } = found;
  const snapshot = sample();
  const p = proc(snapshot, tracee);
  assert.ok(['S', 't'].includes(p.state), `tracee state ${p.state}`);
  assert.equal(matches('stopped', p, snapshot), p.state === 't', '`stopped` matches exactly when it is in tracing stop');
  proc(snapshot, tracer);
  // src's own status reader (ProcReader.readStatus) sees the tracer.
  assert.equal(reader.readStatus(tracee)?.tracerPid, tracer);
  assert.equal(reader.readStatus(tracer)?.tracerPid, 0);
  const details = readProcessDetails(reader, tracee, p.startTicks);
  assert.ok(details, 'details of the tracee');
  assert.ok(['S', 't'].includes(details.state));
});

test('details of a traced process carry its TracerPid', async (t) => {
  const found = await traced();
  if (found === undefined) {
    t.skip('no tracer available');
    return;
  }
  const details = readProcessDetails(reader, found.tracee, startOf(found.tracee));
  assert.ok(details);
  assert.deepEqual(details.tracerPid, { ok: true, value: found.tracer });
});

test('PID reuse: sendSignal with a wrong start time says reused and the process lives', async () => {
  const pid = await land.sleeper();
  const real = identity(pid);
  const result = sendSignal({ pid, startTicks: real.startTicks + 1 }, SIGTERM, probe.startTicks);
  assert.equal(result.outcome, 'reused');
  assert.match(result.message, /not sent, the PID now belongs to another process/);
  // Positive control: the right identity passes the check (signal 0 only probes).
  assert.equal(sendSignal(real, 0, probe.startTicks).outcome, 'sent');
  await new Promise((resolve) => setTimeout(resolve, 100));
  assert.ok(aliveAs(real), `pid ${pid} still alive and sleeping`);
  assert.equal(readStat(pid)?.state, 'S');
});

test('PID reuse: signalGroup with members that are not who they were sends nothing', async () => {
  const { leader, members } = await land.group(2);
  const control = await land.sleeper();
  const ids = members.map(identity);
  // Every listed member's start time is wrong: as if each PID now belonged to another process.
  const wrong = signalGroup(leader, ids.map((m) => ({ pid: m.pid, startTicks: m.startTicks + 1 })), SIGKILL, probe.startTicks, probe.groupOf);
  assert.equal(wrong.length, 1);
  assert.equal(wrong[0]?.outcome, 'gone', 'reported as "no listed member is left" (outcome gone, not reused)');
  assert.match(wrong[0]?.message ?? '', /no listed member is left/);
  // Right identities, but the group is another one (the control's own group): they are not in it.
  const moved = signalGroup(control, ids, SIGKILL, probe.startTicks, probe.groupOf);
  assert.equal(moved[0]?.outcome, 'gone');
  await new Promise((resolve) => setTimeout(resolve, 100));
  for (const m of ids) assert.ok(aliveAs(m), `member ${m.pid} alive`);
  assert.ok(aliveAs(identity(control)), 'control alive');
});

test('PID reuse: renice with a wrong start time changes nothing', async () => {
  const pid = await land.sleeper();
  const real = identity(pid);
  const before = os.getPriority(pid);
  const wrong = renice({ pid, startTicks: real.startTicks + 1 }, 7, probe.startTicks);
  assert.ok(!wrong.ok);
  assert.match(wrong.error, /the PID now belongs to another process/);
  assert.equal(os.getPriority(pid), before, 'nice unchanged');
  // Positive control: the right identity is reniced.
  assert.equal(renice(real, 7, probe.startTicks).ok, true);
  assert.equal(os.getPriority(pid), 7);
});

test('signalSubtree SIGKILL on a tree that keeps forking: every member is gone, a sibling is untouched', async () => {
  const marker = `1000.${String(randomInt(1e9)).padStart(9, '0')}${String(randomInt(1e9)).padStart(9, '0')}`;
  const sibling = identity(await land.sleeper());
  const root = await land.forkingTree(marker);
  const rootId = identity(root);
  const hasMarker = (pid: number): boolean => readCmdline(pid)?.includes(`${marker}\0`) === true;
  /** `pid` is the root or descends from it (parent links followed upwards). */
  const inTree = (pid: number): boolean => {
    for (let at: number | undefined = pid, depth = 0; at !== undefined && at > 1 && depth < 64; depth++) {
      if (at === root) return readStat(root)?.starttime === rootId.startTicks;
      at = readStat(at)?.ppid;
    }
    return false;
  };
  // The dialog's list: the subtree as it was when listed (read with the helpers' fast
  // task/*/children reader; probe.childrenOf scans all of /proc per call).
  const listed: ProcessIdentity[] = [rootId];
  for (let i = 0; i < listed.length; i++) {
    for (const kid of childrenOf((listed[i] as ProcessIdentity).pid)) {
      const start = readStat(kid)?.starttime;
      if (start !== undefined) listed.push({ pid: kid, startTicks: start });
    }
  }
  const listedPids = new Set(listed.map((m) => m.pid));
  // Let it fork again after the listing: those children are only found by the freeze.
  await waitFor(() => childrenOf(root).some((k) => !listedPids.has(k)), 5000, 'a child forked after the listing');

  const calls: { pid: number; signal: number; inTree: boolean }[] = [];
  const kill: KillFn = (pid, signal) => {
    // While freezing, the tree is intact (nothing has died yet): each target must be in it.
    calls.push({ pid, signal, inTree: inTree(pid) });
    process.kill(pid, signal);
  };
  const results = signalSubtree(listed, SIGKILL, probe.startTicks, probe.childrenOf, kill);

  const stopped = new Set(calls.filter((c) => c.signal === SIGSTOP).map((c) => c.pid));
  assert.ok(calls.filter((c) => c.signal === SIGSTOP).every((c) => c.inTree), `every SIGSTOP went into the tree: ${JSON.stringify(calls.filter((c) => !c.inTree))}`);
  assert.ok(calls.every((c) => c.pid > 1 && stopped.has(c.pid)), 'every signal went to a frozen member');
  assert.ok(calls.every((c) => c.pid !== sibling.pid), 'the sibling was never signalled');
  assert.ok(results.some((r) => !listedPids.has(r.target.pid) && r.outcome === 'sent'), 'children forked after the listing were killed too');
  assert.ok(results.every((r) => r.outcome === 'sent' || r.outcome === 'gone'), JSON.stringify(results.filter((r) => r.outcome !== 'sent')));

  // Within 2 s nothing with the marker runs any more (zombies awaiting PID 1's reaping are dead).
  const running = (): number[] => fs.readdirSync('/proc').filter((n) => /^\d+$/.test(n)).map(Number)
    .filter((pid) => hasMarker(pid) && readStat(pid)?.state !== 'Z');
  await waitFor(() => running().length === 0, 2000, 'every member of the forking tree to be dead').catch((err: unknown) => {
    throw new Error(`${String(err)}: still running ${running().map((p) => `${p}(${readStat(p)?.state ?? '?'}, ppid ${readStat(p)?.ppid ?? '?'})`).join(', ')}`);
  });
  assert.ok(!aliveAs(rootId), 'the root is dead');
  // And out of /proc soon: the root is reaped by us, the rest by PID 1 (here every 1–2 s).
  const members = results.map((r) => r.target);
  await waitFor(() => members.every((m) => readStat(m.pid)?.starttime !== m.startTicks), 5000, 'every member reaped');
  assert.ok(aliveAs(sibling), 'the sibling lives');
  assert.equal(readStat(sibling.pid)?.state, 'S', 'the sibling was not left stopped');
});

test('signalGroup refuses process groups ≤ 1 and never calls kill for them', () => {
  const rec = recorder();
  const init = { pid: 1, startTicks: startOf(1) };
  for (const pgid of [1, 0, -1, -4242, 1.5, Number.NaN]) {
    const results = signalGroup(pgid, [init], SIGKILL, probe.startTicks, () => pgid, rec.kill);
    assert.equal(results.length, 1, `pgid ${pgid}`);
    assert.equal(results[0]?.outcome, 'refused', `pgid ${pgid}`);
    assert.match(results[0]?.message ?? '', /refused: process group/);
  }
  assert.deepEqual(rec.calls, [], 'kill was never called');
  // The recorder itself works: a real group (ours, with our own identity) does reach it.
  const self = { pid: process.pid, startTicks: startOf(process.pid) };
  const ownGroup = readStat(process.pid)?.pgrp ?? 0;
  if (ownGroup > 1) {
    assert.equal(signalGroup(ownGroup, [self], SIGKILL, probe.startTicks, probe.groupOf, rec.kill)[0]?.outcome, 'sent');
    assert.deepEqual(rec.calls, [[-ownGroup, SIGKILL]]);
  }
});

test('the effect runner appends one JSON line per target to the action log', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'proctop-incident-log-'));
  tempDirs.push(dir);
  const logFile = path.join(dir, 'state', 'proctop', 'actions.log');
  const run = effectRunner(probe, logFile);
  const sent = identity(await land.sleeper());
  const reused = identity(await land.sleeper());
  const target = (id: ProcessIdentity) => ({ ...id, user: 'root', command: `sleep 1000 (${id.pid})` });
  const t0 = Date.now();
  const outcome = run({ kind: 'signal', signal: SIGTERM, scope: 'process', targets: [target(sent), target({ pid: reused.pid, startTicks: reused.startTicks + 1 })], group: undefined });
  assert.match(outcome.text, /^SIGTERM → 1 sent, 1 PID reused, not sent \(PID \d+\)$/);
  assert.equal(outcome.error, true, 'not everything was sent');

  const { leader, members } = await land.group(2);
  const groupTargets = members.map((m) => target(identity(m)));
  const groupOutcome = run({ kind: 'signal', signal: SIGKILL, scope: 'group', targets: groupTargets, group: leader });
  assert.match(groupOutcome.text, /^SIGKILL → 3 sent$/);

  const lines = fs.readFileSync(logFile, 'utf8').split('\n');
  assert.equal(lines.pop(), '', 'the file ends with a newline');
  assert.equal(lines.length, 5, lines.join('\n'));
  const records = lines.map((l) => JSON.parse(l) as ActionRecord & Actor);
  for (const r of records) {
    assert.deepEqual(Object.keys(r).sort(), ['action', 'command', 'message', 'outcome', 'pid', 'signal', 'startTicks', 'time', 'uid', 'user']);
    // Who acted (issue 10 item 17): the test's own effective user, by uid and passwd name.
    assert.deepEqual([r.uid, r.user], [process.geteuid?.(), os.userInfo().username]);
    assert.match(r.time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    assert.ok(Date.parse(r.time) >= t0 - 1000 && Date.parse(r.time) <= Date.now() + 1000, `time ${r.time}`);
    assert.equal(r.action, 'signal');
  }
  assert.deepEqual(records.map((r) => [r.signal, r.pid, r.startTicks, r.command, r.outcome]), [
    ['SIGTERM', sent.pid, sent.startTicks, `sleep 1000 (${sent.pid})`, 'sent'],
    ['SIGTERM', reused.pid, reused.startTicks + 1, `sleep 1000 (${reused.pid})`, 'reused'],
    ...groupTargets.map((g) => ['SIGKILL', g.pid, g.startTicks, g.command, 'sent']),
  ]);
  assert.equal(fs.statSync(logFile).mode & 0o777, 0o600, 'the log is private');
  // What the log says happened did happen.
  await waitFor(() => !aliveAs(sent), 5000, `pid ${sent.pid} terminated`);
  assert.ok(aliveAs(reused), 'the target with the wrong start time was not signalled');
  assert.equal(readStat(reused.pid)?.state, 'S');
  await waitFor(() => groupTargets.every((g) => !aliveAs(g)), 5000, 'group members killed');
});
