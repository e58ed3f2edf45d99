/** Item 17 of issue 10: the action log says who acted and lives in the acting user's state. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { actionLogPath, actorOf, appendActionLog, ActionRecord, RunningAs } from '../../../src/actions/action-log';

const ROOT: RunningAs = { uid: 0, user: 'root', home: '/root' };
const ALICE: RunningAs = { uid: 1000, user: 'alice', home: '/home/alice' };
/** What `sudo -E proctop` run by alice leaves in the environment. */
const SUDO_E = { HOME: '/home/alice', XDG_STATE_HOME: '/home/alice/.local/state', SUDO_USER: 'alice', SUDO_UID: '1000', SUDO_GID: '1000' };

const RECORD: ActionRecord = { time: '2026-12-05T08:00:00.000Z', action: 'signal', signal: 'SIGTERM', pid: 4242, startTicks: 77, command: 'sleep 1000', outcome: 'sent', message: 'sent SIGTERM' };

function logLines(actorEnv: NodeJS.ProcessEnv, me: RunningAs): Record<string, unknown>[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'proctop-log-'));
  try {
    const file = path.join(dir, 'proctop', 'actions.log');
    assert.equal(appendActionLog([RECORD], file, actorOf(actorEnv, me)), undefined);
    return fs.readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

test('a logged action says the uid and user name it ran as', () => {
  const [line] = logLines({ HOME: '/home/alice' }, ALICE);
  assert.equal(line?.uid, 1000);
  assert.equal(line?.user, 'alice');
  assert.equal(line?.sudoUser, undefined);
  assert.equal(line?.pid, 4242);
});

test('through sudo, the logged action says root acted and which user ran sudo', () => {
  const [line] = logLines(SUDO_E, ROOT);
  assert.deepEqual({ uid: line?.uid, user: line?.user, sudoUser: line?.sudoUser, sudoUid: line?.sudoUid }, { uid: 0, user: 'root', sudoUser: 'alice', sudoUid: 1000 });
});

test('a uid without a passwd entry is logged by number', () => {
  assert.deepEqual(actorOf({}, { uid: 123456, user: undefined, home: undefined }), { uid: 123456, user: '123456' });
});

test('SUDO_UID equal to the effective uid (sudo -u self) is no sudo to another user', () => {
  assert.deepEqual(actorOf({ SUDO_USER: 'alice', SUDO_UID: '1000' }, ALICE), { uid: 1000, user: 'alice' });
});

test('a malformed SUDO_UID is ignored', () => {
  assert.deepEqual(actorOf({ SUDO_USER: 'x', SUDO_UID: '0; rm' }, ROOT), { uid: 0, user: 'root' });
});

test('the log is under XDG_STATE_HOME when absolute, else under HOME', () => {
  assert.equal(actionLogPath({ HOME: '/home/alice', XDG_STATE_HOME: '/srv/state' }, ALICE), '/srv/state/proctop/actions.log');
  assert.equal(actionLogPath({ HOME: '/home/alice', XDG_STATE_HOME: 'relative' }, ALICE), '/home/alice/.local/state/proctop/actions.log');
  assert.equal(actionLogPath({ HOME: '/home/alice' }, ALICE), '/home/alice/.local/state/proctop/actions.log');
});

test('through sudo -E, the log goes to root\'s state, not into the calling user\'s home', () => {
  assert.equal(actionLogPath(SUDO_E, ROOT), '/root/.local/state/proctop/actions.log');
  assert.equal(actionLogPath({ HOME: '/home/alice', SUDO_USER: 'alice', SUDO_UID: '1000' }, ROOT), '/root/.local/state/proctop/actions.log');
});

test('plain sudo (HOME reset to root\'s) logs to root\'s state too', () => {
  assert.equal(actionLogPath({ HOME: '/root', SUDO_USER: 'alice', SUDO_UID: '1000' }, ROOT), '/root/.local/state/proctop/actions.log');
});
