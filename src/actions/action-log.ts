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

/** `$XDG_STATE_HOME/proctop/actions.log`, default `~/.local/state/proctop/actions.log`. */
export function actionLogPath(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_STATE_HOME && path.isAbsolute(env.XDG_STATE_HOME) ? env.XDG_STATE_HOME : path.join(os.homedir(), '.local', 'state');
  return path.join(base, 'proctop', 'actions.log');
}

/**
 * Appends records as JSON lines. A failure to log never blocks the action:
 * it returns the error text for the status line instead of throwing.
 */
export function appendActionLog(records: readonly ActionRecord[], file = actionLogPath()): string | undefined {
  if (records.length === 0) return undefined;
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    fs.appendFileSync(file, records.map((r) => JSON.stringify(r)).join('\n') + '\n', { mode: 0o600 });
    return undefined;
  } catch (err) {
    return `action log not written (${file}): ${(err as NodeJS.ErrnoException).code ?? String(err)}`;
  }
}
