/**
 * commander requires node:child_process when it loads, for executable sub-commands (a sub-command
 * run as a program of its own), which proctop does not have. child_process and what it brings
 * (dgram, …) cost start-up time, twice as much under bin/proctop's V8 flag (Node's own code cache
 * holds for its default flags only). The require is rewritten to happen on commander's first spawn.
 * The rewrite checks that it found exactly what it expects, so a new commander fails the build
 * instead of shipping a bundle that breaks at run time.
 */
import * as fs from 'node:fs';
import type { Plugin } from 'esbuild';

const EAGER = "const childProcess = require('node:child_process');";
const LAZY = "let childProcessModule;\nconst childProcess = { spawn: (...args) => (childProcessModule ??= require('node:child_process')).spawn(...args) };";

/** commander's lib/command.js with child_process required on first use. */
export function lazyChildProcess(source: string, file: string): string {
  const parts = source.split(EAGER);
  if (parts.length !== 2) throw new Error(`${file}: expected one ${JSON.stringify(EAGER)}, found ${parts.length - 1} (commander changed?)`);
  const otherUses = source.match(/\bchildProcess\.(?!spawn\()\w+/g) ?? [];
  if (otherUses.length > 0) throw new Error(`${file}: commander uses ${otherUses.join(', ')} as well as childProcess.spawn (commander changed?)`);
  return parts.join(LAZY);
}

export function commanderPlugin(): Plugin {
  return {
    name: 'commander-lazy-child-process',
    setup(build) {
      build.onLoad({ filter: /[\\/]commander[\\/]lib[\\/]command\.js$/ }, (args) => ({ contents: lazyChildProcess(fs.readFileSync(args.path, 'utf8'), args.path), loader: 'js' }));
    },
  };
}
