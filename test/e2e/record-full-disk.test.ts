/**
 * `proctop record` on a small tmpfs that fills up: it says so once, keeps sampling into memory,
 * never damages a frame already written, and writes what it kept once space is freed.
 * Needs root to mount; skips saying why otherwise.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { waitFor } from '../helpers/wait';
import { HistoryReader } from '../../src/history/store-reader';

const REPO = path.resolve(__dirname, '..', '..', '..');
const BIN = path.join(REPO, 'bin', 'proctop');

function frameTimes(dir: string): { times: number[]; warnings: string[] } {
  const opened = HistoryReader.open(dir);
  if (!opened.ok) return { times: [], warnings: [opened.message] };
  const times = opened.store.frames.filter((f) => opened.store.read(f) !== undefined).map((f) => f.time);
  opened.store.close();
  return { times, warnings: opened.store.warnings };
}

/** Writes zeros until the file system is full; returns the filler's path. */
function fill(dir: string): string {
  const filler = path.join(dir, 'filler');
  const fd = fs.openSync(filler, 'w');
  const chunk = Buffer.alloc(4096);
  try {
    for (;;) fs.writeSync(fd, chunk);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
  } finally {
    fs.closeSync(fd);
  }
  return filler;
}

test('a full disk: reported once, sampling goes on, no written frame lost, writing resumes when space returns', async (t) => {
  const mount = fs.mkdtempSync(path.join(os.tmpdir(), 'proctop-tmpfs-'));
  // One clean-up, in order: the recorder (by its pid), the mount, the directory.
  const cleanups: (() => void)[] = [];
  t.after(() => {
    for (const c of cleanups.reverse()) c();
  });
  cleanups.push(() => fs.rmSync(mount, { recursive: true, force: true }));
  if (process.getuid?.() !== 0) return t.skip('needs root to mount a tmpfs');
  const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=1m,mode=0700', 'tmpfs', mount], { encoding: 'utf8' });
  if (mounted.status !== 0) return t.skip(`mount refused: ${(mounted.stderr || mounted.error?.message || '').trim()}`);
  const store = path.join(mount, 'store');
  const child = spawn(BIN, ['record', '--interval', '0.2', '--dir', store], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  // Lazily when the recorder, just killed, still holds a file open there.
  cleanups.push(() => spawnSync('umount', [mount]).status === 0 || spawnSync('umount', ['-l', mount]));
  cleanups.push(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });

  await waitFor(() => frameTimes(store).times.length >= 3, 15_000, 'three frames before the disk fills');
  const filler = fill(mount);
  const fullFrom = Date.now();
  await waitFor(() => /ENOSPC/.test(err), 15_000, 'the ENOSPC report');
  const before = frameTimes(store);
  // Ten more intervals on a full disk: sampling goes on, nothing more is said.
  await waitFor(() => Date.now() - fullFrom > 2000 && child.exitCode === null, 5000, 'two seconds on a full disk');
  assert.equal(err.match(/cannot write/g)?.length, 1, err);
  const freedAt = Date.now();
  fs.rmSync(filler);
  await waitFor(() => /again/.test(err), 15_000, 'the recorder to write again');
  await waitFor(() => frameTimes(store).times.some((time) => time > freedAt + 400), 15_000, 'frames after the disk was freed');
  child.kill('SIGTERM');
  assert.equal(await exited, 0);

  const after = frameTimes(store);
  assert.deepEqual(after.warnings, [], 'no damaged record');
  for (const time of before.times) assert.ok(after.times.includes(time), `frame ${time} written before the disk filled is still there`);
  const whileFull = after.times.filter((time) => time > fullFrom + 400 && time < freedAt);
  assert.ok(whileFull.length >= 5, `frames taken while the disk was full were kept and written (${whileFull.length})`);
  assert.equal(err.match(/cannot write/g)?.length, 1, 'reported once');
});
