/** Where the store lives by default. Pure: the environment is passed in. */
import * as path from 'node:path';

/** `/var/log/proctop` for root; else `$XDG_STATE_HOME/proctop/history`, `~/.local/state/proctop/history` without it. */
export function defaultStoreDir(env: NodeJS.ProcessEnv, uid: number, home: string): string {
  if (uid === 0) return '/var/log/proctop';
  const state = env.XDG_STATE_HOME && path.isAbsolute(env.XDG_STATE_HOME) ? env.XDG_STATE_HOME : path.join(home, '.local', 'state');
  return path.join(state, 'proctop', 'history');
}
