/**
 * The monitor loop on fakes: a painter that keeps frames, a source fed by the test, a clock that
 * moves only when told. No terminal, no /proc, no real timers.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runLoop } from '../../../src/loop/monitor-loop';
import { LoopDeps } from '../../../src/loop/ports';
import { Snapshot } from '../../../src/model/snapshot';
import { FakeActions, FakeClock, FakeExitHooks, FakeSource, FakeTerminal, settle } from '../../helpers/loop-fakes';
import { makeSnapshot, makeUiState } from '../../helpers/process-fixture';
import { lineText } from '../../../src/view/view-model';

const FIRST = makeSnapshot([{ pid: 1, cpu: 1 }, { pid: 20, cpu: 50 }, { pid: 300, name: 'nginx', command: 'nginx: worker', cpu: 5 }]);

interface Rig {
  readonly done: Promise<number>;
  readonly term: FakeTerminal;
  readonly source: FakeSource;
  readonly clock: FakeClock;
  readonly hooks: FakeExitHooks;
  readonly actions: FakeActions;
  readonly errors: string[];
  /** Whether `done` has settled, and with what. */
  result(): number | undefined;
}

function start(over: Partial<LoopDeps> = {}, source = new FakeSource()): Rig {
  const term = new FakeTerminal();
  const clock = new FakeClock();
  const hooks = new FakeExitHooks();
  const actions = new FakeActions();
  const errors: string[] = [];
  let result: number | undefined;
  const done = runLoop({
    source, first: FIRST, openTerminal: term.open, clock, exitHooks: hooks.install, errorOut: (t) => errors.push(t),
    selfPid: 99_999, actions, selfCost: () => ({ cpu: undefined, rss: undefined }), hostname: 'fake-host',
    settingsChanged: () => undefined, configPath: undefined, maxIterations: undefined, initial: makeUiState({ delay: 10 }),
    ...over,
  });
  done.then((code) => { result = code; }, () => undefined);
  return { done, term, source, clock, hooks, actions, errors, result: () => result };
}

const pidsOf = (rows: readonly string[]): number[] => rows.map((r) => Number(r.trim().split(/\s+/)[0]));

test('the first frame is painted at once, from the first snapshot', () => {
  const rig = start();
  assert.equal(rig.term.frames.length, 1);
  assert.deepEqual(pidsOf(rig.term.rows()), [1, 20, 300]);
  assert.equal(rig.hooks.installed, 1);
  rig.hooks.handlers?.terminate();
});

test('the host facts line is held blank until the facts arrive, so nothing below it moves; no facts, no line', async () => {
  for (const facts of ['Debian GNU/Linux 12 · kernel 6.1', undefined]) {
    let give: (f: string | undefined) => void = () => undefined;
    const rig = start({ hostFacts: () => new Promise((resolve) => { give = resolve; }) });
    const header = (): string[] => (rig.term.frames.at(-1)?.vm.header ?? []).map(lineText);
    const before = header();
    assert.equal(before[0]?.trim(), '', `a blank first line while the facts are on their way:\n${before.join('\n')}`);
    await rig.clock.advance(0);
    give(facts);
    await settle();
    const after = header();
    if (facts === undefined) {
      assert.deepEqual(after, before.slice(1), 'no facts: the blank line goes, the meters move up one');
    } else {
      assert.equal(after[0]?.trim(), facts);
      assert.deepEqual(after.slice(1), before.slice(1), 'the meters stay on their rows');
    }
    rig.hooks.handlers?.terminate();
  }
});

test('host facts that fail to come give their blank line back', async () => {
  const rig = start({ hostFacts: () => Promise.reject(new Error('unreadable')) });
  const header = (): string[] => (rig.term.frames.at(-1)?.vm.header ?? []).map(lineText);
  const before = header();
  await rig.clock.advance(0);
  await settle();
  assert.deepEqual(header(), before.slice(1));
  rig.hooks.handlers?.terminate();
});

test('without a host facts source (replay) there is no facts line at all', () => {
  const rig = start();
  const first = (rig.term.frames.at(-1)?.vm.header ?? []).map(lineText);
  assert.match(first[0] ?? '', /\S/);
  rig.hooks.handlers?.terminate();
});

test('P sorts by CPU%: the next paint shows the busiest first', async () => {
  const rig = start();
  rig.term.keys('P');
  assert.deepEqual(pidsOf(rig.term.rows()), [20, 300, 1]);
  rig.term.keys('q');
  assert.equal(await rig.done, 0);
});

