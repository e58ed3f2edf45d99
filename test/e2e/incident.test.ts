/**
 * End-to-end incident drills: the real bin/proctop (-d 5) in a 160×45 tmux terminal (a private
 * server per test, fresh XDG_CONFIG_HOME and XDG_STATE_HOME per proctop) against real
 * processes from the Landscape helper: the zombie view and its follow-up, the `state:Z` filter,
 * a group kill, a subtree kill, and the typed confirmation that protects PID 1.
 *
 * Safety: before every `y` the confirmation dialog's target list is read back and compared with
 * the processes the test started; PID 1 is only ever shown the `y` key, which must not send.
 * Every wait polls with a timeout; processes are cleaned up by pid, tmux servers by socket.
 * Set PROCTOP_TEST_SHOW_SCREENS=1 to print the key screens as test diagnostics.
 */
import { test, after, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { Landscape, uniqueMarker, waitFor } from '../helpers/landscape';
import { allPids, childrenOf, readCmdline, readStat } from '../helpers/proc-read';
import { TmuxSession } from '../helpers/tmux';
import { boxLines, firstFrame, parseScreen, rightCell, rowPid, type ScreenTable } from '../helpers/screen';

const REPO = path.resolve(__dirname, '..', '..', '..');
const BIN = path.join(REPO, 'bin', 'proctop');
const WIDTH = 160;
const HEIGHT = 45;
/** First frame: node start-up, blessed and a /proc scan on a loaded machine. */
const START_MS = 20_000;
/** A reaction to a key, or the next refresh (a slow scan backs the refresh off). */
const REACT_MS = 10_000;
const SHOW_SCREENS = process.env.PROCTOP_TEST_SHOW_SCREENS === '1';

const SLEEP_1000 = Buffer.from('sleep\x001000\x00');

/** Landscape plus a process group whose leader carries a marker in its argv. */
class IncidentLandscape extends Landscape {
  /** `sh -c 'sleep 1000 & … wait' <marker>`: the leader (argv has the marker) and its `workers` sleeps, one group. */
  async markedGroup(marker: string, workers: number): Promise<{ leader: number; members: number[] }> {
    const script = `${Array.from({ length: workers }, () => 'sleep 1000 &').join(' ')} wait`;
    const { child, pid: leader } = await this.start('sh', ['-c', script, marker], 'markedGroup');
    const kids = await this.sleepingKids(child, leader, workers);
    return { leader, members: [leader, ...kids] };
  }

  private async sleepingKids(child: ChildProcess, parent: number, n: number): Promise<number[]> {
    const kids = await this.ready(child, () => {
      const found = childrenOf(parent).filter((k) => readCmdline(k)?.equals(SLEEP_1000) === true && readStat(k)?.state === 'S');
      return found.length === n && found;
    }, `markedGroup: ${n} sleeping workers of ${parent}`);
    for (const k of kids) this.track(k);
    return kids;
  }
}

const land = new IncidentLandscape();
const sessions: TmuxSession[] = [];

after(async () => {
  const results = await Promise.allSettled([...sessions.map((s) => s.kill()), land.cleanup()]);
  const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed.length > 0) throw new Error(failed.map((r) => String(r.reason)).join('\n'));
});

/** `node bin/proctop -d 5` at 160×45 with fresh XDG dirs, killed when the test ends. */
function proctop(t: TestContext): TmuxSession {
  const term = TmuxSession.start([BIN, '-d', '5'], { width: WIDTH, height: HEIGHT, cwd: REPO, freshXdg: true });
  sessions.push(term);
  t.after(() => term.kill());
  return term;
}

/**
 * With PROCTOP_TEST_SHOW_SCREENS=1, prints the screen once it has settled (two captures 150 ms
 * apart agree): a capture can catch tmux half-way through a frame. `screen` is the fallback.
 */
async function show(t: TestContext, term: TmuxSession, title: string, screen: string): Promise<void> {
  if (!SHOW_SCREENS) return;
  let last = screen;
  for (let i = 0; i < 10; i++) {
    await new Promise((resolve) => setTimeout(resolve, 150));
    const now = term.capture();
    if (now === last) break;
    last = now;
  }
  t.diagnostic(`${title}\n${last}`);
}

