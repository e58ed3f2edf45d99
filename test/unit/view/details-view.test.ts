/** The details panel's memory line: PSS from smaps_rollup, and what it says when that is refused. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Field, ProcessDetails, SmapsRollup } from '../../../src/kernel/process-details';
import { detailsText } from '../../../src/view/details-view';
import { makeProcess } from '../../helpers/process-fixture';

const unavailable = { ok: false, reason: 'unavailable' } as const;

function details(memory: Field<SmapsRollup>, swap: Field<number>): ProcessDetails {
  return {
    pid: 42, startTicks: 1042, argv: { ok: true, value: ['sleep', '1000'] }, exe: unavailable, cwd: unavailable, state: 'S', wchan: unavailable,
    parentChain: [], children: [], threads: unavailable, startTime: 0, uids: unavailable, gids: unavailable, nice: 0, priority: 20,
    cpusAllowed: unavailable, cgroup: unavailable, namespacesDifferingFromInit: unavailable, openFiles: unavailable, limits: unavailable,
    io: unavailable, memory, swap, oomScore: unavailable, oomScoreAdj: unavailable, contextSwitches: unavailable, tracerPid: unavailable,
  };
}

const memoryLine = (d: ProcessDetails): string | undefined =>
  detailsText({ details: d, previous: undefined, elapsedMs: 0, process: makeProcess({ pid: 42, rss: 5 * 1024 * 1024 }), now: 0 }, 120).find((l) => l.startsWith('memory:'));

test('the memory line gives RSS, PSS with its anon/file/shmem parts and swap from smaps_rollup', () => {
  const m: SmapsRollup = { rss: 1780 * 1024, pss: 242 * 1024, pssAnon: 112 * 1024, pssFile: 130 * 1024, pssShmem: 0, swap: 0, swapPss: 0 };
  assert.equal(memoryLine(details({ ok: true, value: m }, { ok: true, value: 0 })), 'memory: RSS 1.74M  PSS 242.0K (anon 112.0K, file 130.0K, shmem 0B)  swap 0B (PSS 0B)');
});

test('smaps_rollup refused: the line says permission denied for PSS and still gives RSS and VmSwap', () => {
  assert.equal(memoryLine(details({ ok: false, reason: 'permission denied' }, { ok: true, value: 8192 })), 'memory: RSS 5.00M  PSS: permission denied (smaps_rollup)  swap 8.00K');
});

test('the state line says whether the process is traced in words no user name can be mistaken for ("nobody" is a user)', () => {
  const stateLine = (tracerPid: Field<number>): string | undefined =>
    detailsText({ details: { ...details(unavailable, unavailable), tracerPid }, previous: undefined, elapsedMs: 0, process: makeProcess({ pid: 42, user: 'nobody' }), now: 0 }, 120).find((l) => l.startsWith('state:'));
  const untraced = stateLine({ ok: true, value: 0 }) ?? '';
  assert.match(untraced, /traced: no(\s|$)/);
  assert.doesNotMatch(untraced, /nobody/);
  assert.match(stateLine({ ok: true, value: 4242 }) ?? '', /traced: yes, by PID 4242/);
});
