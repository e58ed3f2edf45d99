/**
 * The build stamp `--version` reports (src/cli/build-info.ts): package.json's version and the
 * git commit of the tree being built. Read once per build, so the program needs neither .git
 * nor package.json at run time (an npm tarball or the single file carries the stamp).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { BuildInfo, BuildKind } from '../src/cli/build-info';

function git(root: string, args: readonly string[]): string | undefined {
  const r = spawnSync('git', ['-C', root, ...args], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout : undefined;
}

/** The stamp for a build of `root` (the package directory) of the given kind. */
export function stamp(root: string, kind: BuildKind): BuildInfo {
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string };
  // Only a checkout of this project counts: a tarball unpacked inside some other repository is not built from that repository's HEAD.
  const top = git(root, ['rev-parse', '--show-toplevel'])?.trim();
  const inCheckout = top !== undefined && fs.realpathSync(top) === fs.realpathSync(root);
  const head = inCheckout ? git(root, ['rev-parse', 'HEAD'])?.trim() : undefined;
  const status = inCheckout ? git(root, ['status', '--porcelain', '--untracked-files=no']) : undefined;
  return { version: pkg.version, commit: head, dirty: status !== undefined && status.trim() !== '', kind };
}