test('a filter typed at the \\ prompt leaves only the matching rows', async () => {
  const rig = start();
  rig.term.keys('\\', 'n', 'g', 'i', 'n', 'x', 'enter');
  assert.deepEqual(pidsOf(rig.term.rows()), [300]);
  rig.term.keys('q');
  assert.equal(await rig.done, 0);
});

test('a tick takes the next snapshot and paints it; the one after is scheduled after the scan', async () => {
  const rig = start();
  const next: Snapshot = makeSnapshot([{ pid: 1 }, { pid: 20 }, { pid: 300 }, { pid: 4000, name: 'newcomer' }], { time: FIRST.time + 500 });
  rig.source.push(next);
  await rig.clock.advance(499);
  assert.equal(rig.source.samples, 0, 'the first rescan comes after 500 ms, not before');
  await rig.clock.advance(1);
  assert.equal(rig.source.samples, 1);
  assert.deepEqual(pidsOf(rig.term.rows()), [1, 20, 300, 4000]);
  // Nothing queued: the next sample waits (a slow scan), and no second scan piles up meanwhile.
  await rig.clock.advance(5000);
  assert.equal(rig.source.samples, 2);
  rig.term.keys('q');
  assert.equal(await rig.done, 0);
});

test('quit resolves 0, restores the terminal and removes the hooks once; nothing is painted after', async () => {
  const rig = start();
  rig.term.keys('q');
  assert.equal(await rig.done, 0);
  rig.term.keys('q', 'P');
  rig.hooks.handlers?.terminate();
  rig.hooks.handlers?.crash(new Error('late'));
  await rig.clock.advance(10_000);
  assert.equal(rig.term.closed, 1);
  assert.equal(rig.hooks.removed, 1);
  assert.equal(rig.term.frames.length, 1);
  assert.equal(rig.source.samples, 0, 'no scan after quit');
  assert.deepEqual(rig.errors, []);
});

test('SIGTERM/SIGHUP (terminate) resolves 0 after restoring the terminal', async () => {
  const rig = start();
  rig.hooks.handlers?.terminate();
  assert.equal(await rig.done, 0);
  assert.equal(rig.term.closed, 1);
});

test('a crash resolves 1, restores the terminal first and then prints the error', async () => {
  const term = new FakeTerminal();
  const order: string[] = [];
  const open = term.open;
  const rig = start({
    openTerminal: (events) => {
      const t = open(events);
      return { ...t, close: () => { order.push('close'); t.close(); } };
    },
    errorOut: (text) => order.push(text),
  });
  rig.hooks.handlers?.crash(new Error('boom'));
  assert.equal(await rig.done, 1);
  assert.equal(order[0], 'close');
  assert.match(order[1] ?? '', /^proctop: Error: boom/);
  assert.equal(order.length, 2);
});

test('a source that fails ends the loop with 1 and says why', async () => {
  const rig = start();
  rig.source.push(new Error('scan failed'));
  await rig.clock.advance(500);
  assert.equal(await rig.done, 1);
  assert.match(rig.errors.join(''), /scan failed/);
  assert.equal(rig.term.closed, 1);
});

test('-n 2 stops after two refreshes with status 0', async () => {
  const rig = start({ maxIterations: 2 });
  rig.source.push(makeSnapshot([{ pid: 1 }], { time: FIRST.time + 500 }));
  rig.source.push(makeSnapshot([{ pid: 1 }], { time: FIRST.time + 1500 }));
  await rig.clock.advance(500);
  assert.equal(rig.result(), undefined);
  await rig.clock.advance(1000);
  assert.equal(await rig.done, 0);
  assert.equal(rig.clock.pending, 0, 'no timer left behind');
});

test('a hand-off stops the ticks; Ctrl-C meanwhile is the tool\'s; its exit brings the screen and the ticks back', async () => {
  const rig = start();
  rig.term.keys('s');
  assert.equal(rig.term.programs.length, 1);
  assert.deepEqual(rig.term.programs[0]?.line.args, ['-f', '-p', '1']);
  await rig.clock.advance(5000);
  assert.equal(rig.source.samples, 0, 'no scan while the tool has the terminal');
  rig.hooks.handlers?.interrupt();
  assert.equal(rig.result(), undefined, 'SIGINT during a hand-off does not quit');
  rig.source.push(FIRST);
  rig.term.programs[0]?.exit();
  await settle();
  assert.equal(rig.source.samples, 1);
  assert.match(rig.term.status(), /strace exited; back in proctop/);
  rig.hooks.handlers?.interrupt();
  assert.equal(await rig.done, 0);
});