function ready(term: TmuxSession): Promise<ScreenTable> {
  return term.waitForScreen(firstFrame, START_MS, 'the first frame');
}

/** Waits until the table (no prompt open) satisfies `check`. */
function waitForTable<T>(term: TmuxSession, what: string, check: (table: ScreenTable, screen: string) => T | undefined | false, timeoutMs = REACT_MS): Promise<T> {
  return term.waitForScreen((s) => {
    const table = parseScreen(s);
    return table !== undefined && check(table, s);
  }, timeoutMs, what);
}

/** `\` query Enter (the query pasted, so it shows up in no argv); waits for the prompt to close. */
async function filter(term: TmuxSession, query: string): Promise<void> {
  term.sendKeys('\\');
  await term.waitForText(/^Filter: _?/m, REACT_MS);
  term.pasteText(query);
  await term.waitForText(new RegExp(`^Filter: ${query.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}_`, 'm'), REACT_MS);
  term.sendKeys('Enter');
  await waitForTable(term, 'the filter prompt to close', (table) => /F1\s*Help/.test(table.footer));
}

/** Filters to exactly one row, `pid` (selected, being the only row). */
async function selectOnly(term: TmuxSession, query: string, pid: number): Promise<void> {
  await filter(term, query);
  await waitForTable(term, `the table to hold only PID ${pid}`, (table) => {
    const pids = pidsOf(table);
    return pids.length === 1 && pids[0] === pid;
  });
}

/**
 * PIDs of the table's rows. Rows are told by their PID cell, not by being non-blank: under heavy
 * load stray characters have been seen left in the blank area below a short table.
 */
function pidsOf(table: ScreenTable): number[] {
  return table.rows.flatMap((r) => {
    const pid = rowPid(table.header, r);
    return pid === undefined ? [] : [pid];
  });
}

/** The zombie view's rows: parent pid and zombie count, top to bottom. */
function zombieRows(screen: string): { parent: number; count: number; line: string }[] | undefined {
  const body = boxLines(screen, /Zombies: \d+ under/);
  if (!body) return undefined;
  return body.flatMap((line) => {
    const m = /^\s*(\d+)\s+\S+\s+(\d+)\s+\S+\s/.exec(line);
    return m ? [{ parent: Number(m[1]), count: Number(m[2]), line }] : [];
  });
}

/** The confirmation dialog: its first line and the pids it lists, or undefined while none is open. */
function confirmation(screen: string): { head: string; pids: number[]; body: string[] } | undefined {
  const body = boxLines(screen, /Send SIG\w+ \(\d+\)\?/);
  if (!body || body.length === 0) return undefined;
  const pids = body.slice(1).flatMap((line) => {
    const m = /^\s*(\d+) \S/.exec(line);
    return m ? [Number(m[1])] : [];
  });
  return { head: body[0] ?? '', pids, body };
}

/** `k`, the signal number, Tab `tabs` times (checking the scope shown), Enter: waits for the confirmation. */
async function openConfirm(term: TmuxSession, signal: number, tabs: number, scope: string): Promise<{ head: string; pids: number[]; body: string[]; screen: string }> {
  term.sendKeys('k');
  await term.waitForText(/Send signal/, REACT_MS);
  for (const digit of String(signal)) term.sendKeys(digit);
  await term.waitForText(new RegExp(`Send signal: ${signal}\\b`), REACT_MS);
  for (let i = 0; i < tabs; i++) term.sendKeys('Tab');
  // The tagged scope carries its count: `[tagged: 3]` or `[tagged: 3, 1 hidden]`.
  await term.waitForText(new RegExp(`\\[${scope}(?::[^\\]]*)?\\]`), REACT_MS);
  term.sendKeys('Enter');
  return term.waitForScreen((s) => {
    const c = confirmation(s);
    return c !== undefined && c.pids.length > 0 && { ...c, screen: s };
  }, REACT_MS, `the ${scope} confirmation`);
}

