/**
 * Readable crash stacks from the minified bundle, at no start-up cost.
 *
 * Node's own source-map support (`--enable-source-maps`) reads and parses the bundle's 2 MB map
 * when the bundle loads (~50 ms of CPU on every start, measured), and cannot be turned on for a
 * single executable's script at all. Here V8's stack formatting hook maps frames of the bundle
 * through the map, which is read only when a stack is first formatted: a crash pays, a normal
 * start does not.
 */
import { readFileSync } from 'node:fs';
import { findOrigins, Origin, SourceMapText } from './source-map-lines';
import type { BuildInfo } from './build-info';

/**
 * A source as the map names it (relative to the map: `../../src/cli.ts`, `<define:…>`) made
 * relative to the project: `src/cli.ts`, `node_modules/blessed/lib/tput.js`.
 */
export function projectPath(source: string): string {
  return source.replace(/^(?:\.\.\/)+/, '').replace(/^\.\//, '');
}

/**
 * Rewrites one V8 stack frame line (`    at f (file:12:34)`) whose location is in `file` to the
 * original source; other lines come back unchanged.
 */
export function mapFrameLine(line: string, file: string, origin: (line: number, column: number) => Origin | undefined): string {
  const at = line.lastIndexOf(`${file}:`);
  if (at < 0) return line;
  const m = /^(\d+):(\d+)/.exec(line.slice(at + file.length + 1));
  if (!m) return line;
  const found = origin(Number(m[1]) - 1, Number(m[2]) - 1);
  if (!found) return line;
  return `${line.slice(0, at)}${projectPath(found.source)}:${found.line + 1}:${found.column + 1}${line.slice(at + file.length + 1 + m[0].length)}`;
}

/** The frame's line and column (zero-based) when it is in `file`. */
function framePosition(line: string, file: string): [number, number] | undefined {
  const at = line.lastIndexOf(`${file}:`);
  const m = at < 0 ? null : /^(\d+):(\d+)/.exec(line.slice(at + file.length + 1));
  return m ? [Number(m[1]) - 1, Number(m[2]) - 1] : undefined;
}

/**
 * Installs the hook: frames in `file` (the bundle's script name as V8 reports it) are mapped
 * through the map that `loadMap` returns (JSON text), read when a stack is formatted. Only the
 * lines of that stack are decoded (source-map-lines.ts); the map is held through a WeakRef, so a
 * stack formatted for an error that was caught (blessed's terminfo parser throws one on ncurses 6
 * entries) costs one read, not the heap for the rest of the run.
 * When the map cannot be had, stacks stay as V8 writes them.
 */
export function installStackMapping(file: string, loadMap: () => string): void {
  let held: WeakRef<SourceMapText> | null | undefined;
  const map = (): SourceMapText | undefined => {
    if (held === null) return undefined;
    const kept = held?.deref();
    if (kept) return kept;
    try {
      const parsed = JSON.parse(loadMap()) as Partial<SourceMapText>;
      if (typeof parsed.mappings !== 'string' || !Array.isArray(parsed.sources)) throw new Error('not a source map');
      const text: SourceMapText = { mappings: parsed.mappings, sources: parsed.sources };
      held = new WeakRef(text);
      return text;
    } catch {
      held = null;
      return undefined;
    }
  };
  Error.prepareStackTrace = (err: Error, frames: NodeJS.CallSite[]): string => {
    let head: string;
    try {
      head = Error.prototype.toString.call(err);
    } catch {
      head = 'Error';
    }
    const lines = frames.map((f) => `    at ${String(f)}`);
    const positions = lines.map((l) => framePosition(l, file));
    const asked = positions.filter((p): p is [number, number] => p !== undefined);
    const text = asked.length > 0 ? map() : undefined;
    if (!text) return [head, ...lines].join('\n');
    const origins = findOrigins(text, asked);
    const byPosition = new Map(asked.map((p, i) => [`${p[0]}:${p[1]}`, origins[i]]));
    const origin = (line: number, column: number): Origin | undefined => byPosition.get(`${line}:${column}`);
    return [head, ...lines.map((l) => mapFrameLine(l, file, origin))].join('\n');
  };
}

/** The script name of the single-file build in its stacks, and its map among the executable's assets (scripts/sea.ts). */
export const SINGLE_FILE_SCRIPT = 'proctop.js';
export const SINGLE_FILE_MAP_ASSET = 'proctop.js.map';

/**
 * Maps stacks for the running build: the bundle's map lies beside it; the single file carries
 * its map as an asset. tsc's output (tests) needs nothing: its frames already name real files.
 */
export function mapStacksOfThisBuild(info: Pick<BuildInfo, 'kind'>): void {
  if (info.kind === 'bundle') {
    // In the bundle, __filename is the bundle itself (dist/bundle/proctop.js).
    installStackMapping(__filename, () => readFileSync(`${__filename}.map`, 'utf8'));
  } else if (info.kind === 'single-file') {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const sea = require('node:sea') as { getAsset(key: string, encoding: string): string };
    installStackMapping(SINGLE_FILE_SCRIPT, () => sea.getAsset(SINGLE_FILE_MAP_ASSET, 'utf8'));
  }
}
