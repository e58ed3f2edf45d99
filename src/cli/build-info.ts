import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Which build is running: `--version` says so, and bug reports need it. */
export type BuildKind =
  /** `npm run dist`: the bundle injected into a copy of the node binary (Node's single executable applications). */
  | 'single-file'
  /** `npm run build`: dist/bundle/proctop.js, run by a node on the host (bin/proctop, the npm package). */
  | 'bundle'
  /** tsc's dist/src, as the tests import it: no build stamp. */
  | 'unbundled';

/** What the build stamped into the bundle (scripts/bundle.ts), so none of it needs .git or package.json at run time. */
export interface BuildInfo {
  /** package.json's version at build time. */
  readonly version: string;
  /** The commit the build was made from (40 hex digits); undefined when built outside a git checkout. */
  readonly commit: string | undefined;
  /** The work tree had uncommitted changes when it was built. */
  readonly dirty: boolean;
  readonly kind: BuildKind;
}

// Replaced by esbuild's `define` with the stamp of the build (scripts/bundle.ts); absent in tsc's output.
declare const PROCTOP_BUILD_INFO: BuildInfo | undefined;

/** The stamp of this build, or (unbundled) the version from package.json with no commit. */
export function buildInfo(): BuildInfo {
  if (typeof PROCTOP_BUILD_INFO !== 'undefined') return PROCTOP_BUILD_INFO;
  // dist/src/cli/build-info.js → the package root.
  const pkg = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as { version: string };
  return { version: pkg.version, commit: undefined, dirty: false, kind: 'unbundled' };
}

const KIND_TEXT: Readonly<Record<BuildKind, (node: string) => string>> = {
  'single-file': (node) => `single-file build, Node ${node} inside`,
  bundle: (node) => `not the single-file build: a bundle run by Node ${node}`,
  unbundled: (node) => `not the single-file build: unbundled (tsc output) run by Node ${node}`,
};

/** The `--version` line: version, commit (12 digits, `+dirty` for uncommitted changes) and which build. */
export function versionText(info: BuildInfo, nodeVersion: string = process.versions.node): string {
  const commit = info.commit === undefined ? 'commit unknown' : `commit ${info.commit.slice(0, 12)}${info.dirty ? '+dirty' : ''}`;
  return `proctop ${info.version} (${commit}; ${KIND_TEXT[info.kind](nodeVersion)})`;
}
