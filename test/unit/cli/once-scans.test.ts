/**
 * `--once`'s two scans (src/cli/once.ts twoScans): the first is the CPU baseline and reads stat
 * alone; argv, owners and memory are read right after it, inside the delay, and the second scan
 * takes them from the caches.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { twoScans } from '../../../src/cli/once';
import { openSource } from '../../../src/sampler/source';
import type { Snapshot } from '../../../src/model/snapshot';
import { makeSnapshot } from '../../helpers/process-fixture';
import { materialize } from '../procfs/fixtures';

test('twoScans: stat-only first scan, the rest read before the wait, the wait shortened by it, the second frame returned', async () => {
  const calls: string[] = [];
  let now = 1000;
  const second = makeSnapshot([{ pid: 7 }]);
  const source = {
    sampleFirst: (show: (partial: Snapshot) => Iterable<number>) => {
      calls.push(`first, shown first: [${[...show(makeSnapshot([{ pid: 1 }, { pid: 2 }]))].join(',')}]`);
      now += 30;
      return Promise.resolve({ first: makeSnapshot([{ pid: 1 }]), rest: () => {
        calls.push('rest');
        now += 40;
        return makeSnapshot([{ pid: 1 }]);
      } });
    },
    sample: () => {
      calls.push('second');
      return Promise.resolve(second);
    },
  };
  const wait = (ms: number): Promise<void> => {
    calls.push(`wait ${ms}`);
    now += ms;
    return Promise.resolve();
  };
  assert.equal(await twoScans(source, 1000, wait, () => now), second);
  assert.deepEqual(calls, ['first, shown first: []', 'rest', 'wait 960', 'second']);
  calls.length = 0;
  await twoScans(source, 20, wait, () => now);
  assert.deepEqual(calls, ['first, shown first: []', 'rest', 'wait 0', 'second'], 'reads longer than the delay: no wait at all');
});

test('twoScans on a recorded /proc: the frame of two plain scans, argv and owners read before the wait (the files are gone by the second scan)', async (t) => {
  const m = materialize('basic');
  t.after(m.cleanup);
  const plain = openSource('linux', m.root, path.join(m.root, 'passwd'), false);
  t.after(() => plain.close());
  await plain.sample();
  const expected = await plain.sample();
  const source = openSource('linux', m.root, path.join(m.root, 'passwd'), false);
  t.after(() => source.close());
  let removed = 0;
  const wait = (): Promise<void> => {
    // What the second scan could still read now: no cmdline at all.
    for (const entry of fs.readdirSync(m.root)) {
      const cmdline = path.join(m.root, entry, 'cmdline');
      if (/^\d+$/.test(entry) && fs.existsSync(cmdline)) {
        fs.rmSync(cmdline);
        removed++;
      }
    }
    return Promise.resolve();
  };
  const frame = await twoScans(source, 100, wait, () => 0);
  assert.ok(removed > 5, `${removed} cmdline files removed`);
  const view = (s: Snapshot): unknown[] => s.processes.map((p) => [p.pid, p.user, p.command, p.rss]);
  assert.deepEqual(view(frame), view(expected));
  assert.ok(frame.processes.some((p) => p.command.includes(' ')), 'command lines with arguments, not only names');
});
