/**
 * The cgroup effect against an in-memory cgroupfs that behaves like the kernel's files: a write
 * to cgroup.freeze / freezer.state shows in cgroup.events / freezer.state, cgroup.kill empties
 * the cgroup, a SIGKILL'd member leaves cgroup.procs (on v1 only once thawed). Kills are recorded,
 * never sent.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { actOnCgroup, CgroupFiles, CgroupHandle } from '../../../src/actions/cgroup-control';

class FakeCgroupFs implements CgroupFiles {
  readonly files = new Map<string, string>();
  readonly writes: string[] = [];
  readonly killed: number[] = [];
  /** pid → start ticks of live processes. */
  readonly alive = new Map<number, number>();
  constructor(readonly dir: string, pids: readonly number[], readonly v1 = false) {
    this.files.set(dir, '');
    for (const p of pids) this.alive.set(p, 1000 + p);
    this.setProcs(pids);
    this.files.set(path.join(dir, v1 ? 'freezer.state' : 'cgroup.events'), v1 ? 'THAWED\n' : 'populated 1\nfrozen 0\n');
    if (!v1) this.files.set(path.join(dir, 'cgroup.freeze'), '0\n');
  }
  setProcs(pids: readonly number[]): void {
    this.files.set(path.join(this.dir, 'cgroup.procs'), pids.map((p) => `${p}\n`).join(''));
  }
  procs(): number[] {
    return (this.files.get(path.join(this.dir, 'cgroup.procs')) ?? '').split('\n').filter((l) => l !== '').map(Number);
  }
  frozen(): boolean {
    return this.v1 ? this.files.get(path.join(this.dir, 'freezer.state')) === 'FROZEN\n' : /frozen 1/.test(this.files.get(path.join(this.dir, 'cgroup.events')) ?? '');
  }
  read(file: string): string | undefined {
    return this.files.get(file);
  }
  write(file: string, text: string): void {
    if (!this.files.has(file)) throw Object.assign(new Error('ENOENT'), { code: 'ENOENT' });
    this.writes.push(`${path.basename(file)}=${text}`);
    const base = path.basename(file);
    if (base === 'cgroup.freeze') this.files.set(path.join(this.dir, 'cgroup.events'), `populated 1\nfrozen ${text}\n`);
    if (base === 'freezer.state') {
      this.files.set(file, `${text}\n`);
      // A v1 frozen task dies of SIGKILL only once thawed.
      if (text === 'THAWED') this.reap();
    }
    if (base === 'cgroup.kill') this.setProcs([]);
  }
  exists(file: string): boolean {
    return this.files.has(file);
  }
  subdirs(): string[] {
    return [];
  }
  kill = (pid: number, signal: number): void => {
    assert.equal(signal, 9);
    this.killed.push(pid);
    if (!this.v1 || !this.frozen()) this.reap();
  };
  private reap(): void {
    for (const p of this.killed) this.alive.delete(p);
    this.setProcs(this.procs().filter((p) => this.alive.has(p)));
  }
}

const wait = (): Promise<void> => Promise.resolve();
const V2 = '/sys/fs/cgroup/unified/app';
const V1 = '/sys/fs/cgroup/cpu/app';
const v2handle = (over: Partial<CgroupHandle> = {}): CgroupHandle => ({ path: '/app', version: 2, dir: V2, freezer: { version: 2, dir: V2 }, holdsSelf: false, ...over });

function deps(fs: FakeCgroupFs, inCgroup = (pid: number) => fs.procs().includes(pid)) {
  return { probe: (pid: number) => fs.alive.get(pid), inCgroup, wait, kill: fs.kill, files: fs, settleMs: 100 };
}

test('v2 freeze writes cgroup.freeze and waits for cgroup.events to say frozen', async () => {
  const fs = new FakeCgroupFs(V2, [5, 6]);
  const r = await actOnCgroup('freeze', v2handle(), false, deps(fs));
  assert.deepEqual([r.outcome, fs.writes, r.message], ['done', ['cgroup.freeze=1'], 'frozen 2 processes in /app']);
  const t = await actOnCgroup('thaw', v2handle(), false, deps(fs));
  assert.deepEqual([t.outcome, fs.writes.at(-1)], ['done', 'cgroup.freeze=0']);
});

test('the root cgroup is refused before anything is written', async () => {
  const fs = new FakeCgroupFs(V2, [5]);
  const r = await actOnCgroup('kill', v2handle({ path: '/' }), true, deps(fs));
  assert.deepEqual([r.outcome, fs.writes, fs.killed], ['refused', [], []]);
});