type Identity = { pid: number; startTicks: number };

function identity(pid: number): Identity {
  const start = readStat(pid)?.starttime;
  assert.ok(start !== undefined, `pid ${pid} alive`);
  return { pid, startTicks: start };
}

/** The same process, still running (a zombie is dead). */
function running(id: Identity): boolean {
  const stat = readStat(id.pid);
  return stat !== undefined && stat.starttime === id.startTicks && stat.state !== 'Z';
}

/** The same process is still in /proc (running or an unreaped zombie). */
function present(id: Identity): boolean {
  return readStat(id.pid)?.starttime === id.startTicks;
}

/** Dead at once, and out of /proc within 5 s (PID 1 here reaps adopted zombies every 1–2 s). */
async function allGone(ids: readonly Identity[], what: string): Promise<void> {
  await waitFor(() => ids.every((id) => !running(id)), REACT_MS, `${what}: dead`);
  await waitFor(() => ids.every((id) => !present(id)), 5000, `${what}: gone from /proc`).catch((err: unknown) => {
    throw new Error(`${String(err)}: left ${ids.filter(present).map((id) => `${id.pid}(${readStat(id.pid)?.state ?? '?'}, ppid ${readStat(id.pid)?.ppid ?? '?'})`).join(', ')}`);
  });
}

/** The records of the action log in the session's fresh XDG_STATE_HOME; [] when none was written. */
function actionLog(term: TmuxSession): { signal: string; pid: number; startTicks: number; outcome: string }[] {
  assert.ok(term.xdg, 'started with freshXdg');
  const file = path.join(term.xdg.state, 'proctop', 'actions.log');
  if (!fs.existsSync(file)) return [];
  return fs.readFileSync(file, 'utf8').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as { signal: string; pid: number; startTicks: number; outcome: string });
}

/** Zombie identities in /proc right now. */
function procZombies(): Map<number, number> {
  const found = new Map<number, number>();
  for (const pid of allPids()) {
    const stat = readStat(pid);
    if (stat?.state === 'Z') found.set(pid, stat.starttime);
  }
  return found;
}

test('z shows the factory’s parent with 3 zombies; t y kills it and the view reports the zombies gone', async (t) => {
  const { parent, zombies } = await land.zombieFactory(3);
  const zombieIds = zombies.map(identity);
  const parentId = identity(parent);
  const term = proctop(t);
  await ready(term);
  term.sendKeys('z');
  const view = await term.waitForScreen((s) => {
    const rows = zombieRows(s);
    return rows?.some((r) => r.parent === parent && r.count === 3) === true && { screen: s, rows };
  }, REACT_MS, `the zombie view listing PID ${parent} with 3 zombies`);
  await show(t, term, 'zombie view', view.screen);
  assert.match(view.rows.find((r) => r.parent === parent)?.line ?? '', /\s3\s.*sleep 1000\s*$/);

  // Select our parent: Down to its row, t, and read the dialog back before y. Other parents'
  // zombies come and go (the list is re-sorted every refresh), so retry from the top if needed.
  let sent = false;
  for (let attempt = 0; attempt < 5 && !sent; attempt++) {
    const rows = zombieRows(term.capture()) ?? [];
    const index = rows.findIndex((r) => r.parent === parent);
    assert.ok(index >= 0, `PID ${parent} still listed`);
    for (let i = 0; i < index; i++) term.sendKeys('Down');
    term.sendKeys('t');
    const confirm = await term.waitForScreen((s) => confirmation(s), REACT_MS, 'the SIGTERM confirmation');
    if (/Send SIGTERM \(15\) to this process: 1 process/.test(confirm.head) && confirm.pids.length === 1 && confirm.pids[0] === parent) {
      term.sendKeys('y');
      sent = true;
    } else {
      term.sendKeys('n');
      await term.waitForScreen((s) => confirmation(s) === undefined && zombieRows(s), REACT_MS, 'back in the zombie view');
    }
  }
  assert.ok(sent, `could not select PID ${parent} in the zombie view`);
  // The result is on the status line at once (a later refresh may replace it).
  await waitForTable(term, 'the status line to report SIGTERM sent', (table) => new RegExp(`^SIGTERM → PID ${parent}: sent`).test(table.status));
  const followUp = await term.waitForScreen((s) => {
    const gone = new RegExp(`All 3 zombies of PID ${parent} are gone \\(reaped\\)\\.`).test(s);
    const adopted = /3 zombie\(s\) were adopted by PID 1, which does not reap them/.test(s);
    return (gone || adopted) && { screen: s, gone };
  }, REACT_MS, 'the follow-up line: gone, or adopted by PID 1');
  await show(t, term, `zombie view after t y (${followUp.gone ? 'gone' : 'adopted'})`, followUp.screen);
  assert.deepEqual(actionLog(term).map((r) => [r.signal, r.pid, r.startTicks, r.outcome]), [['SIGTERM', parent, parentId.startTicks, 'sent']]);
  await allGone([parentId], 'the zombie parent');
  await allGone(zombieIds, 'the zombies');
  await term.waitForText(new RegExp(`All 3 zombies of PID ${parent} are gone \\(reaped\\)\\.`), REACT_MS);
});

