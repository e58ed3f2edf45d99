/**
 * A process whose executable was deleted after it started (the upgrade case of issue 4): the
 * sampler marks it from the second scan on (the first scan, which the first frame waits for,
 * leaves the exe unread), the `deleted` filter matches it and nothing else of ours, and
 * `--once --filter deleted` lists it.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { Landscape } from '../helpers/landscape';
import { Sampler } from '../../src/sampler/sampler';
import { parseQuery } from '../../src/model/query';
import { samplerOptions } from './live-landscape';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const land = new Landscape();
after(() => land.cleanup());

test('a process whose binary was deleted is marked from the second scan, and `deleted` matches only it', async () => {
  const deleted = await land.deletedBinary();
  const intact = await land.sleeper();
  assert.match(fs.readlinkSync(`/proc/${deleted}/exe`), / \(deleted\)$/, 'the kernel says the exe is deleted');

  const sampler = new Sampler(samplerOptions(false));
  const first = sampler.sample();
  const row = (snapshot: typeof first, pid: number) => {
    const p = snapshot.processes.find((x) => x.pid === pid);
    assert.ok(p, `pid ${pid} sampled`);
    return p;
  };
  assert.equal(row(first, deleted).exeDeleted, undefined, 'the first scan leaves exe unknown');
  const second = sampler.sample();
  assert.equal(row(second, deleted).exeDeleted, true);
  assert.equal(row(second, intact).exeDeleted, false);

  const query = parseQuery('deleted');
  assert.ok(query.ok);
  const matched = second.processes.filter((p) => query.predicate(p, { now: second.time, stuckAfterMs: 5000 })).map((p) => p.pid);
  assert.ok(matched.includes(deleted), `deleted matched ${matched.join(',')}`);
  assert.ok(!matched.includes(intact), 'an intact sleep does not match');
  // A third scan reuses the cached answer: still marked.
  assert.equal(row(sampler.sample(), deleted).exeDeleted, true);
});

test('`proctop --once --filter deleted` lists the process running a deleted binary', async () => {
  const deleted = await land.deletedBinary();
  const intact = await land.sleeper();
  const { stdout } = await promisify(execFile)(path.join(ROOT, 'bin', 'proctop'), ['--once', '--json', '--filter', 'deleted', '--pid', `${deleted},${intact}`], { cwd: ROOT, timeout: 60_000 });
  const rows = (JSON.parse(stdout) as { processes: { pid: number; exeDeleted: boolean | null }[] }).processes;
  assert.deepEqual(rows.map((p) => [p.pid, p.exeDeleted]), [[deleted, true]]);
});
