/**
 * What blessed needs from its package directory at run time, made to work from a bundle
 * (dist/bundle/proctop.js) and from the single-file build, where that directory is absent:
 *
 * - lib/widget.js requires its widgets by computed path (`require('./widgets/' + file)`), which
 *   no bundler can follow: it is rewritten into one static require per widget, so every widget
 *   is in the bundle.
 * - lib/tput.js falls back to blessed's own compiled terminfo and termcap files
 *   (`__dirname + '/../usr/xterm'`, `usr/<TERM>`, `usr/<TERM>.termcap`) when the host has no
 *   usable entry for $TERM. Those files are embedded in the bundle and tput's file reads go
 *   through a shim that serves them, and the real file system for everything else.
 *
 * - lib/program.js runs `tmux -V` (a fork and exec, ~10–20 ms) in its constructor whenever $TMUX is
 *   set, for a version read only when all-motion mouse tracking is turned on (and by the unused
 *   Terminal widget). proctop asks for clicks and the wheel only (src/ui/mouse-reports.ts), so the
 *   version becomes a getter that runs `tmux -V` the first time it is read: never, for proctop.
 *
 * - lib/tput.js refuses ncurses 6's extended number format before parsing (refuseExtendedNumbers).
 *
 * - lib/tput.js compiles each string capability (~400 of them, each through `new Function`) the
 *   first time it is called instead of all at screen set-up (lazyCapabilities).
 *
 * Each rewrite checks that it found exactly what it expects, so a new blessed version fails the
 * build instead of shipping a bundle that breaks at run time.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Plugin } from 'esbuild';

/** A directory that cannot exist (NUL is not allowed in paths), so embedded files never shadow real ones. */
export const EMBEDDED_USR = '/\u0000blessed/usr';

const SHIM = 'proctop-embedded:blessed-usr';

/** Replaces each `from` in `text` with `to`, requiring exactly `count` matches. */
function replaceExactly(text: string, from: string, to: string, count: number, file: string): string {
  const parts = text.split(from);
  if (parts.length - 1 !== count) throw new Error(`${file}: expected ${count} × ${JSON.stringify(from)}, found ${parts.length - 1} (blessed changed?)`);
  return parts.join(to);
}

/** lib/widget.js with its computed requires spelled out. */
export function staticWidgetRequires(source: string, file: string): string {
  const list = /widget\.classes = \[([^\]]*)\];/.exec(source);
  const loop = /widget\.classes\.forEach\(function\(name\) \{\n\s*var file = name\.toLowerCase\(\);\n\s*widget\[name\] = widget\[file\] = require\('\.\/widgets\/' \+ file\);\n\}\);/.exec(source);
  if (!list || !loop) throw new Error(`${file}: the widget list or its require loop is not where expected (blessed changed?)`);
  const names = [...(list[1] as string).matchAll(/'(\w+)'/g)].map((m) => m[1] as string);
  const requires = names.map((name) => `widget[${JSON.stringify(name)}] = widget[${JSON.stringify(name.toLowerCase())}] = require(${JSON.stringify(`./widgets/${name.toLowerCase()}`)});`);
  return source.replace(loop[0], requires.join('\n'));
}

/** lib/tput.js reading its fallback files from the embedded set. */
export function embeddedTputFiles(source: string, file: string): string {
  const withShim = replaceExactly(source, "fs = require('fs')", `fs = require(${JSON.stringify(SHIM)})`, 1, file);
  return replaceExactly(withShim, "__dirname + '/../usr/", `${JSON.stringify(EMBEDDED_USR)} + '/`, 4, file);
}

const TMUX_VERSION_START = '  this.tmuxVersion = (function() {';
const TMUX_VERSION_END = '  })();\n';

/** lib/program.js with `tmuxVersion` computed when first read instead of in the constructor. */
export function lazyTmuxVersion(source: string, file: string): string {
  const start = source.indexOf(TMUX_VERSION_START);
  const end = start < 0 ? -1 : source.indexOf(TMUX_VERSION_END, start);
  if (start < 0 || end < 0 || source.indexOf(TMUX_VERSION_START, start + 1) >= 0 || !source.slice(start, end).includes("execFileSync('tmux', ['-V']")) {
    throw new Error(`${file}: the tmux -V probe is not where expected (blessed changed?)`);
  }
  const body = source.slice(start + TMUX_VERSION_START.length, end);
  const getter = `  var tmuxVersion;
  Object.defineProperty(this, 'tmuxVersion', {
    configurable: true,
    enumerable: true,
    get: function() {
      if (tmuxVersion === undefined) tmuxVersion = (function() {${body}  })();
      return tmuxVersion;
    },
    set: function(v) { tmuxVersion = v; }
  });
`;
  return source.slice(0, start) + getter + source.slice(end + TMUX_VERSION_END.length);
}

const PARSE_TERMINFO = 'Tput.prototype.parseTerminfo = function(data, file) {\n';

/**
 * lib/tput.js refusing ncurses 6's extended number format (magic 01036: 32-bit numbers; Debian
 * compiles xterm-256color, tmux-256color and screen-256color so) with a plain Error before it
 * parses. blessed 0.1.81 reads only the legacy format: it failed on these entries in an
 * `assert.equal`, whose AssertionError formats its stack when made, and formatting a stack reads
 * the bundle's 2.4 MB source map (src/cli/stack-map.ts) on every start under such a TERM. Either
 * way tput falls back to its own entry for the name, then to its xterm entry, as before.
 */
