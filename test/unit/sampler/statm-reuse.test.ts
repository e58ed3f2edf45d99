/**
 * With `recheckMs` (proctop record), /proc/PID/statm is re-read only when the process's stat shows
 * its memory may have moved, or after that period; without it (the TUI), on every scan.
 * On a writable copy of the basic fixture, with a settable clock.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Sampler } from '../../../src/sampler/sampler';
import { recordRecheckMs } from '../../../src/cli/record';
import { materialize } from '../procfs/fixtures';

const T1 = 1_795_783_433_710;
const PAGE = 4096;
const PID = 1;

function setup(t: { after: (fn: () => void) => void }, recheckMs: number | undefined) {
  const m = materialize('basic');
  t.after(m.cleanup);
  const clock = { now: T1 };
  const sampler = new Sampler({ root: m.root, passwdPath: path.join(m.root, 'passwd'), threads: false, now: () => clock.now, pageSize: PAGE, ...(recheckMs === undefined ? {} : { recheckMs }) });
  const file = (name: string): string => path.join(m.root, String(PID), name);
  /** statm with this resident page count (size and shared as they were). */
  const setResident = (pages: number): void => {
    const [size, , ...rest] = fs.readFileSync(file('statm'), 'utf8').trim().split(' ');
    fs.writeFileSync(file('statm'), `${[size, pages, ...rest].join(' ')}\n`);
  };
  /** stat with field `n` (proc(5) numbering, n >= 3) set to `value`. */
  const setStatField = (n: number, value: number): void => {
    const text = fs.readFileSync(file('stat'), 'utf8');
    const close = text.lastIndexOf(')');
    const fields = text.slice(close + 2).trimEnd().split(' ');
    fields[n - 3] = String(value);
    fs.writeFileSync(file('stat'), `${text.slice(0, close + 2)}${fields.join(' ')}\n`);
  };
  const rss = (): number | undefined => {
    clock.now += 10_000;
    return sampler.sample().processes.find((p) => p.pid === PID)?.rss;
  };
  return { setResident, setStatField, rss, clock };
}

test('with recheckMs, a statm change the stat gives no sign of is not read until the period passes', (t) => {
  const { setResident, rss, clock } = setup(t, recordRecheckMs(10));
  const before = rss();
  setResident(777);
  assert.equal(rss(), before, 'statm not re-read while stat is unchanged');
  clock.now += 2 * recordRecheckMs(10);
  assert.equal(rss(), 777 * PAGE);
});

for (const [field, name] of [[10, 'minflt'], [12, 'majflt'], [14, 'utime'], [23, 'vsize'], [24, 'rss']] as const) {
  test(`with recheckMs, a changed stat ${name} (field ${field}) re-reads statm on that scan`, (t) => {
    const { setResident, setStatField, rss } = setup(t, recordRecheckMs(10));
    rss();
    setResident(777);
    setStatField(field, 123_456);
    assert.equal(rss(), 777 * PAGE);
  });
}

test('without recheckMs (the TUI) statm is read on every scan', (t) => {
  const { setResident, rss } = setup(t, undefined);
  rss();
  setResident(777);
  assert.equal(rss(), 777 * PAGE);
});