test('\\ state:Z Enter shows exactly the zombies in /proc, the factory’s among them', async (t) => {
  const { zombies } = await land.zombieFactory(3);
  const term = proctop(t);
  const readings: { at: number; zombies: Map<number, number> }[] = [{ at: Date.now(), zombies: procZombies() }];
  await ready(term);
  await filter(term, 'state:Z');
  // /proc readings with their times: a zombie Z in a reading ≥ 3 s before the capture and still Z
  // after it existed across at least one refresh, so it must be shown; a shown pid must have been
  // Z at some reading in the last 6 s, or be gone now (reaped since the refresh).
  let lastProblem = '';
  const table = await waitForTable(term, 'the shown PIDs to match /proc’s zombies', (tbl) => {
    const now = Date.now();
    const afterCapture = procZombies();
    readings.push({ at: now, zombies: afterCapture });
    while (readings.length > 0 && (readings[0] as { at: number }).at < now - 6000) readings.shift();
    const rows = tbl.rows.filter((r) => rowPid(tbl.header, r) !== undefined);
    const shown = rows.map((r) => rowPid(tbl.header, r) as number);
    const states = rows.map((r) => rightCell(tbl.header, r, 'S'));
    const old = readings.find((r) => r.at <= now - 3000);
    if (!/F1\s*Help/.test(tbl.footer) || !old) return false;
    const missingOurs = zombies.filter((z) => !shown.includes(z));
    const stable = [...old.zombies].filter(([pid, start]) => afterCapture.get(pid) === start).map(([pid]) => pid);
    const missing = stable.filter((pid) => !shown.includes(pid));
    const unexpected = shown.filter((pid) => readStat(pid) !== undefined && !readings.some((r) => r.zombies.has(pid)));
    const notZ = states.filter((s) => s !== 'Z');
    const tooMany = stable.length > rows.length && rows.length >= HEIGHT - 12;
    lastProblem = `shown [${shown.join(' ')}], stable Z [${stable.join(' ')}], missing ours [${missingOurs.join(' ')}], missing [${missing.join(' ')}], unexpected [${unexpected.join(' ')}], non-Z states [${notZ.join(' ')}]`;
    return missingOurs.length === 0 && (tooMany || missing.length === 0) && unexpected.length === 0 && notZ.length === 0 && tbl;
  }, 20_000).catch((err: unknown) => {
    throw new Error(`${String(err)}\n${lastProblem}`);
  });
  await show(t, term, 'state:Z filter', term.capture());
  assert.ok(table.rows.length >= zombies.length);
});

