/**
 * Bundles the CLI (src/cli.ts and everything it imports, node_modules included) into one
 * minified CommonJS file with esbuild:
 *
 *   node dist/scripts/bundle.js            → dist/bundle/proctop.js (+ .map, notices): what bin/proctop runs
 *                                            dist/bundle/proctop-serve.js, proctop-record.js (+ .map): the daemons alone
 *   (scripts/sea.ts builds the single-file variant through bundle() with kind 'single-file')
 *
 * Bundling from the CLI's entry means a new sub-command (record, serve, …) is in the bundle as
 * soon as cli.ts reaches it. Modules required inside functions stay unevaluated until then, so
 * lazy loading works as in tsc's output.
 */
import * as esbuild from 'esbuild';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { BuildKind } from '../src/cli/build-info';
import { blessedPlugin } from './blessed-plugin';
import { commanderPlugin } from './commander-plugin';
import { loadMarkersPlugin } from './load-markers';
import { writeNotices } from './notices';
import { stamp } from './stamp';

/** The package root (dist/scripts/bundle.js → ../..). */
export const ROOT = path.resolve(__dirname, '..', '..');

export interface BundleResult {
  readonly outfile: string;
  readonly bytes: number;
  readonly metafile: esbuild.Metafile;
}

/**
 * What a bundle runs: the whole CLI, or one daemon alone (src/cli/daemon-entry.ts), which then
 * does not hold the monitor's source in its heap for as long as it runs.
 */
export type BundleTarget = 'cli' | 'serve' | 'record';

const ENTRY: Readonly<Record<BundleTarget, string>> = {
  cli: 'cli.ts',
  serve: path.join('cli', 'serve-entry.ts'),
  record: path.join('cli', 'record-entry.ts'),
};

/** The bundles `npm run build` makes, by file name in dist/bundle/ (bin/load-bundle.js picks one by command). */
export const BUNDLES: readonly (readonly [string, BundleTarget])[] = [['proctop.js', 'cli'], ['proctop-serve.js', 'serve'], ['proctop-record.js', 'record']];

/**
 * Packages the daemons' bundles leave out: the portable sampler's (`proctop serve --sampler
 * portable`, for systems without /proc), required from the package's node_modules when asked for.
 */
const DAEMON_EXTERNAL = ['systeminformation', 'pidusage'];

/**
 * Bundles into `outfile`. The 'bundle' kind exports `main` for bin/proctop; 'single-file'
 * calls main itself (a single executable application runs its one script as the entry point,
 * so it has only the whole CLI). The notices beside the bundles are the CLI's: the daemons'
 * packages are among them (test/unit/scripts/bundle-contents.test.ts).
 */
export async function bundle(kind: Exclude<BuildKind, 'unbundled'>, outfile: string, target: BundleTarget = 'cli'): Promise<BundleResult> {
  const entry = kind === 'bundle'
    ? { entryPoints: [path.join(ROOT, 'src', ENTRY[target])] }
    : { stdin: { contents: "import { main } from './src/cli';\nmain(process.argv);\n", resolveDir: ROOT, sourcefile: 'single-file-entry.ts', loader: 'ts' as const } };
  const result = await esbuild.build({
    ...entry,
    absWorkingDir: ROOT,
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    minify: true,
    // Stacks name the source file and line through the map (bin/proctop turns source maps on).
    sourcemap: 'linked',
    // The map points at the sources; it does not carry them (the package ships no TypeScript).
    sourcesContent: false,
    legalComments: 'none',
    // blessed's Terminal widget (unused) requires these optional packages, which are not installed.
    external: ['term.js', 'pty.js', ...(kind === 'bundle' && target !== 'cli' ? DAEMON_EXTERNAL : [])],
    define: { PROCTOP_BUILD_INFO: JSON.stringify(stamp(ROOT, kind)) },
    plugins: [blessedPlugin(path.dirname(require.resolve('blessed/package.json', { paths: [ROOT] }))), loadMarkersPlugin(ROOT), commanderPlugin()],
    metafile: true,
    logLevel: 'warning',
  });
  if (target === 'cli') writeNotices(ROOT, result.metafile, path.join(path.dirname(outfile), 'THIRD-PARTY-NOTICES'));
  return { outfile, bytes: fs.statSync(outfile).size, metafile: result.metafile };
}

if (require.main === module) {
  const dir = path.join(ROOT, 'dist', 'bundle');
  (async () => {
    for (const [file, target] of BUNDLES) {
      const r = await bundle('bundle', path.join(dir, file), target);
      process.stdout.write(`bundle: ${path.relative(ROOT, r.outfile)} ${(r.bytes / 1024).toFixed(0)} KiB\n`);
    }
  })().catch((err: unknown) => {
    process.stderr.write(`bundle: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  });
}
