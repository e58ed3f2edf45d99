import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** One line of the action log: enough to rebuild an incident's timeline. */
export interface ActionRecord {
  readonly time: string;
  readonly action: string;
  readonly signal?: string;
  readonly pid: number;
  readonly startTicks: number;
  readonly command: string;
  readonly outcome: string;
  readonly message: string;
  /** For a cgroup action (freeze, thaw, kill): the cgroup's path; pid is then the process it was chosen from. */
  readonly cgroup?: string;
}

/** Who proctop runs as: the effective uid and its passwd entry (injected in tests). */
export interface RunningAs {
  /** Effective uid (geteuid). */
  readonly uid: number;
  /** Its passwd name; undefined when the uid has no passwd entry (a container's arbitrary uid). */
  readonly user: string | undefined;
  /** Its passwd home directory; undefined without a passwd entry. */
  readonly home: string | undefined;
}

/** Who acted, as every line of the action log says. */
export interface Actor {
  /** Effective uid: whose permissions the action used. */
  readonly uid: number;
  /** Its user name, or the uid as text when it has none. */
  readonly user: string;
  /** The user who ran sudo (SUDO_USER), when proctop runs through sudo as another user. */
  readonly sudoUser?: string;
  /** Their uid (SUDO_UID). */
  readonly sudoUid?: number;
}

/** The effective user, from its passwd entry (not $HOME, which sudo -E keeps from the caller). */
export function runningAs(): RunningAs {
  const uid = process.geteuid?.() ?? -1;
  try {
    const info = os.userInfo(); // getpwuid_r(geteuid())
    return { uid, user: info.username, home: info.homedir };
  } catch {
    return { uid, user: undefined, home: undefined };
  }
}

/** SUDO_UID when it names a user other than the effective one: proctop runs through sudo as another user. */
function sudoUid(env: NodeJS.ProcessEnv, me: RunningAs): number | undefined {
  const text = env.SUDO_UID;
  if (text === undefined || !/^\d+$/.test(text)) return undefined;
  const uid = Number(text);
  return uid === me.uid ? undefined : uid;
}

/** The effective user, and the user behind sudo when there is one (sudo sets SUDO_USER and SUDO_UID). */
export function actorOf(env: NodeJS.ProcessEnv, me: RunningAs): Actor {
  const user = me.user ?? String(me.uid);
  const behind = sudoUid(env, me);
  if (behind === undefined) return { uid: me.uid, user };
  return { uid: me.uid, user, ...(env.SUDO_USER ? { sudoUser: env.SUDO_USER } : {}), sudoUid: behind };
}

/**
 * `$XDG_STATE_HOME/proctop/actions.log`, default `~/.local/state/proctop/actions.log`: the
 * effective user's state. Through sudo as another user, HOME and XDG_STATE_HOME may still be the
 * caller's (sudo -E, env_keep): they are not used then, and the log goes under the effective
 * user's passwd home, so root never writes a root-owned file into the caller's home (which the
 * caller could not append to afterwards, and whose path the caller controls).
 */
export function actionLogPath(env: NodeJS.ProcessEnv = process.env, me: RunningAs = runningAs()): string {
  const viaSudo = sudoUid(env, me) !== undefined;
  const xdg = viaSudo ? undefined : env.XDG_STATE_HOME;
  const home = viaSudo ? me.home ?? os.homedir() : env.HOME && path.isAbsolute(env.HOME) ? env.HOME : me.home ?? os.homedir();
  const base = xdg && path.isAbsolute(xdg) ? xdg : path.join(home, '.local', 'state');
  return path.join(base, 'proctop', 'actions.log');
}

/**
 * Appends records as JSON lines, each stamped with who acted. A failure to log never blocks the
 * action: it returns a short note for the end of the status line instead of throwing
 * (`not logged: EACCES`; the path is the documented one, and naming it took the width the
 * action's own result needs on an 80-column status line).
 */
export function appendActionLog(records: readonly ActionRecord[], file = actionLogPath(), actor: Actor = actorOf(process.env, runningAs())): string | undefined {
  if (records.length === 0) return undefined;
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    fs.appendFileSync(file, records.map((r) => JSON.stringify({ ...r, ...actor })).join('\n') + '\n', { mode: 0o600 });
    return undefined;
  } catch (err) {
    return `not logged: ${(err as NodeJS.ErrnoException).code ?? String(err)}`;
  }
}
