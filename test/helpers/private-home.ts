/**
 * A throw-away HOME for the proctop under test, so end-to-end tests neither read the user's
 * settings (~/.config/proctop/config.json would change columns, sort and theme) nor write to
 * them (the setup screen saves as you go) nor append to the user's action log
 * (~/.local/state/proctop/actions.log).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export interface PrivateHome {
  readonly dir: string;
  /** HOME and the XDG base directories, all inside `dir`. */
  readonly env: Readonly<Record<string, string>>;
  /** Removes `dir`. */
  remove(): void;
}

export function privateHome(): PrivateHome {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'proctop-e2e-home-'));
  const env = {
    HOME: dir,
    XDG_CONFIG_HOME: path.join(dir, '.config'),
    XDG_STATE_HOME: path.join(dir, '.local', 'state'),
    XDG_CACHE_HOME: path.join(dir, '.cache'),
    XDG_DATA_HOME: path.join(dir, '.local', 'share'),
  };
  return { dir, env, remove: () => fs.rmSync(dir, { recursive: true, force: true, maxRetries: 3 }) };
}
