import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { crypto } from '../base/lazy-builtins';
import { CONFIG_FIELDS, Config, DEFAULT_CONFIG, validateConfig } from './schema';

/**
 * Where the settings live: `$XDG_CONFIG_HOME/proctop/config.json`, else
 * `~/.config/proctop/config.json`. A relative XDG_CONFIG_HOME is ignored, as
 * the XDG spec says, so the file never depends on the current directory.
 */
export function configPath(env: NodeJS.ProcessEnv = process.env): string {
  const xdg = env.XDG_CONFIG_HOME;
  if (xdg !== undefined && path.isAbsolute(xdg)) return path.join(xdg, 'proctop', 'config.json');
  const home = env.HOME !== undefined && path.isAbsolute(env.HOME) ? env.HOME : os.homedir();
  return path.join(home, '.config', 'proctop', 'config.json');
}

/** What {@link loadConfig} found. */
export interface LoadResult {
  readonly config: Config;
  /** One line for stderr/status, or undefined. */
  readonly warning: string | undefined;
}

/** A file bigger than this is not a settings file someone wrote; don't read it into memory. */
const MAX_BYTES = 1 << 20;

/** Messages end up on one status line: no control characters (a file name or a JSON snippet may hold newlines). */
function oneLine(text: string): string {
  return text.replace(/[\x00-\x1f\x7f]+/g, ' ').trim();
}

function reason(error: unknown): string {
  if (error instanceof Error) return (error as NodeJS.ErrnoException).code ?? error.message;
  return String(error);
}

/** Reads the file, or says why not; undefined when it does not exist. */
function read(file: string): { text: string } | { problem: string } | undefined {
  let fd: number;
  try {
    // O_NONBLOCK: a FIFO in place of the file must not hang start-up.
    fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    return { problem: reason(error) };
  }
  try {
    const stat = fs.fstatSync(fd);
    if (!stat.isFile()) return { problem: stat.isDirectory() ? 'EISDIR' : 'not a regular file' };
    if (stat.size > MAX_BYTES) return { problem: `larger than ${MAX_BYTES} bytes` };
    return { text: fs.readFileSync(fd, 'utf8') };
  } catch (error) {
    return { problem: reason(error) };
  } finally {
    fs.closeSync(fd);
  }
}

/** Moves a bad file aside so the user can recover it; rename keeps the exact bytes and replaces an older .bak. */
function keepAside(file: string): string {
  const bak = `${file}.bak`;
  try {
    fs.renameSync(file, bak);
    return `kept as ${path.basename(bak)}`;
  } catch (error) {
    return `could not keep a copy (${reason(error)}), it will be overwritten on the next save`;
  }
}

/**
 * Loads the settings. A missing file gives the defaults and no warning.
 * Unparseable JSON or any invalid field gives a one-line warning naming the
 * first problem (and how many), and the bad file is renamed to
 * `config.json.bak` (replacing an older one) rather than silently
 * overwritten; valid fields are still used and written back, so the next
 * start agrees with this one. An unreadable file (EACCES, a directory) gives
 * a warning and the defaults, and is left alone.
 */
export function loadConfig(file: string = configPath()): LoadResult {
  const got = read(file);
  if (got === undefined) return { config: DEFAULT_CONFIG, warning: undefined };
  if ('problem' in got) return { config: DEFAULT_CONFIG, warning: oneLine(`cannot read ${file} (${got.problem}); using the default settings`) };
  let raw: unknown;
  try {
    // Editors on other systems may add a byte order mark, which JSON.parse rejects.
    raw = JSON.parse(got.text.replace(/^\uFEFF/, ''));
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { config: DEFAULT_CONFIG, warning: oneLine(`${file}: not valid JSON (${message}); ${keepAside(file)}; using the default settings`) };
  }
  const { config, errors } = validateConfig(raw);
  if (errors.length === 0) return { config, warning: undefined };
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more problem${errors.length > 2 ? 's' : ''})` : '';
  let warning = `${file}: ${errors[0]}${more}; ${keepAside(file)}; using the valid settings`;
  // Without this the next start would find no file and silently lose the valid settings.
  if (!fs.existsSync(file)) {
    const failed = saveConfig(config, file);
    if (failed !== undefined) warning += ` (${failed})`;
  }
  return { config, warning: oneLine(warning) };
}

/** The file text: known fields only, in documentation order, so a stray property on the object never reaches the disk. */
function serialize(config: Config): string {
  const out: Record<string, unknown> = {};
  for (const { key } of CONFIG_FIELDS) out[key] = config[key] ?? DEFAULT_CONFIG[key];
  return `${JSON.stringify(out, null, 2)}\n`;
}

/**
 * Saves the settings atomically: writes `config.json.tmp-<pid>-<random>` in
 * the same directory (so the rename cannot cross file systems), fsyncs it and
 * renames it over the target, so a crash leaves the old file or the new one,
 * never half of one. Creates the directory (mode 0700) as needed. A symlinked
 * config.json (dotfiles) is written through, not replaced by a plain file.
 * @returns undefined on success, else one line saying what failed (never throws).
 */
export function saveConfig(config: Config, file: string = configPath()): string | undefined {
  let target = file;
  try {
    target = fs.realpathSync(file);
  } catch {
    // Not there yet (or a dangling link): write the path as given.
  }
  const tmp = `${target}.tmp-${process.pid}-${crypto().randomBytes(4).toString('hex')}`;
  let fd: number | undefined;
  try {
    fs.mkdirSync(path.dirname(target), { recursive: true, mode: 0o700 });
    // 'wx': never follow or reuse something already at the temp name.
    fd = fs.openSync(tmp, 'wx', 0o600);
    fs.writeFileSync(fd, serialize(config));
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fd = undefined;
    fs.renameSync(tmp, target);
  } catch (error) {
    cleanUp(fd, tmp);
    return oneLine(`cannot save settings to ${file} (${reason(error)})`);
  }
  syncDirectory(path.dirname(target));
  return undefined;
}

/** After a failed save: no descriptor leaked, no temp file left; errors here would only hide the first one. */
function cleanUp(fd: number | undefined, tmp: string): void {
  try {
    if (fd !== undefined) fs.closeSync(fd);
  } catch {
    // Already reporting the failure that brought us here.
  }
  try {
    fs.rmSync(tmp, { force: true });
  } catch {
    // Same: the caller's message names the real problem.
  }
}

/** Makes the rename itself durable; best effort, as some file systems refuse fsync on a directory. */
function syncDirectory(dir: string): void {
  try {
    const fd = fs.openSync(dir, 'r');
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    // The data is already written and renamed; only durability across a power cut is at stake.
  }
}

/**
 * Reads the settings without side effects (no `.bak`, no write-back), for
 * front ends that must not change the user's files, such as `proctop serve`
 * run as a service. A missing file gives the defaults.
 */
export function readConfig(file: string): { readonly config: Config; readonly errors: readonly string[] } {
  const got = read(file);
  if (got === undefined) return { config: DEFAULT_CONFIG, errors: [] };
  if ('problem' in got) return { config: DEFAULT_CONFIG, errors: [oneLine(`cannot read (${got.problem})`)] };
  try {
    return validateConfig(JSON.parse(got.text.replace(/^\uFEFF/, '')));
  } catch (error) {
    return { config: DEFAULT_CONFIG, errors: [oneLine(`not valid JSON (${error instanceof Error ? error.message : String(error)})`)] };
  }
}
