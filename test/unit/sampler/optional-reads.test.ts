/**
 * The optional per-process files (status for SWAP, oom_score, oom_score_adj, io) on a copy of
 * the recorded `host` fixture: read only while asked for, rates from two scans of the same
 * identity, an unreadable io told apart from an idle one.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ProcessInfo, Snapshot } from '../../../src/model/snapshot';
import { Sampler } from '../../../src/sampler/sampler';
import { materialize, Materialized } from '../procfs/fixtures';

const T1 = 1_795_783_433_710;
const T2 = T1 + 1500;
/** The recorded bash (user process) and kthreadd (kernel thread) of the host fixture. */
const BASH = 1086;
const KTHREADD = 2;

function sampler(root: string, times: number[] = [T1, T2]): Sampler {
  const clock = [...times];
  return new Sampler({ root, passwdPath: path.join(root, 'passwd'), threads: false, now: () => clock.shift() ?? NaN, pageSize: 4096 });
}

function proc(snapshot: Snapshot, pid: number): ProcessInfo {
  const p = snapshot.processes.find((q) => q.pid === pid);
  if (!p) assert.fail(`pid ${pid} missing`);
  return p;
}

const io = (read: number, write: number): string =>
  `rchar: 100\nwchar: 200\nsyscr: 3\nsyscw: 4\nread_bytes: ${read}\nwrite_bytes: ${write}\ncancelled_write_bytes: 0\n`;

/** A copy of `host` with the optional files of the bash written in; removed after the test. */
function host(t: { after: (fn: () => void) => void }): Materialized & { write: (file: string, text: string) => void } {
  const m = materialize('host');
  t.after(() => m.cleanup());
  const write = (file: string, text: string): void => fs.writeFileSync(path.join(m.root, String(BASH), file), text);
  const status = fs.readFileSync(path.join(m.root, String(BASH), 'status'), 'utf8').replace(/\nVmSwap:\s*\d+ kB\n/, '\nVmSwap:\t    2048 kB\n');
  write('status', status);
  write('oom_score', '667\n');
  write('oom_score_adj', '-500\n');
  write('io', io(4096, 0));
  return { ...m, write };
}

test('without optional files asked for, swap, OOM and I/O are unknown and none of their files is read', (t) => {
  const m = host(t);
  const s = sampler(m.root);
  let reads = 0;
  for (const method of ['readSwap', 'readInteger', 'readIo'] as const) {
    const original = s.reader[method].bind(s.reader) as (...a: unknown[]) => unknown;
    (s.reader as unknown as Record<string, unknown>)[method] = (...a: unknown[]) => {
      reads++;
      return original(...a);
    };
  }
  const p = proc(s.sample(), BASH);
  assert.deepEqual([p.swap, p.oomScore, p.oomScoreAdj, p.ioReadRate, p.ioWriteRate, p.ioDenied], [undefined, undefined, undefined, undefined, undefined, undefined]);
  assert.equal(reads, 0);
});

test('status asked for: swap is VmSwap in bytes; a kernel thread (no VmSwap line) has none', (t) => {
  const s = sampler(host(t).root);
  s.setProcessFiles(['status']);
  const snap = s.sample();
  assert.equal(proc(snap, BASH).swap, 2048 * 1024);
  assert.equal(proc(snap, KTHREADD).swap, undefined);
  assert.equal(proc(snap, BASH).oomScore, undefined, 'only what was asked for is read');
});

test('oom_score and oom_score_adj asked for: the two numbers, negative adj included', (t) => {
  const s = sampler(host(t).root);
  s.setProcessFiles(['oom_score', 'oom_score_adj']);
  const p = proc(s.sample(), BASH);
  assert.deepEqual([p.oomScore, p.oomScoreAdj], [667, -500]);
});

test('io asked for: no rate on the first scan, then the read_bytes/write_bytes deltas per second', (t) => {
  const m = host(t);
  const s = sampler(m.root);
  s.setProcessFiles(['io']);
  const first = proc(s.sample(), BASH);
  assert.deepEqual([first.ioReadRate, first.ioWriteRate, first.ioDenied], [undefined, undefined, false]);
  m.write('io', io(4096 + 3000, 1_500_000));
  const second = proc(s.sample(), BASH);
  // 1.5 s apart: 3000 B → 2000 B/s, 1.5 MB → 1 MB/s.
  assert.deepEqual([second.ioReadRate, second.ioWriteRate, second.ioDenied], [2000, 1_000_000, false]);
});

test('io of a reused pid (new start time) has no rate, not one across two processes', (t) => {
  const m = host(t);
  const s = sampler(m.root);
  s.setProcessFiles(['io']);
  s.sample();
  const statFile = path.join(m.root, String(BASH), 'stat');
  const stat = fs.readFileSync(statFile, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  fields[19] = String(Number(fields[19]) + 100); // starttime, field 22
  fs.writeFileSync(statFile, `${stat.slice(0, stat.lastIndexOf(')') + 2)}${fields.join(' ')}`);
  m.write('io', io(1_000_000, 0));
  assert.equal(proc(s.sample(), BASH).ioReadRate, undefined);
});

test('io refused (EACCES) is ioDenied with unknown rates, never 0; a missing io file is unknown but not denied', (t) => {
  const m = host(t);
  const s = sampler(m.root);
  s.setProcessFiles(['io']);
  const readIo = s.reader.readIo.bind(s.reader);
  s.reader.readIo = (pid: number) => (pid === BASH ? 'denied' : readIo(pid));
  s.sample();
  const snap = s.sample();
  const denied = proc(snap, BASH);
  assert.deepEqual([denied.ioReadRate, denied.ioWriteRate, denied.ioDenied], [undefined, undefined, true]);
  const noFile = proc(snap, KTHREADD);
  assert.deepEqual([noFile.ioReadRate, noFile.ioDenied], [undefined, false]);
});

test('asking for fewer files stops their reads from the next scan on', (t) => {
  const s = sampler(host(t).root, [T1, T2, T2 + 1500]);
  s.setProcessFiles(['io', 'status']);
  s.sample();
  assert.ok(proc(s.sample(), BASH).ioReadRate !== undefined);
  s.setProcessFiles([]);
  const p = proc(s.sample(), BASH);
  assert.deepEqual([p.swap, p.ioReadRate, p.ioDenied], [undefined, undefined, undefined]);
});
