import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Snapshot } from '../../../src/model/snapshot';
import { buildDialog, DialogData } from '../../../src/view/dialogs';
import { Dialog, Line, lineText } from '../../../src/view/view-model';
import { zombieGroups } from '../../../src/view/zombies';
import { makeSnapshot, makeUiState, ProcessSpec } from '../../helpers/process-fixture';

const NOW = makeSnapshot([]).time;
const WIDE = 160;

/**
 * Four parents: 10 stopped with three zombies (the oldest 125 s), 20 in D for
 * 100 s with two, 30 sleeping with one, and 40 not in the snapshot with one.
 */
const SPECS: readonly ProcessSpec[] = [
  { pid: 1 },
  { pid: 10, ppid: 1, user: 'alice', uid: 1000, state: 'T', command: '/usr/bin/leaky --workers 3' },
  { pid: 11, ppid: 10, state: 'Z', stateSince: NOW - 125_000 },
  { pid: 12, ppid: 10, state: 'Z', stateSince: NOW - 10_000 },
  { pid: 13, ppid: 10, state: 'Z', stateSince: NOW - 5_000 },
  { pid: 20, ppid: 1, user: 'bob', uid: 1001, state: 'D', stateSince: NOW - 100_000, command: 'nfs-client' },
  { pid: 21, ppid: 20, state: 'Z', stateSince: NOW - 30_000 },
  { pid: 22, ppid: 20, state: 'Z', stateSince: NOW - 20_000 },
  { pid: 30, ppid: 1, user: 'carol', uid: 1002, state: 'S', command: 'sleepy' },
  { pid: 31, ppid: 30, state: 'Z', stateSince: NOW - 7_200_000 },
  { pid: 41, ppid: 40, state: 'Z', stateSince: NOW - 3_000 },
];

function data(snapshot: Snapshot, over: Partial<DialogData> = {}): DialogData {
  return { users: [], zombieGroups: zombieGroups(snapshot.processes), now: snapshot.time, followUp: undefined, host: undefined, ...over };
}

function zombieView(snapshot: Snapshot, index = 0, over: Partial<DialogData> = {}, width = WIDE, height = 40): Dialog {
  const dialog = buildDialog(makeUiState({ mode: { kind: 'zombies', index } }), data(snapshot, over), width, height);
  if (!dialog) assert.fail('no dialog in zombie mode');
  return dialog;
}

const text = (line: Line): string => lineText(line).trimEnd();

/** A group row split into its columns (the command may hold spaces; the state column is followed by two spaces). */
function columnsOf(line: Line): { pid: string; user: string; zombies: string; oldest: string; state: string; command: string } {
  const m = /^\s*(\d+) (\S+)\s+(\d+)\s+(\S+) (.*?) {2,}(.*)$/.exec(text(line));
  if (!m) assert.fail(`not a zombie group row: ${JSON.stringify(text(line))}`);
  return { pid: m[1] as string, user: m[2] as string, zombies: m[3] as string, oldest: m[4] as string, state: (m[5] as string).trim(), command: m[6] as string };
}

/** The group rows: the lines between the column header and the action help. */
function groupRows(dialog: Dialog): Line[] {
  const help = dialog.lines.findIndex((l) => text(l).startsWith('c: '));
  assert.ok(help > 0, 'no action help line');
  return dialog.lines.slice(1, help);
}

test('zombie view: the title counts zombies and parents', () => {
  assert.equal(zombieView(makeSnapshot(SPECS)).title, 'Zombies: 7 under 4 parents');
  assert.equal(zombieView(makeSnapshot([{ pid: 5 }, { pid: 6, ppid: 5, state: 'Z' }])).title, 'Zombies: 1 under 1 parent');
});

test('zombie view: the first line is the column header PARENT USER ZOMBIES OLDEST PARENT STATE COMMAND', () => {
  const first = zombieView(makeSnapshot(SPECS)).lines[0] as Line;
  assert.deepEqual(text(first).split(/\s+/).filter(Boolean), ['PARENT', 'USER', 'ZOMBIES', 'OLDEST', 'PARENT', 'STATE', 'COMMAND']);
  assert.equal(first[0]?.style, 'column-header');
});

test('zombie view: one row per parent with its pid, user, zombie count, oldest age, state and command, most zombies first', () => {
  const rows = groupRows(zombieView(makeSnapshot(SPECS))).map(columnsOf);
  assert.deepEqual(rows, [
    { pid: '10', user: 'alice', zombies: '3', oldest: '2m05s', state: 'STOPPED', command: '/usr/bin/leaky --workers 3' },
    { pid: '20', user: 'bob', zombies: '2', oldest: '30s', state: 'STUCK (D 1m40s)', command: 'nfs-client' },
    { pid: '30', user: 'carol', zombies: '1', oldest: '2h00m', state: 'S', command: 'sleepy' },
    { pid: '40', user: '-', zombies: '1', oldest: '3s', state: 'not visible', command: '?' },
  ]);
});