test('a source that is not live refuses hand-offs and signals: nothing reaches the actions', async () => {
  const rig = start({}, new FakeSource(false));
  rig.term.keys('s');
  assert.equal(rig.term.programs.length, 0);
  assert.deepEqual(rig.actions.handOffs, []);
  assert.match(rig.term.status(), /strace refused: the frame on screen is recorded, not the live system/);
  rig.term.keys('q');
  assert.equal(await rig.done, 0);
});

test('a source with nothing newer keeps the frame on screen and keeps ticking', async () => {
  const rig = start({}, new FakeSource(false));
  rig.source.push(undefined);
  await rig.clock.advance(500);
  assert.deepEqual(pidsOf(rig.term.rows()), [1, 20, 300]);
  assert.equal(rig.term.frames.length, 2);
  rig.source.push(undefined);
  await rig.clock.advance(1000);
  assert.equal(rig.source.samples, 2);
  rig.term.keys('q');
  assert.equal(await rig.done, 0);
});

test('a click is a command only in the table: the mouse does nothing while a dialog is open', async () => {
  const rig = start();
  rig.term.mouse({ kind: 'sort-by', column: 'cpu' });
  assert.deepEqual(pidsOf(rig.term.rows()), [20, 300, 1]);
  rig.term.keys('f1');
  const frames = rig.term.frames.length;
  rig.term.mouse({ kind: 'sort-by', column: 'pid' });
  assert.equal(rig.term.frames.length, frames, 'ignored in help');
  rig.term.keys('escape', 'q');
  assert.equal(await rig.done, 0);
});

test('SIGHUP/SIGTERM during a hand-off ends the tool and its wrapper first, restores the terminal after it exits, resolves 0', async () => {
  const rig = start();
  rig.term.keys('s');
  const program = rig.term.programs[0];
  assert.ok(program);
  rig.hooks.handlers?.terminate();
  assert.deepEqual(rig.actions.ended, [{ pid: program.pid, force: false }]);
  await settle();
  assert.equal(rig.term.closed, 0, 'the screen waits for the tool to give the terminal back');
  assert.equal(rig.result(), undefined);
  rig.hooks.handlers?.terminate();
  assert.equal(rig.actions.ended.length, 1, 'ended once');
  program.exit();
  assert.equal(await rig.done, 0);
  assert.equal(rig.term.closed, 1);
  await rig.clock.advance(5000);
  assert.equal(rig.actions.ended.length, 1, 'no SIGKILL once it ended');
});

test('a crash during a hand-off whose tool ignores SIGTERM: SIGKILL after the grace time, then the terminal, status 1', async () => {
  const rig = start();
  rig.term.keys('s');
  const program = rig.term.programs[0];
  assert.ok(program);
  rig.hooks.handlers?.crash(new Error('boom'));
  await rig.clock.advance(1499);
  assert.equal(rig.term.closed, 0);
  await rig.clock.advance(1);
  assert.deepEqual(rig.actions.ended, [{ pid: program.pid, force: false }, { pid: program.pid, force: true }]);
  assert.equal(await rig.done, 1);
  assert.equal(rig.term.closed, 1);
  assert.match(rig.errors.join(''), /boom/);
  program.exit();
  await settle();
  assert.equal(rig.term.closed, 1, 'restored once');
});

test('quit with no hand-off running ends nothing', async () => {
  const rig = start();
  rig.term.keys('q');
  assert.equal(await rig.done, 0);
  assert.deepEqual(rig.actions.ended, []);
});

test('a first frame read in part is completed right after the first paint, in place, and only once', async () => {
  const whole = makeSnapshot([{ pid: 1, cpu: 1 }, { pid: 20, cpu: 50 }, { pid: 300, name: 'nginx', command: 'nginx: master process /usr/sbin/nginx', cpu: 5 }], { time: FIRST.time });
  let calls = 0;
  const rig = start({ completeFirst: () => { calls++; return whole; } });
  assert.equal(calls, 0, 'not before the first paint');
  assert.ok(rig.term.rows().some((r) => r.includes('nginx: worker')), 'the first paint shows the part read first');
  await rig.clock.advance(0);
  assert.equal(calls, 1);
  assert.ok(rig.term.rows().some((r) => r.includes('nginx: master process')), 'then the whole frame');
  await rig.clock.advance(5000);
  assert.equal(calls, 1);
  rig.term.keys('q');
  assert.equal(await rig.done, 0);
});

test('a loop that ends before the rest of its first frame is read does not read it', async () => {
  let calls = 0;
  const rig = start({ completeFirst: () => { calls++; return FIRST; } });
  rig.term.keys('q');
  await rig.clock.advance(0);
  assert.equal(calls, 0, 'the loop ended before the rest was read');
  assert.equal(await rig.done, 0);
});