test('group kill: k 9 Tab(group) Enter lists every member, y kills the group and spares a control', async (t) => {
  const marker = uniqueMarker('ptGroup');
  const { leader, members } = await land.markedGroup(marker, 2);
  const memberIds = members.map(identity);
  const control = identity(await land.sleeper());
  const term = proctop(t);
  await ready(term);
  await selectOnly(term, marker, leader);
  const confirm = await openConfirm(term, 9, 1, 'group');
  await show(t, term, 'group kill confirmation', confirm.screen);
  assert.match(confirm.head, /^Send SIGKILL \(9\) to its process group: 3 processes\s*$/);
  assert.match(confirm.body[1] ?? '', new RegExp(`^\\(kill -9 -${leader}\\)\\s*$`));
  assert.deepEqual([...confirm.pids].sort((a, b) => a - b), [...members].sort((a, b) => a - b), 'the dialog lists exactly the group');
  term.sendKeys('y');
  const status = await waitForTable(term, 'the status line to report SIGKILL sent to 3', (table, s) => /SIGKILL → 3 sent/.test(table.status) && { table, s });
  await show(t, term, 'status after the group kill', status.s);
  await allGone(memberIds, 'the group');
  assert.ok(running(control), 'the control process outside the group lives');
  if (SHOW_SCREENS) t.diagnostic(`status line a moment later: ${parseScreen(term.capture())?.status.trim() ?? '?'}`);
  // The action log went to the fresh XDG_STATE_HOME: one line per member.
  assert.deepEqual(actionLog(term).map((r) => [r.signal, r.pid, r.startTicks, r.outcome]).sort(), memberIds.map((m) => ['SIGKILL', m.pid, m.startTicks, 'sent']).sort());
});

test('subtree kill: k 9 Tab×3(subtree) Enter lists the 3-level chain, y kills it and spares a sibling', async (t) => {
  const chain = await land.chain(3);
  const chainIds = chain.map(identity);
  const sibling = identity(await land.sleeper());
  const root = chain[0] as number;
  const term = proctop(t);
  await ready(term);
  await selectOnly(term, `pid:${root}`, root);
  const confirm = await openConfirm(term, 9, 3, 'subtree');
  await show(t, term, 'subtree kill confirmation', confirm.screen);
  assert.match(confirm.head, /^Send SIGKILL \(9\) to its subtree: 3 processes\s*$/);
  assert.match(confirm.body[1] ?? '', /^\(frozen with SIGSTOP first, survivors continued after\)\s*$/);
  assert.deepEqual([...confirm.pids].sort((a, b) => a - b), [...chain].sort((a, b) => a - b), 'the dialog lists exactly the chain');
  term.sendKeys('y');
  const status = await waitForTable(term, 'the status line to report SIGKILL sent to 3', (table) => /SIGKILL → 3 sent/.test(table.status) && table.status.trim());
  if (SHOW_SCREENS) t.diagnostic(`status after the subtree kill: ${status}`);
  await allGone(chainIds, 'the chain');
  assert.deepEqual(actionLog(term).map((r) => [r.signal, r.pid, r.startTicks, r.outcome]).sort(), chainIds.map((m) => ['SIGKILL', m.pid, m.startTicks, 'sent']).sort());
  assert.ok(running(sibling), 'the sibling outside the chain lives');
  assert.equal(readStat(sibling.pid)?.state, 'S', 'and was not left stopped');
});