test('zombie view: a traced parent (t) is shown as STOPPED too', () => {
  const rows = groupRows(zombieView(makeSnapshot([{ pid: 5, state: 't' }, { pid: 6, ppid: 5, state: 'Z' }])));
  assert.equal(columnsOf(rows[0] as Line).state, 'STOPPED');
});

test('zombie view: OLDEST is measured from the snapshot time, not the wall clock', () => {
  const snapshot = makeSnapshot([{ pid: 5 }, { pid: 6, ppid: 5, state: 'Z', stateSince: 1_000_000 }], { time: 1_000_000 + 45_000 });
  assert.equal(columnsOf(groupRows(zombieView(snapshot))[0] as Line).oldest, '45s');
});

test('zombie view: the row at the index is the selected one', () => {
  const rows = groupRows(zombieView(makeSnapshot(SPECS), 1));
  assert.deepEqual(rows.map((r) => r[0]?.style), ['dialog', 'dialog-selected', 'dialog', 'dialog']);
});

test('zombie view: with more parents than room, the selected row stays in view', () => {
  const specs: ProcessSpec[] = [];
  for (let i = 0; i < 30; i++) specs.push({ pid: 100 + i * 2 }, { pid: 101 + i * 2, ppid: 100 + i * 2, state: 'Z', stateSince: NOW - 1000 * (i + 1) });
  const dialog = zombieView(makeSnapshot(specs), 25, {}, WIDE, 14);
  const rows = groupRows(dialog);
  assert.ok(rows.length < 30 && rows.length > 0, `${rows.length} rows`);
  const selected = rows.filter((r) => r[0]?.style === 'dialog-selected');
  assert.equal(selected.length, 1);
  // Groups with one zombie each come oldest first: index 25 is the parent of the 26th oldest, 100 + (29 - 25) * 2.
  assert.equal(columnsOf(selected[0] as Line).pid, '108');
  assert.ok(dialog.height <= 14);
});

test('zombie view: the help lines say what c, t, K and k do', () => {
  const all = zombieView(makeSnapshot(SPECS)).lines.map(text).join('\n');
  assert.match(all, /c: SIGCHLD to the parent \(asks it to reap\)/);
  assert.match(all, /t: SIGTERM the parent \(init then adopts and reaps\)/);
  assert.match(all, /K: SIGKILL the parent/);
  assert.match(all, /F9\/k: choose a signal/);
  assert.match(all, /Esc: back/);
});

test('zombie view: with no zombies it has no rows and the title says 0 zombies under 0 parents', () => {
  const dialog = zombieView(makeSnapshot([{ pid: 1 }, { pid: 2, ppid: 1 }]));
  assert.equal(dialog.title, 'Zombies: 0 under 0 parents');
  assert.deepEqual(groupRows(dialog), []);
});

test('zombie view: the follow-up text is the last line, in warn style when it warns', () => {
  const snapshot = makeSnapshot(SPECS);
  const warned = zombieView(snapshot, 0, { followUp: { text: '3 of 3 zombies still under PID 10', warn: true } });
  const last = warned.lines[warned.lines.length - 1] as Line;
  assert.deepEqual([text(last), last[0]?.style], ['3 of 3 zombies still under PID 10', 'warn']);
  const fine = zombieView(snapshot, 0, { followUp: { text: 'All 3 zombies of PID 10 are gone (reaped).', warn: false } });
  assert.equal((fine.lines[fine.lines.length - 1] as Line)[0]?.style, 'value');
  const none = zombieView(snapshot);
  assert.equal(none.lines.length, warned.lines.length - 1);
});

test('zombie view: a hostile parent command and user are sanitized', () => {
  const snapshot = makeSnapshot([{ pid: 5, user: 'ev\x1bil', command: 'x\x1b[2J\u202ey' }, { pid: 6, ppid: 5, state: 'Z' }]);
  const row = text(groupRows(zombieView(snapshot))[0] as Line);
  assert.equal(/[\x00-\x1f\x7f-\x9f\u202a-\u202e]/.exec(row), null, JSON.stringify(row));
});

test('zombie view: a parent in D is STUCK only past --stuck-after, as the stuck filter says', () => {
  const specs: ProcessSpec[] = [{ pid: 1 }, { pid: 50, ppid: 1, state: 'D', stateSince: NOW - 3_000, command: 'dd' }, { pid: 51, ppid: 50, state: 'Z' }];
  const state = (over: Partial<DialogData>): string => (columnsOf(groupRows(zombieView(makeSnapshot(specs), 0, over))[0] as Line)).state;
  assert.equal(state({}), '(D 3s)', 'the default threshold is 5 s');
  assert.equal(state({ stuckAfterMs: 2000 }), 'STUCK (D 3s)');
});

test('zombie view: COMMAND starts in the same column on every row, a long parent state included', () => {
  const lines = zombieView(makeSnapshot(SPECS)).lines;
  const header = text(lines[0] as Line);
  const at = header.indexOf('COMMAND');
  for (const row of groupRows(zombieView(makeSnapshot(SPECS)))) {
    const cols = columnsOf(row);
    assert.equal(text(row).indexOf(cols.command), at, `row of PID ${cols.pid}`);
  }
});
