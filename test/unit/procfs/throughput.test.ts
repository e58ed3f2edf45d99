/**
 * Disk and network meters (issue 10 item 13): the /proc/diskstats and /proc/net/dev parsers and
 * the rates between two reads, on files recorded on this VM (live-*) and made by hand
 * (test/fixtures/throughput/: layered devices, the pre-4.18 format, 32-bit wraps, restarted
 * counters, devices appearing and disappearing).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DiskCounters, parseDiskstats, wholeDisks } from '../../../src/procfs/parse/diskstats';
import { countedInterfaces, NetCounters, parseNetDev } from '../../../src/procfs/parse/net-dev';
import { counterDelta, diskRate, netRate } from '../../../src/sampler/throughput';
import { REPO_ROOT } from './fixtures';

const DIR = path.join(REPO_ROOT, 'test', 'fixtures', 'throughput');
const text = (name: string): string => fs.readFileSync(path.join(DIR, name), 'utf8');

function disks(name: string): DiskCounters[] {
  const parsed = parseDiskstats(text(name));
  assert.ok(parsed.ok, name);
  return parsed.value;
}

function nets(name: string): NetCounters[] {
  const parsed = parseNetDev(text(name));
  assert.ok(parsed.ok, name);
  return parsed.value;
}

test('recorded diskstats: every device, vda counted alone (loop and zram left out)', () => {
  const all = disks('live-diskstats-1');
  assert.deepEqual(all.map((d) => d.name), ['loop0', 'loop1', 'loop2', 'loop3', 'loop4', 'loop5', 'loop6', 'loop7', 'vda', 'zram0']);
  assert.deepEqual(wholeDisks(all).map((d) => d.name), ['vda']);
  assert.deepEqual(all[8], { name: 'vda', sectorsRead: 8_713_650, sectorsWritten: 34_476_856 });
});

test('recorded diskstats a second apart around an 8 MiB O_DIRECT write: 8 MiB/s written', () => {
  const rate = diskRate(disks('live-diskstats-1'), disks('live-diskstats-2'), 1000);
  assert.deepEqual(rate, { read: (8_713_954 - 8_713_650) * 512, write: 8 * 2 ** 20, disks: 1 });
});

test('whole disks: partitions (sda1, nvme0n1p1, mmcblk0p1, md0p1) and loop, ram, zram, dm, md are left out; nvme0n10 and sdaa are disks', () => {
  assert.deepEqual(wholeDisks(disks('layered-diskstats')).map((d) => d.name), ['sda', 'nvme0n1', 'nvme0n10', 'mmcblk0', 'sdaa', 'sr0']);
});

test('the pre-4.18 diskstats format (14 fields) parses; malformed lines are skipped', () => {
  assert.deepEqual(disks('old-format-diskstats'), [{ name: 'sda', sectorsRead: 1000, sectorsWritten: 2000 }, { name: 'sda1', sectorsRead: 1000, sectorsWritten: 2000 }]);
});

test('diskstats with no device line is an error; an empty file is no device', () => {
  assert.equal(parseDiskstats('garbage\nmore garbage\n').ok, false);
  assert.deepEqual(parseDiskstats(''), { ok: true, value: [] });
});

test('a 32-bit counter that wrapped counts the wrapped step; one that restarted (device re-added) is left out', () => {
  // sda wrapped: 1000 sectors read, 2704 written; sdb went from 1e9 to 50 (restarted); sdc moved 2048/4096.
  assert.deepEqual(diskRate(disks('wrap-diskstats-1'), disks('wrap-diskstats-2'), 1000), { read: (1000 + 2048) * 512, write: (2704 + 4096) * 512, disks: 3 });
});

test('counterDelta: forward, 32-bit wrap, restart', () => {
  assert.equal(counterDelta(5, 9), 4);
  assert.equal(counterDelta(2 ** 32 - 10, 5), 15);
  assert.equal(counterDelta(1_000_000_000, 50), undefined);
  assert.equal(counterDelta(2 ** 40, 3), undefined, 'a 64-bit counter never wraps in practice: backwards is a restart');
});

test('a disk that disappeared is dropped, one that appeared has no step until the next read', () => {
  assert.deepEqual(diskRate(disks('hotplug-diskstats-1'), disks('hotplug-diskstats-2'), 2000), { read: (2048 * 512) / 2, write: (4096 * 512) / 2, disks: 2 });
});

test('no rate without two reads or a positive interval', () => {
  assert.equal(diskRate(undefined, disks('live-diskstats-1'), 1000), undefined);
  assert.equal(diskRate(disks('live-diskstats-1'), disks('live-diskstats-2'), 0), undefined);
  assert.equal(netRate(nets('net-dev-1'), undefined, 1000), undefined);
});

test('recorded net/dev: lo, ifb0, ifb1, eth0; lo is not counted', () => {
  const all = nets('live-net-dev-1');
  assert.deepEqual(all.map((i) => i.name), ['lo', 'ifb0', 'ifb1', 'eth0']);
  assert.deepEqual(countedInterfaces(all).map((i) => i.name), ['ifb0', 'ifb1', 'eth0']);
  assert.deepEqual(all[3], { name: 'eth0', rxBytes: 2_280_012_844, txBytes: 15_223_605 });
});

test('recorded net/dev a second apart: eth0 moved 150 bytes each way, lo\'s traffic is not counted', () => {
  assert.deepEqual(netRate(nets('live-net-dev-1'), nets('live-net-dev-2'), 1000), { rx: 150, tx: 150, interfaces: 3 });
});

test('net/dev: lo excluded, eth0\'s receive counter wrapped, eth1 restarted, veth gone, docker0 new', () => {
  assert.deepEqual(netRate(nets('net-dev-1'), nets('net-dev-2'), 1000), { rx: 4296 + 1024, tx: 2048 + 2048, interfaces: 4 });
});

test('net/dev: the header alone is an error; a short line is skipped', () => {
  const header = text('net-dev-1').split('\n').slice(0, 2).join('\n');
  assert.equal(parseNetDev(header).ok, false);
  assert.deepEqual(parseNetDev(`${header}\n  eth0: 1 2 3\n  eth1: 1 0 0 0 0 0 0 0 2 0 0 0 0 0 0 0\n`), { ok: true, value: [{ name: 'eth1', rxBytes: 1, txBytes: 2 }] });
});
