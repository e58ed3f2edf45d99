/** The details panel on a frame from the past: the frame's recorded fields, and what no frame holds. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { detailsDialog, detailsText, DetailsInput } from '../../../src/view/details-view';
import { NOT_RECORDED } from '../../../src/view/recorded-details';
import { ProcessInfo } from '../../../src/model/snapshot';
import { lineText } from '../../../src/view/view-model';
import { makeProcess } from '../../helpers/process-fixture';

const FRAME_TIME = Date.UTC(2026, 11, 5, 3, 2, 10);

const init = makeProcess({ pid: 1, name: 'systemd', command: '/sbin/init' });
const shell = makeProcess({ pid: 300, ppid: 1, name: 'bash', command: '-bash' });
const parent = makeProcess({
  pid: 4242, ppid: 300, pgid: 4200, sid: 300, tty: 'pts/3', state: 'Z', name: 'leaky', command: 'leaky --workers 8',
  uid: 1000, user: 'alice', cpu: 12.5, cpuTime: 83.25, cpuTicks: 8325, rss: 5 * 1024 * 1024, vsz: 200 * 1024 * 1024, shared: 1024 * 1024, mem: 0.4,
  threads: 7, nice: 5, priority: 25, wchan: 'do_exit', stateSince: FRAME_TIME - 134_000, startTime: FRAME_TIME - 3_600_000,
  cgroup: '/system.slice/leaky.service', unit: 'leaky.service', swap: undefined,
});
const kid = makeProcess({ pid: 4243, ppid: 4242, state: 'Z', name: 'worker' });

function input(p: ProcessInfo | undefined, pid: number, processes: readonly ProcessInfo[] = [init, shell, parent, kid]): DetailsInput {
  return { details: undefined, previous: undefined, elapsedMs: 0, process: p, now: FRAME_TIME, tzOffset: 0, past: { time: FRAME_TIME, processes, pid } };
}

test('in the past the panel shows the fields the frame recorded: identity, state and its age, ids, user, CPU, memory, threads, nice, wchan, cgroup, command', () => {
  const text = detailsText(input(parent, 4242), 100).join('\n');
  assert.match(text, /^Recorded in the frame of 2026-12-05 03:02:10 \+00:00/);
  assert.match(text, /^ {2}leaky --workers 8$/m);
  assert.match(text, /state: Z \(zombie\) for 2m14s {3}wchan: do_exit/);
  assert.match(text, /PID 4242 {3}start ticks 5242 {3}PPID 300 {3}PGID 4200 {3}SID 300 {3}TTY pts\/3/);
  assert.match(text, /parents: 300 bash ← 1 systemd/);
  assert.match(text, /children \(1\): 4243 worker Z/);
  assert.match(text, /started: 2026-12-05 02:02:10 \+00:00 \(1h00m before the frame\)/);
  assert.match(text, /user: alice {3}uid: 1000/);
  assert.match(text, /CPU: 12\.5% {3}CPU time: 1:23\.25 {3}threads: 7 {3}nice: 5 {3}priority: 25/);
  assert.match(text, /memory: RSS 5\.00M {3}virtual 200\.0M {3}shared 1\.00M {3}MEM 0\.4% {3}swap not recorded/);
  assert.match(text, /cgroup: \/system\.slice\/leaky\.service {3}unit leaky\.service/);
});

test('in the past the panel says plainly what no frame records (files, environment, PSS …) and reads none of it', () => {
  const text = detailsText(input(parent, 4242), 400);
  const last = text[text.length - 1] ?? '';
  assert.match(last, /^Not recorded \(read from \/proc live only\): /);
  for (const what of ['open files', 'environment', 'PSS (smaps_rollup)', 'limits', 'exe', 'cwd']) assert.ok(last.includes(what), what);
  assert.ok(NOT_RECORDED.every((w) => last.includes(w)));
  assert.ok(!text.some((l) => /process is gone/.test(l)), 'not the live panel\'s "gone" line');
});

test('a process the frame does not hold (stepped to before it started or after it exited) is said to be missing from that frame', () => {
  const text = detailsText(input(undefined, 4242, [init, shell]), 100);
  assert.deepEqual(text, ['PID 4242 is not in the frame of 2026-12-05 03:02:10 +00:00: it had not started yet, or had exited by then.']);
  assert.equal(detailsDialog(input(undefined, 4242, [init]), 0, 80, 24).title, 'PID 4242 ');
});

test('hostile recorded text (escape sequences in the command, the name and the cgroup) is sanitized in the panel', () => {
  const evil = makeProcess({ pid: 66, ppid: 1, name: 'x\x1b]0;owned\x07', command: 'evil \x1b[2J\x1b[31mred \x9b1m', cgroup: '/a\x1b[5mb', wchan: 'w\x07' });
  const dialog = detailsDialog(input(evil, 66, [init, evil]), 0, 100, 40);
  const all = [dialog.title, ...dialog.lines.map(lineText)].join('\n');
  // eslint-disable-next-line no-control-regex
  assert.doesNotMatch(all, /[\x00-\x08\x0b-\x1f\x7f-\x9f]/);
  assert.match(all, /evil .*red/);
});

test('fields a frame may lack (RSS unreadable, CPU on first sight, no cgroup read) are "not recorded", never 0', () => {
  const bare = makeProcess({ pid: 70, rss: undefined, cpu: undefined, shared: undefined, mem: undefined, cgroup: undefined });
  const text = detailsText(input(bare, 70, [bare]), 200).join('\n');
  assert.match(text, /CPU: not recorded/);
  assert.match(text, /RSS not recorded/);
  assert.match(text, /cgroup: not recorded \(cgroups were not being read\)/);
  assert.match(text, /parents: \(none\)/);
});
