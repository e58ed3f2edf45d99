/**
 * The sampler's held stat descriptors and process identity, on a writable fixture copy through a
 * descriptor layer that behaves as procfs does: a descriptor stays bound to the file it was opened
 * on, and once that file is replaced (the process reaped, its pid taken by another) pread fails
 * with ESRCH. The live kernel's side is test/integration/held-fds.test.ts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Sampler } from '../../../src/sampler/sampler';
import { FdCalls, NODE_FD_CALLS } from '../../../src/procfs/held-files';
import { materialize } from '../procfs/fixtures';

const PID = 1;

/** node:fs, except that pread on a descriptor whose path now names another file fails with ESRCH. */
function procLikeCalls(): FdCalls & { readonly closed: number[] } {
  const opened = new Map<number, { path: string; ino: number }>();
  const closed: number[] = [];
  return {
    closed,
    open: (p) => {
      const fd = NODE_FD_CALLS.open(p);
      opened.set(fd, { path: p, ino: fs.fstatSync(fd).ino });
      return fd;
    },
    pread: (fd, buffer) => {
      const o = opened.get(fd);
      let ino: number | undefined;
      try {
        ino = o && fs.statSync(o.path).ino;
      } catch {
        ino = undefined;
      }
      if (o !== undefined && ino !== o.ino) throw Object.assign(new Error('ESRCH'), { code: 'ESRCH' });
      return NODE_FD_CALLS.pread(fd, buffer);
    },
    close: (fd) => {
      opened.delete(fd);
      closed.push(fd);
      NODE_FD_CALLS.close(fd);
    },
  };
}

/** Replaces PID's stat (a new file, as a new process's) with start time `start` and `ticks` of utime. */
function newIncarnation(root: string, start: number, ticks: number): void {
  const file = path.join(root, String(PID), 'stat');
  const text = fs.readFileSync(file, 'utf8');
  const close = text.lastIndexOf(')');
  const fields = text.slice(close + 2).trimEnd().split(' ');
  fields[22 - 3] = String(start);
  fields[14 - 3] = String(ticks);
  fs.writeFileSync(`${file}.new`, `${text.slice(0, close + 2)}${fields.join(' ')}\n`);
  fs.renameSync(`${file}.new`, file);
}

test('a pid reused between scans is a new process: new start time, no CPU% from the old one, old descriptor closed', (t) => {
  const m = materialize('basic');
  t.after(m.cleanup);
  const calls = procLikeCalls();
  let now = 1_795_783_433_710;
  const sampler = new Sampler({ root: m.root, passwdPath: path.join(m.root, 'passwd'), threads: false, now: () => (now += 1000), pageSize: 4096, heldFdCap: 1000, fdCalls: calls });
  t.after(() => sampler.close());
  const first = sampler.sample().processes.find((p) => p.pid === PID);
  assert.ok(first);
  assert.ok(sampler.heldFds().held > 0);
  assert.deepEqual(calls.closed, []);
  newIncarnation(m.root, first.startTicks + 5000, 1_000_000);
  const second = sampler.sample().processes.find((p) => p.pid === PID);
  assert.equal(second?.startTicks, first.startTicks + 5000, 'the new process, read through a new descriptor');
  assert.equal(second?.cpu, undefined, 'no rate against the old process ticks');
  assert.ok(calls.closed.length >= 1, 'the old descriptor was closed');
});

test('a fixture tree holds no descriptors by default: a replaced file is read afresh', (t) => {
  const m = materialize('basic');
  t.after(m.cleanup);
  const sampler = new Sampler({ root: m.root, passwdPath: path.join(m.root, 'passwd'), threads: false, now: Date.now, pageSize: 4096 });
  const first = sampler.sample().processes.find((p) => p.pid === PID);
  assert.ok(first);
  assert.equal(sampler.heldFds().cap, 0);
  newIncarnation(m.root, first.startTicks + 5000, 0);
  assert.equal(sampler.sample().processes.find((p) => p.pid === PID)?.startTicks, first.startTicks + 5000);
});
