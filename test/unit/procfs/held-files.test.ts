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
  /** Text of a file in place of the default one, by `pid/file`. */
  readonly texts = new Map<string, string>();
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
    return buffer.write(this.texts.get(`${f.pid}/${f.file}`) ?? (f.file === 'stat' ? statText(f.pid, f.start) : '100 20 10 1 0 30 0\n'));
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

test('unchanged bytes give back the record parsed last time; any changed byte or length parses anew', () => {
  const { kernel, held } = setup(100, [7]);
  const read = () => {
    held.beginScan();
    const r = { stat: held.readStat(7), statm: held.readStatm(7) };
    held.endScan();
    return r;
  };
  const first = read();
  const again = read();
  assert.equal(again.stat, first.stat, 'the same stat record object');
  assert.equal(again.statm, first.statm, 'the same statm record object');
  // utime 0 -> 5: same length, one byte differs.
  kernel.texts.set('7/stat', statText(7, 1007).replace(' 90 0 0 0 0 0 ', ' 90 0 0 0 5 0 '));
  kernel.texts.set('7/statm', '100 21 10 1 0 30 0\n');
  const changed = read();
  assert.notEqual(changed.stat, first.stat);
  assert.equal(changed.stat?.utime, 5);
  assert.equal(changed.statm?.resident, 21);
  // Longer (a counter gained digits, past the room kept), then back to the first text.
  kernel.texts.set('7/stat', statText(7, 1007).replace(' 90 0 0 0 0 0 ', ' 9000000 0 0 0 123456789 987654321 '));
  const longer = read().stat;
  assert.equal(longer?.utime, 123456789);
  assert.equal(longer?.stime, 987654321);
  assert.equal(longer?.minflt, 9000000);
  kernel.texts.delete('7/stat');
  kernel.texts.delete('7/statm');
  const back = read();
  assert.deepEqual(back.stat, first.stat);
  assert.equal(back.stat?.utime, 0);
  assert.equal(back.statm?.resident, 20);
});

test('a pid reused between scans never gets the record of the process before', () => {
  const { kernel, held } = setup(100, [7]);
  held.beginScan();
  assert.equal(held.readStat(7)?.startTicks, 1007);
  held.endScan();
  kernel.procs.set(7, 5000);
  held.beginScan();
  assert.equal(held.readStat(7)?.startTicks, 5000);
  held.endScan();
});

test('unparsable bytes read as undefined every time, then parse once valid', () => {
  const { kernel, held } = setup(100, [7]);
  kernel.texts.set('7/stat', 'garbage\n');
  for (let i = 0; i < 2; i++) {
    held.beginScan();
    assert.equal(held.readStat(7), undefined);
    held.endScan();
  }
  kernel.texts.delete('7/stat');
  held.beginScan();
  assert.equal(held.readStat(7)?.pid, 7);
  held.endScan();
});