test("a cgroup holding proctop is refused unless its path was typed", async () => {
  const fs = new FakeCgroupFs(V2, [5]);
  const r = await actOnCgroup('freeze', v2handle({ holdsSelf: true }), false, deps(fs));
  assert.deepEqual([r.outcome, fs.writes], ['refused', []]);
  const typed = await actOnCgroup('freeze', v2handle({ holdsSelf: true }), true, deps(fs));
  assert.equal(typed.outcome, 'done');
});

test('v2 kill uses cgroup.kill when the kernel has it, and reports the cgroup empty', async () => {
  const fs = new FakeCgroupFs(V2, [5, 6, 7]);
  fs.files.set(path.join(V2, 'cgroup.kill'), '');
  const r = await actOnCgroup('kill', v2handle(), false, deps(fs));
  assert.deepEqual([r.outcome, fs.writes, fs.killed], ['done', ['cgroup.kill=1'], []]);
  assert.match(r.message, /killed 3 processes in \/app \(cgroup\.kill\); it is empty/);
});

test('v1 kill: freeze, SIGKILL each member, thaw — in that order — and every member is gone', async () => {
  const fs = new FakeCgroupFs(V1, [5, 6], true);
  const order: string[] = [];
  const files: CgroupFiles = { ...fs, read: (f) => fs.read(f), exists: (f) => fs.exists(f), subdirs: () => [], write: (f, t) => (order.push(t), fs.write(f, t)) };
  const kill = (pid: number, sig: number): void => (order.push(`kill ${pid}`), fs.kill(pid, sig));
  const h: CgroupHandle = { path: '/app', version: 1, dir: V1, freezer: { version: 1, dir: V1 }, holdsSelf: false };
  const r = await actOnCgroup('kill', h, false, { ...deps(fs), files, kill });
  assert.deepEqual(order, ['FROZEN', 'kill 5', 'kill 6', 'THAWED']);
  assert.equal(r.outcome, 'done', r.message);
  assert.deepEqual(fs.procs(), []);
  assert.match(r.message, /killed 2 of 2 processes in \/app \(frozen, SIGKILL each, thawed\); it is empty/);
});

test('v1 kill re-checks each pid: one no longer in the cgroup (reused) is not signalled', async () => {
  const fs = new FakeCgroupFs(V1, [5, 6], true);
  const h: CgroupHandle = { path: '/app', version: 1, dir: V1, freezer: { version: 1, dir: V1 }, holdsSelf: false };
  const r = await actOnCgroup('kill', h, false, deps(fs, (pid) => pid !== 6));
  assert.deepEqual(fs.killed, [5]);
  assert.equal(r.outcome, 'partial');
  assert.match(r.message, /killed 1 of 2 processes .* 1 process still there \[PID 6\]/);
});

test('kill without any freezer signals in rounds until the cgroup is empty, catching a fork', async () => {
  const fs = new FakeCgroupFs(V1, [5], true);
  // The first SIGKILL lands while pid 5 forks pid 8 into the cgroup: the next round gets it.
  const kill = (pid: number, sig: number): void => {
    fs.kill(pid, sig);
    if (pid === 5) {
      fs.alive.set(8, 1008);
      fs.setProcs([...fs.procs(), 8]);
    }
  };
  const h: CgroupHandle = { path: '/app', version: 1, dir: V1, freezer: undefined, holdsSelf: false };
  const r = await actOnCgroup('kill', h, false, { ...deps(fs), kill });
  assert.deepEqual([r.outcome, fs.killed, fs.writes], ['done', [5, 8], []]);
  assert.match(r.message, /no freezer/);
});

test('freeze without a freezer is refused with the reason; a gone cgroup says gone', async () => {
  const fs = new FakeCgroupFs(V1, [5], true);
  const none = await actOnCgroup('freeze', { path: '/app', version: 1, dir: V1, freezer: undefined, holdsSelf: false }, false, deps(fs));
  assert.equal(none.outcome, 'refused');
  assert.match(none.message, /no freezer/);
  const gone = await actOnCgroup('freeze', v2handle({ dir: '/nowhere' }), false, deps(fs));
  assert.deepEqual([gone.outcome, gone.message], ['gone', '/app: the cgroup is gone']);
});

test('permission denied on the write is reported as such', async () => {
  const fs = new FakeCgroupFs(V2, [5]);
  const files: CgroupFiles = { read: (f) => fs.read(f), exists: (f) => fs.exists(f), subdirs: () => [], write: () => { throw Object.assign(new Error('EACCES'), { code: 'EACCES' }); } };
  const r = await actOnCgroup('freeze', v2handle(), false, { ...deps(fs), files });
  assert.equal(r.outcome, 'permission-denied');
  assert.match(r.message, /freeze \/app: permission denied/);
});
