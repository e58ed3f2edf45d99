/**
 * Access to the recorded /proc trees in test/fixtures/procfs (see the README
 * there). Tests run from dist/, so the tree is found by walking up to the
 * directory that holds package.json.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

function repoRoot(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no package.json above ${__dirname}`);
  }
}

/** The directory holding package.json and README.md. */
export const REPO_ROOT = repoRoot();

/** The directory holding one subdirectory per scenario. */
export const FIXTURES = path.join(REPO_ROOT, 'test', 'fixtures', 'procfs');

/** The root of a scenario, laid out like /proc. */
export function scenario(name: string): string {
  return path.join(FIXTURES, name);
}

/** A fixture file decoded as the reader decodes it (UTF-8, invalid bytes → U+FFFD). */
export function fixtureText(name: string, file: string): string {
  return fs.readFileSync(path.join(FIXTURES, name, file), 'utf8');
}

/** The owner uid of each pid directory, from the scenario's `owners` file. */
export function owners(name: string): Map<number, number> {
  const map = new Map<number, number>();
  for (const line of fixtureText(name, 'owners').split('\n')) {
    const [pid, uid] = line.split(' ');
    if (pid && uid) map.set(Number(pid), Number(uid));
  }
  return map;
}

export const IS_ROOT = process.getuid?.() === 0;

/** A fresh directory under os.tmpdir(); removed by `cleanup`. */
export function tempDir(): { dir: string; cleanup: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'proctop-procfs-'));
  return { dir, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

export interface Materialized {
  readonly root: string;
  /** True when every pid directory is owned by the uid in `owners` (needs root: git keeps no owners). */
  readonly owned: boolean;
  readonly cleanup: () => void;
}

/**
 * Copies a scenario to a temporary directory and, when running as root,
 * gives each pid directory the owner listed in its `owners` file, since the
 * sampler takes a process's uid from the owner of /proc/PID.
 */
export function materialize(name: string): Materialized {
  const { dir, cleanup } = tempDir();
  const root = path.join(dir, name);
  fs.cpSync(scenario(name), root, { recursive: true });
  if (IS_ROOT) for (const [pid, uid] of owners(name)) fs.chownSync(path.join(root, String(pid)), uid, uid);
  return { root, owned: IS_ROOT, cleanup };
}