test('tag shown: t, \\ marker, A tags the 3 matches (not their dimmed ancestors), k 9 Enter lists exactly them, U untags, A again, y kills them', async (t) => {
  const marker = uniqueMarker('ptTagAll');
  const matched = [await land.sleeper(marker), await land.sleeper(marker), await land.sleeper(marker)];
  const matchedIds = matched.map(identity);
  const control = identity(await land.sleeper());
  const term = proctop(t);
  await ready(term);
  term.sendKeys('t');
  await waitForTable(term, 'the tree view', (table) => /Tree view/.test(table.status));
  await filter(term, marker);
  // The three sleepers under their ancestors (the test runner, …, PID 1), which stay as dimmed context.
  const filtered = await waitForTable(term, 'the filtered tree: the 3 sleepers and their ancestors', (table) => {
    const pids = pidsOf(table);
    return matched.every((pid) => pids.includes(pid)) && pids.includes(1) && table;
  });
  const context = pidsOf(filtered).filter((pid) => !matched.includes(pid));
  assert.ok(context.includes(process.pid), 'the test runner is shown as the sleepers\' ancestor');
  term.sendKeys('A');
  const tagged = await waitForTable(term, 'the status line to report 3 tagged', (table) => /^Tagged 3 matching .* \(3 tagged; \d+ dimmed tree ancestors? not tagged\)/.test(table.status.trim()) && table);
  await show(t, term, 'after A', term.capture());
  // The tag mark '*' is drawn in the PID column's blank first character: on the matches only.
  const marked = tagged.rows.filter((r) => /^\*/.test(r)).flatMap((r) => {
    const pid = rowPid(tagged.header, ` ${r.slice(1)}`);
    return pid === undefined ? [] : [pid];
  });
  assert.deepEqual([...marked].sort((a, b) => a - b), [...matched].sort((a, b) => a - b), 'exactly the matches carry the tag mark');
  // U clears every tag; A tags the same three again.
  term.sendKeys('U');
  await waitForTable(term, 'U to clear the tag marks', (table) => /Untagged all/.test(table.status) && matched.every((pid) => pidsOf(table).includes(pid)) && !table.rows.some((r) => /^\*/.test(r)));
  term.sendKeys('A');
  await waitForTable(term, 'A to tag the 3 again', (table) => /^Tagged 3 matching .* \(3 tagged;/.test(table.status.trim()) && table.rows.filter((r) => /^\*/.test(r)).length === 3);
  // k opens on the tagged scope, which says how many it holds; Enter shows the usual preview with exactly the three.
  const confirm = await openConfirm(term, 9, 0, 'tagged: 3');
  await show(t, term, 'tagged kill confirmation', confirm.screen);
  assert.match(confirm.head, /^Send SIGKILL \(9\) to tagged processes: 3 processes\s*$/);
  assert.deepEqual([...confirm.pids].sort((a, b) => a - b), [...matched].sort((a, b) => a - b), 'the dialog lists exactly the tagged matches');
  for (const pid of context) assert.ok(!confirm.pids.includes(pid), `context row ${pid} is not a target`);
  term.sendKeys('y');
  await waitForTable(term, 'the status line to report SIGKILL sent to 3', (table) => /SIGKILL → 3 sent/.test(table.status));
  await allGone(matchedIds, 'the tagged sleepers');
  assert.ok(running(control), 'the control process outside the filter lives');
  assert.ok(running(identity(1)), 'PID 1 lives');
});

test('PID 1: k Enter asks for the PID to be typed; y does not send; Esc cancels', async (t) => {
  const init = identity(1);
  const term = proctop(t);
  await ready(term);
  await selectOnly(term, 'pid:1', 1);
  term.sendKeys('k');
  await term.waitForText(/To \(PID 1\)/, REACT_MS);
  term.sendKeys('Enter');
  const confirm = await term.waitForScreen((s) => {
    const c = confirmation(s);
    return c !== undefined && c.pids.length > 0 && { ...c, screen: s };
  }, REACT_MS, 'the confirmation for PID 1');
  await show(t, term, 'PID 1 confirmation', confirm.screen);
  // Only ever press y on a dialog that targets PID 1 alone and demands the typed PID.
  const guarded = confirm.pids.length === 1 && confirm.pids[0] === 1 && confirm.body.some((l) => /^Type 1 and Enter to confirm: _\s*$/.test(l));
  if (!guarded) {
    term.sendKeys('Escape');
    assert.fail(`unexpected confirmation:\n${confirm.screen}`);
  }
  term.sendKeys('y');
  const refused = await waitForTable(term, 'the status line to ask for the PID', (table, s) =>
    /Type 1 then Enter to signal PID 1/.test(table.status) && confirmation(s) !== undefined && s);
  await show(t, term, 'PID 1 after y', refused);
  term.sendKeys('Escape');
  await waitForTable(term, 'the dialog to close with nothing sent', (table, s) => /Cancelled: no signal sent/.test(table.status) && confirmation(s) === undefined);
  assert.ok(running(init), 'PID 1 is the same process');
  assert.deepEqual(actionLog(term), [], 'nothing was logged: nothing was sent');
});
