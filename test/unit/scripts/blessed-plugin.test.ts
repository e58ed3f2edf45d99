import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
// The module object itself (an ES import gives a read-only copy): the test swaps its execFileSync.
// eslint-disable-next-line @typescript-eslint/no-require-imports
import cp = require('node:child_process');
import Module from 'node:module';
import { PassThrough } from 'node:stream';
import { embeddedTputFiles, EMBEDDED_USR, lazyCapabilities, lazyTmuxVersion, refuseExtendedNumbers, shimSource, staticWidgetRequires, usrFilesToEmbed } from '../../../scripts/blessed-plugin';

const BLESSED = path.dirname(require.resolve('blessed/package.json'));
const WIDGET_JS = path.join(BLESSED, 'lib', 'widget.js');
const TPUT_JS = path.join(BLESSED, 'lib', 'tput.js');

test('widget.js: every widget gets a static require, and no computed require is left', () => {
  const out = staticWidgetRequires(fs.readFileSync(WIDGET_JS, 'utf8'), WIDGET_JS);
  const required = [...out.matchAll(/require\("\.\/widgets\/(\w+)"\)/g)].map((m) => m[1] as string);
  const onDisk = fs.readdirSync(path.join(BLESSED, 'lib', 'widgets')).map((f) => f.replace(/\.js$/, ''));
  assert.equal(required.length, 34);
  assert.deepEqual(required.filter((w) => !onDisk.includes(w)), []);
  assert.doesNotMatch(out, /require\('\.\/widgets\/' \+/);
});

test('widget.js in an unexpected shape fails the build', () => {
  assert.throws(() => staticWidgetRequires("widget.classes = ['Node'];\nwidget.classes.forEach(load);\n", 'widget.js'), /not where expected/);
});

test('tput.js: its fs and its four usr/ paths point at the embedded files', () => {
  const out = embeddedTputFiles(fs.readFileSync(TPUT_JS, 'utf8'), TPUT_JS);
  assert.doesNotMatch(out, /__dirname \+ '\/\.\.\/usr\//);
  assert.equal(out.split(`${JSON.stringify(EMBEDDED_USR)} + '/`).length - 1, 4);
  assert.match(out, /fs = require\("proctop-embedded:blessed-usr"\)/);
});

test('tput.js with one more usr/ path than expected fails the build', () => {
  const source = `${fs.readFileSync(TPUT_JS, 'utf8')}\nx = __dirname + '/../usr/extra';\n`;
  assert.throws(() => embeddedTputFiles(source, 'tput.js'), /expected 4/);
});

test('the embedded set: compiled terminfo entries and termcaps, not fonts or the terminfo source', () => {
  assert.deepEqual(usrFilesToEmbed(path.join(BLESSED, 'usr')), ['linux', 'windows-ansi', 'xterm', 'xterm-256color', 'xterm.termcap']);
});

test('the shim serves an embedded file byte for byte, and the file system for any other path', () => {
  const mod = { exports: {} as Record<string, unknown> };
  new Function('module', 'require', shimSource(path.join(BLESSED, 'usr')))(mod, require);
  const shim = mod.exports as { readFileSync: (file: string, enc?: string) => Buffer | string };
  assert.deepEqual(shim.readFileSync(`${EMBEDDED_USR}/xterm`), fs.readFileSync(path.join(BLESSED, 'usr', 'xterm')));
  assert.equal(shim.readFileSync(`${EMBEDDED_USR}/xterm.termcap`, 'utf8'), fs.readFileSync(path.join(BLESSED, 'usr', 'xterm.termcap'), 'utf8'));
  assert.throws(() => shim.readFileSync(`${EMBEDDED_USR}/no-such-term`), { code: 'ENOENT' });
  assert.equal(shim.readFileSync(path.join(BLESSED, 'package.json'), 'utf8'), fs.readFileSync(path.join(BLESSED, 'package.json'), 'utf8'));
});

test('program.js: under tmux, `tmux -V` runs only when tmuxVersion is read, and gives the same answer', (t) => {
  // The rewritten program.js compiled in place of blessed's, with child_process.execFileSync counted.
  const file = path.join(BLESSED, 'lib', 'program.js');
  const compiled = new Module(file, module);
  compiled.filename = file;
  compiled.paths = (Module as unknown as { _nodeModulePaths(dir: string): string[] })._nodeModulePaths(path.dirname(file));
  (compiled as unknown as { _compile(source: string, file: string): void })._compile(lazyTmuxVersion(fs.readFileSync(file, 'utf8'), file), file);
  const Program = compiled.exports as new (options: object) => { tmuxVersion: number; tmux: boolean; destroy(): void };
  const spawned: string[][] = [];
  const real = cp.execFileSync;
  (cp as { execFileSync: unknown }).execFileSync = (cmd: string, args: string[]): string => {
    spawned.push([cmd, ...args]);
    return 'tmux 3.3a\n';
  };
  const tmuxBefore = process.env.TMUX;
  process.env.TMUX = '/tmp/tmux-0/default,1,0';
  t.after(() => {
    (cp as { execFileSync: unknown }).execFileSync = real;
    if (tmuxBefore === undefined) delete process.env.TMUX;
    else process.env.TMUX = tmuxBefore;
  });
  const input = new PassThrough();
  const output = Object.assign(new PassThrough(), { isTTY: true, columns: 80, rows: 24 });
  const program = new Program({ input, output, tput: false });
  t.after(() => program.destroy());
  assert.equal(program.tmux, true);
  assert.deepEqual(spawned, [], 'no tmux -V at construction');
  assert.equal(program.tmuxVersion, 3.3);
  assert.equal(program.tmuxVersion, 3.3);
  assert.deepEqual(spawned, [['tmux', '-V']], 'once, when read');
});

test('program.js without the tmux probe where expected fails the build', () => {
  assert.throws(() => lazyTmuxVersion('function Program() {}\n', 'program.js'), /not where expected/);
});

/** blessed's tput.js compiled from `source` in its own directory (so its usr/ fallbacks resolve). */
function compileTput(source: string): new (options: object) => { info: { name: string }; error: Error | null; colors: number } {
  const compiled = new Module(TPUT_JS, module);
  compiled.filename = TPUT_JS;
  compiled.paths = (Module as unknown as { _nodeModulePaths(dir: string): string[] })._nodeModulePaths(path.dirname(TPUT_JS));
  (compiled as unknown as { _compile(source: string, file: string): void })._compile(source, TPUT_JS);
  return compiled.exports as new (options: object) => { info: { name: string }; error: Error | null; colors: number };
}

/** A compiled terminfo entry in ncurses 6's extended number format (magic 01036), if this host has one. */
function extendedEntry(): string | undefined {
  for (const file of ['/lib/terminfo/t/tmux-256color', '/usr/share/terminfo/t/tmux-256color', '/lib/terminfo/x/xterm-256color', '/usr/share/terminfo/x/xterm-256color']) {
    try {
      const data = fs.readFileSync(file);
      if (data.readUInt16LE(0) === 0o1036) return file;
    } catch {
      // not here
    }
  }
  return undefined;
}

test('tput.js: an ncurses 6 extended entry is refused without formatting a stack, and tput falls back as before', (t) => {
  const entry = extendedEntry();
  if (entry === undefined) return t.skip('no terminfo entry in the extended number format on this host');
  const original = fs.readFileSync(TPUT_JS, 'utf8');
  const Before = compileTput(original);
  const After = compileTput(refuseExtendedNumbers(original, TPUT_JS));
  const saved = Error.prepareStackTrace;
  let formatted = 0;
  Error.prepareStackTrace = (err: Error, frames: NodeJS.CallSite[]): string => {
    formatted++;
    return [String(err), ...frames.map((f) => `    at ${String(f)}`)].join('\n');
  };
  t.after(() => {
    Error.prepareStackTrace = saved;
  });
  const before = new Before({ terminal: entry });
  const formattedBefore = formatted;
  formatted = 0;
  const after = new After({ terminal: entry });
  assert.ok(formattedBefore > 0, 'the unpatched parser formats an AssertionError stack');
  assert.equal(formatted, 0, 'the patched one formats none');
  assert.equal(after.info.name, before.info.name);
  assert.equal(after.colors, before.colors);
  assert.equal(after.error?.message, before.error?.message);
});

test('tput.js without parseTerminfo where expected fails the build', () => {
  assert.throws(() => refuseExtendedNumbers('Tput.prototype.parse = function() {}\n', 'tput.js'), /expected 1/);
});

/** A tput made by a compiled tput.js: capabilities as methods, the compiled table as `methods`. */
type TputLike = { methods: Record<string, unknown> } & Record<string, ((...args: unknown[]) => string) | undefined>;

test('tput.js: string capabilities compile on first call, and give what the eager ones give', () => {
  const original = fs.readFileSync(TPUT_JS, 'utf8');
  const Eager = compileTput(original) as unknown as new (options: object) => TputLike;
  const Lazy = compileTput(lazyCapabilities(original, TPUT_JS)) as unknown as new (options: object) => TputLike;
  const count = (Tput: unknown): { compiles: number } => {
    const seen = { compiles: 0 };
    const proto = (Tput as { prototype: { _compile: (...args: unknown[]) => unknown } }).prototype;
    const compile = proto._compile;
    proto._compile = function (this: unknown, ...args: unknown[]): unknown {
      seen.compiles++;
      return compile.apply(this, args);
    };
    return seen;
  };
  const eagerCount = count(Eager);
  const lazyCount = count(Lazy);
  const eager = new Eager({ terminal: 'xterm-256color', extended: true });
  const lazy = new Lazy({ terminal: 'xterm-256color', extended: true });
  // Eager: every boolean, number and string of the entry (~500); lazy: booleans and numbers only.
  assert.ok(lazyCount.compiles * 4 < eagerCount.compiles, `set-up compiled ${lazyCount.compiles} capabilities, eager ${eagerCount.compiles}`);
  for (const [cap, args] of [['cup', [5, 10]], ['sgr0', []], ['setaf', [196]], ['smcup', []], ['csr', [0, 23]]] as const) {
    assert.equal(typeof lazy.methods[cap], 'function', cap);
    assert.equal(lazy[cap]?.(...args), eager[cap]?.(...args), cap);
  }
  assert.equal(lazy.methods.bce, eager.methods.bce);
  assert.equal(lazy.methods.cols, eager.methods.cols);
});

test('tput.js without the compile loop where expected fails the build', () => {
  assert.throws(() => lazyCapabilities('Tput.prototype.inject = function(info) {\n', 'tput.js'), /expected 1/);
});
