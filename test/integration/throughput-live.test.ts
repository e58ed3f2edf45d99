/**
 * Disk and network meters on the live /proc (issue 10 item 13). dd writes, then reads, 16 MiB
 * with O_DIRECT (no page cache: the bytes reach the disk before dd exits) to a file on the
 * worktree's disk between two scans of the compiled Sampler, whose fake clock puts the scans one
 * second apart, so the rate is the byte count: at least 16 MiB must show (other writers only add).
 * Network: lo is excluded, so no loopback transfer can raise the meter; rather than make a veth or
 * dummy pair (root, netns) to have a counted interface move, the parsers and rates are tested on
 * recorded and hand-made net/dev files (test/unit/procfs/throughput.test.ts), and here 64 MiB sent
 * over loopback moves lo's counters while the meter counts less than that.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { Sampler } from '../../src/sampler/sampler';
import { parseNetDev } from '../../src/procfs/parse/net-dev';
import { findExecutable } from '../helpers/landscape-tools';

const REPO = path.resolve(__dirname, '..', '..', '..');
const MIB = 1024 * 1024;
// Under dist/ (the worktree's disk): /tmp may be a tmpfs, which takes no O_DIRECT and reaches no disk.
const dir = fs.mkdtempSync(path.join(REPO, 'dist', 'throughput-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

function sampler(): Sampler {
  let t = 1_800_000_000_000;
  return new Sampler({ root: '/proc', passwdPath: '/etc/passwd', threads: false, now: () => (t += 1000) });
}

const dd = findExecutable('dd');

test('an O_DIRECT write, then read, of 16 MiB shows in the disk meter\'s write, then read, bytes per second', { skip: dd === undefined ? 'no dd' : false }, () => {
  const file = path.join(dir, 'direct');
  const s = sampler();
  s.sample();
  const w = spawnSync(dd ?? 'dd', ['if=/dev/zero', `of=${file}`, 'bs=1M', 'count=16', 'oflag=direct', 'status=none'], { encoding: 'utf8' });
  assert.equal(w.status, 0, w.stderr);
  const afterWrite = s.sample().system.disk;
  assert.ok(afterWrite, 'a disk rate from the second scan on');
  assert.ok(afterWrite.disks >= 1, `disks counted: ${afterWrite.disks}`);
  assert.ok(afterWrite.write >= 16 * MIB, `write ${afterWrite.write} B/s over a 1 s interval`);
  const r = spawnSync(dd ?? 'dd', [`if=${file}`, 'of=/dev/null', 'bs=1M', 'iflag=direct', 'status=none'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const afterRead = s.sample().system.disk;
  assert.ok(afterRead && afterRead.read >= 16 * MIB, `read ${afterRead?.read} B/s over a 1 s interval`);
});

function loBytes(): number {
  const parsed = parseNetDev(fs.readFileSync('/proc/net/dev', 'utf8'));
  assert.ok(parsed.ok);
  return parsed.value.find((i) => i.name === 'lo')?.rxBytes ?? NaN;
}

/** Sends `bytes` over a loopback TCP connection and resolves when the receiver has them all. */
async function overLoopback(bytes: number): Promise<void> {
  let got = 0;
  const server = net.createServer((socket) => socket.on('data', (d) => (got += d.length)));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  const client = net.connect(port, '127.0.0.1');
  const chunk = Buffer.alloc(MIB, 1);
  for (let sent = 0; sent < bytes; sent += chunk.length) {
    if (!client.write(chunk)) await new Promise((resolve) => client.once('drain', resolve));
  }
  while (got < bytes) await new Promise((resolve) => setTimeout(resolve, 10));
  client.destroy();
  await new Promise((resolve) => server.close(resolve));
}

test('64 MiB over loopback moves lo\'s counters but not the network meter (lo is not counted)', async () => {
  const s = sampler();
  s.sample();
  const before = loBytes();
  await overLoopback(64 * MIB);
  const moved = loBytes() - before;
  const meter = s.sample().system.net;
  assert.ok(moved >= 64 * MIB, `lo received ${moved} bytes`);
  assert.ok(meter, 'a network rate from the second scan on');
  assert.ok(meter.rx < 64 * MIB && meter.tx < 64 * MIB, `meter rx ${meter.rx} tx ${meter.tx} B/s`);
});
