/**
 * HeldFiles over a fake descriptor layer that behaves as procfs does: a descriptor stays bound to
 * the process it was opened on; once that process is reaped, pread fails with ESRCH, even when
 * another process has taken its pid since.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FdCalls, FD_RESERVE, HeldFiles, heldFdCap, MAX_HELD_FDS } from '../../../src/procfs/held-files';

const statText = (pid: number, start: number): string =>
  `${pid} (sleep) S 1 ${pid} ${pid} 0 -1 4194304 90 0 0 0 0 0 0 0 20 0 1 0 ${start} 2400000 200 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 0 0 0 0 0 0 1 1 1 1 1 1 1 0\n`;

/** A fake kernel: processes by pid, each with a start time (its incarnation); fds bound to one incarnation. */
class FakeKernel implements FdCalls {
  readonly procs = new Map<number, number>();
  readonly fds = new Map<number, { pid: number; start: number; file: string }>();
  opens = 0;
  closes: number[] = [];
  /** Open fails with EMFILE while more than this many fds are open. */
  fdLimit = Infinity;
  /** pread of a live process returns 0 bytes (instead of its text) for these pids. */
  readonly empty = new Set<number>();
  private next = 3;

  open(path: string): number {
    this.opens++;
    const m = /^\/proc\/(\d+)\/(stat|statm)$/.exec(path);
    const pid = m ? Number(m[1]) : NaN;
    const start = this.procs.get(pid);
    if (!m || start === undefined) throw Object.assign(new Error('ENOENT'), { code: 'ENOENT' });
    if (this.fds.size >= this.fdLimit) throw Object.assign(new Error('EMFILE'), { code: 'EMFILE' });
    const fd = this.next++;
    this.fds.set(fd, { pid, start, file: m[2] as string });
    return fd;
  }

  pread(fd: number, buffer: Buffer): number {
    const f = this.fds.get(fd);
    if (f === undefined) throw Object.assign(new Error('EBADF'), { code: 'EBADF' });
    if (this.procs.get(f.pid) !== f.start) throw Object.assign(new Error('ESRCH'), { code: 'ESRCH' });
    if (this.empty.has(f.pid)) return 0;
    return buffer.write(f.file === 'stat' ? statText(f.pid, f.start) : '100 20 10 1 0 30 0\n');
  }

  close(fd: number): void {
    if (!this.fds.delete(fd)) throw Object.assign(new Error('EBADF'), { code: 'EBADF' });
    this.closes.push(fd);
  }
}

function setup(cap: number, pids: readonly number[]): { kernel: FakeKernel; held: HeldFiles; scan: (list?: readonly number[]) => (number | undefined)[] } {
  const kernel = new FakeKernel();
  for (const pid of pids) kernel.procs.set(pid, 1000 + pid);
  const held = new HeldFiles('/proc', cap, kernel);
  const scan = (list: readonly number[] = [...kernel.procs.keys()]): (number | undefined)[] => {
    held.beginScan();
    const starts = list.map((pid) => held.readStat(pid)?.startTicks);
    held.endScan();
    return starts;
  };
  return { kernel, held, scan };
}

test('a second scan re-reads the held descriptors: no open at all', () => {
  const { kernel, held, scan } = setup(100, [10, 11, 12]);
  scan();
  assert.equal(kernel.opens, 3);
  assert.deepEqual(scan(), [1010, 1011, 1012]);
  assert.equal(kernel.opens, 3);
  assert.equal(held.held, 3);
});

test('a reaped process fails its pread (ESRCH): its descriptor is closed and it reads as gone', () => {
  const { kernel, held, scan } = setup(100, [10, 11]);
  scan();
  kernel.procs.delete(11);
  assert.equal(held.readStat(11), undefined);
  assert.equal(held.held, 1);
  assert.equal(kernel.fds.size, 1);
});

test('a pid reused between scans reads the new process through a new descriptor, never the old one', () => {
  const { kernel, held, scan } = setup(100, [10]);
  scan();
  const [oldFd] = kernel.fds.keys();
  kernel.procs.set(10, 5555); // reaped, and the pid taken by a process started later
  assert.deepEqual(scan(), [5555]);
  assert.deepEqual(kernel.closes, [oldFd]);
  assert.equal(held.held, 1);
  assert.equal([...kernel.fds.values()][0]?.start, 5555);
});

