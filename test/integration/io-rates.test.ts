/**
 * Disk I/O rates on the live /proc: a child of ours writes, then reads, a known number of bytes
 * of a file on a disk-backed filesystem, and the compiled Sampler's WRITE/s and READ/s between two
 * scans (a fake clock one second apart, so the rate is the byte count) must show them. Then, as
 * `nobody`, another user's io is `ioDenied` (unknown), never 0. Children are killed by pid.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { ProcessJanitor } from '../helpers/janitor';
import { findExecutable } from '../helpers/landscape-tools';
import { waitFor } from '../helpers/wait';
import { Sampler } from '../../src/sampler/sampler';
import type { ProcessInfo, Snapshot } from '../../src/model/snapshot';

const execFileP = promisify(execFile);
const REPO = path.resolve(__dirname, '..', '..', '..');
const MIB = 1024 * 1024;
const N = 8 * MIB;
const janitor = new ProcessJanitor();
// Under dist/ (the worktree's disk): /tmp may be a tmpfs, where writes never count as storage I/O.
const dir = fs.mkdtempSync(path.join(REPO, 'dist', 'io-rates-'));
after(async () => {
  await janitor.cleanup();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** A child that on `write` writes N bytes to FILE and fsyncs, on `read` reads FILE whole; says `done` each time. */
const CHILD = `
const fs = require('fs');
const file = process.argv[1];
const n = Number(process.argv[2]);
let input = '';
process.stdin.on('data', (d) => {
  input += d;
  for (let i; (i = input.indexOf('\\n')) >= 0; ) {
    const cmd = input.slice(0, i);
    input = input.slice(i + 1);
    if (cmd === 'write') { const fd = fs.openSync(file, 'w'); fs.writeSync(fd, Buffer.alloc(n, 7)); fs.fsyncSync(fd); fs.closeSync(fd); }
    if (cmd === 'read') fs.readFileSync(file);
    process.stdout.write('done\\n');
  }
});
process.stdout.write('ready\\n');`;

function sampler(): Sampler {
  let t = 1_800_000_000_000;
  // One second between scans: the rate in bytes per second is the byte count.
  return new Sampler({ root: '/proc', passwdPath: '/etc/passwd', threads: false, now: () => (t += 1000) });
}

function row(snapshot: Snapshot, pid: number): ProcessInfo {
  const p = snapshot.processes.find((q) => q.pid === pid);
  assert.ok(p, `pid ${pid} in the snapshot`);
  return p;
}

test('a child writing 8 MiB shows WRITE/s of 8 MiB over one second, then reading it back READ/s of 8 MiB', async () => {
  const file = path.join(dir, 'data.bin');
  const child = spawn(process.execPath, ['-e', CHILD, file, String(N)], { stdio: ['pipe', 'pipe', 'inherit'] });
  assert.ok(child.pid);
  janitor.track(child.pid);
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  const said = (count: number): Promise<boolean> => waitFor(() => out.split('\n').filter((l) => l === 'done').length >= count, 20_000, `the child's done #${count}`);
  await waitFor(() => out.includes('ready'), 20_000, 'the child to start');
  const s = sampler();
  s.setProcessFiles(['io']);
  s.sample();
  child.stdin.write('write\n');
  await said(1);
  const wrote = row(s.sample(), child.pid);
  assert.equal(wrote.ioDenied, false);
  // write_bytes counts pages as they are dirtied: N exactly, plus the odd page of node's own.
  assert.ok(wrote.ioWriteRate !== undefined && wrote.ioWriteRate >= N && wrote.ioWriteRate <= N + MIB, `WRITE/s ${String(wrote.ioWriteRate)} for ${N} bytes`);
  // Drop the file's pages from the page cache (GNU dd: count=0 with nocache advises the whole file), so the read goes to disk.
  const drop = spawnSync('dd', [`if=${file}`, 'iflag=nocache', 'count=0', 'status=none']);
  assert.equal(drop.status, 0, String(drop.stderr));
  child.stdin.write('read\n');
  await said(2);
  const read = row(s.sample(), child.pid);
  assert.ok(read.ioReadRate !== undefined && read.ioReadRate >= N / 2 && read.ioReadRate <= N + MIB, `READ/s ${String(read.ioReadRate)} for ${N} bytes read after the cache was dropped`);
  assert.ok(read.ioWriteRate !== undefined && read.ioWriteRate < MIB, `nothing written meanwhile: ${String(read.ioWriteRate)}`);
});

test('as nobody: a root process\'s io is denied (rates unknown), nobody\'s own is read', async (t) => {
  const setpriv = findExecutable('setpriv');
  if (process.getuid?.() !== 0 || setpriv === undefined) return t.skip(setpriv === undefined ? 'setpriv is not installed' : 'needs root to switch to nobody');
  const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'proctop-io-nobody-'));
  t.after(() => fs.rmSync(copy, { recursive: true, force: true }));
  fs.chmodSync(copy, 0o755);
  fs.cpSync(path.join(__dirname, '..', '..', 'src'), path.join(copy, 'src'), { recursive: true });
  const script = `
    const { Sampler } = require(process.argv[1] + '/src/sampler/sampler.js');
    let t = 0;
    const s = new Sampler({ root: '/proc', passwdPath: '/etc/passwd', threads: false, now: () => (t += 1000) });
    s.setProcessFiles(['io']);
    s.sample();
    const rows = s.sample().processes.filter((p) => p.pid === Number(process.argv[2]) || p.pid === process.pid);
    process.stdout.write(JSON.stringify(rows.map((p) => ({ pid: p.pid, denied: p.ioDenied, read: p.ioReadRate ?? null }))));`;
  const { stdout } = await execFileP(setpriv, ['--reuid=nobody', '--regid=nogroup', '--clear-groups', process.execPath, '-e', script, copy, String(process.pid)], { cwd: copy, timeout: 30_000 });
  const rows = JSON.parse(stdout) as { pid: number; denied: boolean; read: number | null }[];
  const root = rows.find((r) => r.pid === process.pid);
  const own = rows.find((r) => r.pid !== process.pid);
  assert.deepEqual(root && { denied: root.denied, read: root.read }, { denied: true, read: null }, 'the test runner (root) is not nobody\'s to read');
  assert.ok(own && own.denied === false && own.read !== null, `nobody's own process: ${JSON.stringify(own)}`);
});