export function refuseExtendedNumbers(source: string, file: string): string {
  const check = `${PARSE_TERMINFO}  if (((data[1] << 8) | data[0]) === 0x21e) throw new Error('ncurses 6 extended number format: not read by blessed');\n`;
  return replaceExactly(source, PARSE_TERMINFO, check, 1, file);
}

const COMPILE_CAP = '      info.methods[key] = self._compile(info, key, info.all[key]);\n';
const INJECT = 'Tput.prototype.inject = function(info) {\n';

/**
 * lib/tput.js compiling a string capability when it is first called. blessed compiled all of the
 * entry's ~400 strings into functions at screen set-up (tput.compile: about half of blessed's
 * set-up in a profile of the first frame); a screen calls a few dozen. Empty strings, init_file /
 * reset_file (read from disk) and the `stringify` option (strings, not functions) stay eager, so
 * every capability is still a function, false/-1 or a string exactly where it was.
 */
export function lazyCapabilities(source: string, file: string): string {
  const lazy = replaceExactly(source, COMPILE_CAP, '      info.methods[key] = self._compileLazily(info, key, info.all[key]);\n', 1, file);
  return replaceExactly(lazy, INJECT, `// proctop (scripts/blessed-plugin.ts): compiled on first call.
Tput.prototype._compileLazily = function(info, key, str) {
  if (typeof str !== 'string' || !str || this.options.stringify || key === 'init_file' || key === 'reset_file') return this._compile(info, key, str);
  var self = this, compiled;
  return function() {
    if (!compiled) compiled = self._compile(info, key, str);
    return compiled.apply(this, arguments);
  };
};

${INJECT}`, 1, file);
}

/** The files tput can open from usr/: compiled terminfo entries and termcaps (not fonts/, not the terminfo source). */
export function usrFilesToEmbed(usrDir: string): string[] {
  return fs.readdirSync(usrDir, { withFileTypes: true })
    .filter((e) => e.isFile() && !e.name.endsWith('.terminfo'))
    .map((e) => e.name)
    .sort();
}

/** The shim module: blessed's usr/ files as buffers, and fs for every other path. */
export function shimSource(usrDir: string): string {
  const files = usrFilesToEmbed(usrDir).map((name) => `  ${JSON.stringify(name)}: ${JSON.stringify(fs.readFileSync(path.join(usrDir, name)).toString('base64'))},`);
  return `'use strict';
const fs = require('fs');
const PREFIX = ${JSON.stringify(EMBEDDED_USR + '/')};
const FILES = {
${files.join('\n')}
};
function embedded(file) {
  if (typeof file !== 'string' || !file.startsWith(PREFIX)) return undefined;
  const name = file.slice(PREFIX.length);
  if (!Object.prototype.hasOwnProperty.call(FILES, name)) {
    const err = new Error('ENOENT: no such file (embedded blessed usr/): ' + name);
    err.code = 'ENOENT';
    throw err;
  }
  return Buffer.from(FILES[name], 'base64');
}
module.exports = Object.assign({}, fs, {
  readFileSync(file, options) {
    const data = embedded(file);
    if (data === undefined) return fs.readFileSync(file, options);
    const encoding = typeof options === 'string' ? options : options && options.encoding;
    return encoding ? data.toString(encoding) : data;
  },
  statSync(file, options) {
    if (embedded(file) !== undefined) return { isFile: () => true, isDirectory: () => false };
    return fs.statSync(file, options);
  },
});
`;
}

/** The esbuild plugin. `blessedDir` is the blessed package directory being bundled. */
export function blessedPlugin(blessedDir: string): Plugin {
  const lib = path.join(blessedDir, 'lib');
  return {
    name: 'blessed-runtime-files',
    setup(build) {
      build.onLoad({ filter: /[\\/]blessed[\\/]lib[\\/]widget\.js$/ }, (args) => {
        if (path.dirname(args.path) !== lib) return undefined;
        return { contents: staticWidgetRequires(fs.readFileSync(args.path, 'utf8'), args.path), loader: 'js' };
      });
      build.onLoad({ filter: /[\\/]blessed[\\/]lib[\\/]program\.js$/ }, (args) => {
        if (path.dirname(args.path) !== lib) return undefined;
        return { contents: lazyTmuxVersion(fs.readFileSync(args.path, 'utf8'), args.path), loader: 'js' };
      });
      build.onLoad({ filter: /[\\/]blessed[\\/]lib[\\/]tput\.js$/ }, (args) => {
        if (path.dirname(args.path) !== lib) return undefined;
        return { contents: lazyCapabilities(refuseExtendedNumbers(embeddedTputFiles(fs.readFileSync(args.path, 'utf8'), args.path), args.path), args.path), loader: 'js' };
      });
      build.onResolve({ filter: new RegExp(`^${SHIM}$`) }, () => ({ path: 'blessed-usr', namespace: 'proctop-embedded' }));
      build.onLoad({ filter: /.*/, namespace: 'proctop-embedded' }, () => ({ contents: shimSource(path.join(blessedDir, 'usr')), loader: 'js' }));
    },
  };
}
