/**
 * Marks, in the bundle, when a watched package is evaluated: its main file gets one statement in
 * front that adds the package's name to a list on globalThis (the key below). The start-up guard test
 * (test/unit/scripts/start-up-loads.test.ts) runs the minified bundle and reads that list, so a lazy
 * import made eager shows up there. Cost at run time: one array push per watched package loaded.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Plugin } from 'esbuild';

/**
 * The packages whose loading is watched: the first frame and the sub-commands must not pay for them
 * (yaml is serve's, for --web-config: `--once --replay` must not load the exporter).
 */
export const WATCHED_PACKAGES = ['blessed', 'blessed-contrib', 'systeminformation', 'pidusage', 'yaml'] as const;

/**
 * The file whose evaluation marks a package, where it is not the package's main file: proctop loads
 * blessed-contrib's line chart by its own file (src/ui/paint.ts), never the index.
 */
const WATCHED_ENTRY: Partial<Record<(typeof WATCHED_PACKAGES)[number], string>> = {
  'blessed-contrib': 'blessed-contrib/lib/widget/charts/line',
};

/** The globalThis key of the list of watched packages evaluated so far. */
export const LOADED_KEY = 'proctop.loaded-packages';

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The statement put in front of a package's main file. */
export function marker(name: string): string {
  return `(globalThis[${JSON.stringify(LOADED_KEY)}] ||= []).push(${JSON.stringify(name)});\n`;
}

/** The esbuild plugin; `root` is where the packages are resolved from. */
export function loadMarkersPlugin(root: string): Plugin {
  const mains = new Map(WATCHED_PACKAGES.map((name) => [require.resolve(WATCHED_ENTRY[name] ?? name, { paths: [root] }), name]));
  return {
    name: 'load-markers',
    setup(build) {
      for (const [file, name] of mains) {
        build.onLoad({ filter: new RegExp(`^${escapeRegExp(file)}$`) }, () => ({
          contents: marker(name) + fs.readFileSync(file, 'utf8'),
          loader: 'js',
          resolveDir: path.dirname(file),
        }));
      }
    },
  };
}
