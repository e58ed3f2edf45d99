/** scripts/commander-plugin.ts: commander's child_process require made lazy, or the build fails. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { lazyChildProcess } from '../../../scripts/commander-plugin';

const ROOT = path.resolve(__dirname, '..', '..', '..', '..');
const COMMAND_JS = path.join(ROOT, 'node_modules', 'commander', 'lib', 'command.js');

test('the installed commander is rewritten: no eager require, spawn still reaches child_process', () => {
  const out = lazyChildProcess(fs.readFileSync(COMMAND_JS, 'utf8'), COMMAND_JS);
  assert.doesNotMatch(out, /^const childProcess = require\('node:child_process'\);$/m);
  // Evaluated alone, the rewritten declarations give a spawn that runs a real child.
  const decl = out.split('\n').filter((l) => /childProcessModule|const childProcess =/.test(l)).join('\n');
  const spawn = new Function('require', `${decl}\nreturn childProcess.spawn;`)(require) as typeof import('node:child_process').spawn;
  const child = spawn('true', [], { stdio: 'ignore' });
  return new Promise<void>((resolve) => child.on('exit', (code) => {
    assert.equal(code, 0);
    resolve();
  }));
});

test('a commander that changed fails the build instead of shipping', () => {
  assert.throws(() => lazyChildProcess("const cp = require('node:child_process');\n", 'x.js'), /expected one/);
  assert.throws(() => lazyChildProcess("const childProcess = require('node:child_process');\nchildProcess.execFileSync('x');\n", 'x.js'), /childProcess\.execFileSync/);
});