test('a pread that returns 0 bytes drops the descriptor and opens the path again', () => {
  const { kernel, held, scan } = setup(100, [10]);
  scan();
  kernel.empty.add(10);
  assert.deepEqual(scan(), [undefined]);
  assert.equal(held.held, 0);
  assert.equal(kernel.fds.size, 0);
});

test('the statm descriptor of a reaped process is closed with its stat one', () => {
  const { kernel, held } = setup(100, [10]);
  held.beginScan();
  held.readStat(10);
  assert.equal(held.readStatm(10)?.resident, 20);
  assert.equal(held.held, 2);
  kernel.procs.set(10, 7777);
  held.readStat(10);
  assert.equal(held.held, 1, 'the new process holds its stat only');
  assert.ok([...kernel.fds.values()].every((f) => f.start === 7777));
});

test('a process the scan did not read loses its descriptors at the end of the scan', () => {
  const { kernel, held, scan } = setup(100, [10, 11, 12]);
  scan();
  scan([10, 12]);
  assert.equal(held.held, 2);
  assert.deepEqual([...kernel.fds.values()].map((f) => f.pid).sort(), [10, 12]);
});

test('past the cap a read opens, reads and closes, with the same result', () => {
  const { kernel, held, scan } = setup(2, [10, 11, 12, 13]);
  assert.deepEqual(scan(), [1010, 1011, 1012, 1013]);
  assert.equal(held.held, 2);
  assert.equal(kernel.fds.size, 2);
  assert.deepEqual(scan(), [1010, 1011, 1012, 1013]);
  assert.equal(kernel.opens, 6, 'two held, two opened again');
});

test('a cap of 0 holds nothing', () => {
  const { kernel, held, scan } = setup(0, [10, 11]);
  assert.deepEqual(scan(), [1010, 1011]);
  assert.equal(held.held, 0);
  assert.equal(kernel.fds.size, 0);
});

test('EMFILE on open shrinks the cap, closes descriptors and still reads the file', () => {
  const pids = Array.from({ length: 100 }, (_, i) => 100 + i);
  const { kernel, held, scan } = setup(1000, pids);
  kernel.fdLimit = 40;
  const starts = scan();
  assert.deepEqual(starts, pids.map((p) => 1000 + p), 'every process read');
  assert.ok(held.cap < 40, `cap ${held.cap} shrunk below the limit`);
  assert.ok(held.held <= held.cap);
  assert.equal(kernel.fds.size, held.held);
  assert.deepEqual(scan(), pids.map((p) => 1000 + p), 'and on the next scan');
});

test('ENFILE is handled as EMFILE', () => {
  const { kernel, held, scan } = setup(1000, [10, 11, 12]);
  let fail = 1;
  const open = kernel.open.bind(kernel);
  kernel.open = (path: string): number => {
    if (fail-- > 0) throw Object.assign(new Error('ENFILE'), { code: 'ENFILE' });
    return open(path);
  };
  assert.deepEqual(scan(), [1010, 1011, 1012]);
  assert.equal(held.cap, 0, 'nothing was held to give back: hold none');
});

test('close() closes every descriptor, and reads after it hold none', () => {
  const { kernel, held, scan } = setup(100, [10, 11]);
  scan();
  held.readStatm(10);
  held.close();
  assert.equal(kernel.fds.size, 0);
  assert.equal(held.held, 0);
  assert.deepEqual(scan(), [1010, 1011]);
  assert.equal(kernel.fds.size, 0);
});

test('heldFdCap: half the soft limit, with the reserve left, bounded; 0 when unknown', () => {
  assert.equal(heldFdCap(undefined), 0);
  assert.equal(heldFdCap(0), 0);
  assert.equal(heldFdCap(256), 0);
  assert.equal(heldFdCap(1024), 1024 - FD_RESERVE);
  assert.equal(heldFdCap(20_000), 10_000);
  assert.equal(heldFdCap(1_048_576), MAX_HELD_FDS);
});
