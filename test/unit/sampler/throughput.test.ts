/** The sampler's disk and network rates (issue 10 item 13) from a fixture root whose diskstats and net/dev change between scans. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Sampler } from '../../../src/sampler/sampler';
import { REPO_ROOT, scenario, tempDir } from '../procfs/fixtures';

const THROUGHPUT = path.join(REPO_ROOT, 'test', 'fixtures', 'throughput');
const T1 = 1_795_783_433_710;

function withRoot(run: (root: string, put: (diskstats: string, netDev: string) => void) => void): void {
  const { dir, cleanup } = tempDir();
  try {
    const root = path.join(dir, 'proc');
    fs.cpSync(scenario('basic'), root, { recursive: true });
    fs.mkdirSync(path.join(root, 'net'));
    run(root, (diskstats, netDev) => {
      fs.copyFileSync(path.join(THROUGHPUT, diskstats), path.join(root, 'diskstats'));
      fs.copyFileSync(path.join(THROUGHPUT, netDev), path.join(root, 'net', 'dev'));
    });
  } finally {
    cleanup();
  }
}

test('disk and net rates come from the second scan on, over the scans\' interval', () => {
  withRoot((root, put) => {
    const clock = [T1, T1 + 2000];
    const sampler = new Sampler({ root, passwdPath: path.join(root, 'passwd'), threads: false, now: () => clock.shift() ?? NaN, pageSize: 4096 });
    put('live-diskstats-1', 'live-net-dev-1');
    const first = sampler.sample();
    assert.equal(first.system.disk, undefined);
    assert.equal(first.system.net, undefined);
    assert.deepEqual(first.ratesNext, { disk: true, net: true }, 'the first scan says both rates come with the next');
    put('live-diskstats-2', 'live-net-dev-2');
    const second = sampler.sample();
    assert.equal(second.ratesNext, undefined);
    assert.deepEqual(second.system.disk, { read: ((8_713_954 - 8_713_650) * 512) / 2, write: (8 * 2 ** 20) / 2, disks: 1 });
    assert.deepEqual(second.system.net, { rx: 75, tx: 75, interfaces: 3 });
  });
});

test('a root without diskstats or net/dev has no disk or net rate, nor says one comes (the meters stay hidden)', () => {
  const clock = [T1, T1 + 1000];
  const sampler = new Sampler({ root: scenario('basic'), passwdPath: path.join(scenario('basic'), 'passwd'), threads: false, now: () => clock.shift() ?? NaN, pageSize: 4096 });
  assert.equal(sampler.sample().ratesNext, undefined, 'no rate is promised from files that are not there');
  const second = sampler.sample();
  assert.equal(second.system.disk, undefined);
  assert.equal(second.system.net, undefined);
});
