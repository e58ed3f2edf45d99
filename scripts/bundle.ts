/**
 * Bundles the CLI (src/cli.ts and everything it imports, node_modules included) into one
 * minified CommonJS file with esbuild:
 *
 *   node dist/scripts/bundle.js            → dist/bundle/proctop.js (+ .map, notices): what bin/proctop runs
 *                                            dist/bundle/proctop-serve.js, proctop-record.js (+ .map): the daemons alone
 *                                            dist/bundle/proctop-dep-systeminformation.js: shared, loaded on demand
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
 * does not hold the monitor's source in its heap for as long as it runs; or one package that
 * those bundles share (SHARED_PACKAGES).
 */
export type BundleTarget = 'cli' | 'serve' | 'record' | { readonly package: string };

const ENTRY: Readonly<Record<'cli' | 'serve' | 'record', string>> = {
  cli: 'cli.ts',
  serve: path.join('cli', 'serve-entry.ts'),
  record: path.join('cli', 'record-entry.ts'),
};

/**
 * The portable sampler's big package (`--sampler portable`, for systems without /proc; 312 KiB
 * bundled): bundled once into a file of its own beside the others, which they require only when
 * that sampler runs, so no proctop process holds its source unless it uses it. proctop's package
 * has no run-time dependencies (the bundles carry them), so node_modules cannot serve. pidusage
 * (10 KiB) stays in the bundles: the sampler requires its internal history module by path.
 */
export const SHARED_PACKAGES = ['systeminformation'] as const;

/** The file in dist/bundle/ that holds a shared package. */
export function sharedPackageFile(name: string): string {
  return `proctop-dep-${name}.js`;
}

/** The bundles `npm run build` makes, by file name in dist/bundle/ (bin/load-bundle.js picks one by command). */
export const BUNDLES: readonly (readonly [string, BundleTarget])[] = [
  ['proctop.js', 'cli'], ['proctop-serve.js', 'serve'], ['proctop-record.js', 'record'],
  ...SHARED_PACKAGES.map((name) => [sharedPackageFile(name), { package: name }] as const),
];

/** Resolves a shared package, in a bundle other than its own, to its file beside that bundle. */
function sharedPackagesPlugin(): esbuild.Plugin {
  return {
    name: 'shared-packages',
    setup(build) {
      build.onResolve({ filter: new RegExp(`^(${SHARED_PACKAGES.join('|')})$`) }, (args) => ({ path: `./${sharedPackageFile(args.path)}`, external: true }));
    },
  };
}

/**
 * Bundles into `outfile`. The 'bundle' kind exports `main` for bin/proctop; 'single-file'
 * calls main itself (a single executable application runs its one script as the entry point,
 * so it holds the whole CLI, shared packages included). The caller writes the notices.
 */
export async function bundle(kind: Exclude<BuildKind, 'unbundled'>, outfile: string, target: BundleTarget = 'cli'): Promise<BundleResult> {
  const code = (contents: string, sourcefile: string): esbuild.BuildOptions => ({ stdin: { contents, resolveDir: ROOT, sourcefile, loader: 'ts' } });
  const entry = kind === 'single-file' ? code("import { main } from './src/cli';\nmain(process.argv);\n", 'single-file-entry.ts')
    : typeof target === 'object' ? code(`module.exports = require(${JSON.stringify(target.package)});\n`, `${target.package}-entry.ts`)
      : { entryPoints: [path.join(ROOT, 'src', ENTRY[target])] };
  const shared = kind === 'bundle' && typeof target !== 'object' ? [sharedPackagesPlugin()] : [];
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
    external: ['term.js', 'pty.js'],
    define: { PROCTOP_BUILD_INFO: JSON.stringify(stamp(ROOT, kind)) },
    plugins: [...shared, blessedPlugin(path.dirname(require.resolve('blessed/package.json', { paths: [ROOT] }))), loadMarkersPlugin(ROOT), commanderPlugin()],
    metafile: true,
    logLevel: 'warning',
  });
  return { outfile, bytes: fs.statSync(outfile).size, metafile: result.metafile };
}

if (require.main === module) {
  const dir = path.join(ROOT, 'dist', 'bundle');
  (async () => {
    const inputs: esbuild.Metafile['inputs'] = {};
    for (const [file, target] of BUNDLES) {
      const r = await bundle('bundle', path.join(dir, file), target);
      Object.assign(inputs, r.metafile.inputs);
      process.stdout.write(`bundle: ${path.relative(ROOT, r.outfile)} ${(r.bytes / 1024).toFixed(0)} KiB\n`);
    }
    // One notice file for the packages in any of the bundles.
    writeNotices(ROOT, { inputs, outputs: {} }, path.join(dir, 'THIRD-PARTY-NOTICES'));
  })().catch((err: unknown) => {
    process.stderr.write(`bundle: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  });
}
