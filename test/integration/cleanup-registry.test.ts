import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawn } from 'node:child_process';
import { onCleanup } from '../helpers/cleanup';

const REGISTRY = path.join(__dirname, '..', 'helpers', 'cleanup.js');

/**
 * A child that registers two clean-ups (one through cleanupSet) and then ends as `ending` says;
 * resolves with its exit code and the lines its clean-ups wrote, in order.
 */
function child(ending: 'return' | 'throw' | 'SIGTERM'): Promise<{ code: number | null; lines: string[] }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'proctop-cleanup-'));
  onCleanup(`remove ${dir}`, () => fs.rmSync(dir, { recursive: true, force: true }));
  const out = path.join(dir, 'log');
  const script = `
    const fs = require('fs');
    const { onCleanup, cleanupSet } = require(${JSON.stringify(REGISTRY)});
    onCleanup('first', () => fs.appendFileSync(${JSON.stringify(out)}, 'first\\n'));
    const live = cleanupSet('things', (t) => fs.appendFileSync(${JSON.stringify(out)}, 'kill ' + t + '\\n'));
    live.add('a'); live.add('b'); live.delete('a');
    process.stdout.write('ready\\n');
    if (${JSON.stringify(ending)} === 'throw') throw new Error('boom');
    if (${JSON.stringify(ending)} === 'SIGTERM') setInterval(() => {}, 1000);`;
  const proc = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'ignore'] });
  proc.stdout.on('data', (b: Buffer) => {
    if (ending === 'SIGTERM' && b.toString().includes('ready') && proc.pid !== undefined) process.kill(proc.pid, 'SIGTERM');
  });
  return new Promise((resolve) => proc.on('exit', (code) => resolve({ code, lines: fs.existsSync(out) ? fs.readFileSync(out, 'utf8').trim().split('\n') : [] })));
}

for (const ending of ['return', 'throw', 'SIGTERM'] as const) {
  test(`a process that ends by ${ending} runs its clean-ups once, newest first, and only for members still live`, { timeout: 20_000 }, async () => {
    const { code, lines } = await child(ending);
    assert.deepEqual(lines, ['kill b', 'first']);
    assert.equal(code, ending === 'return' ? 0 : ending === 'throw' ? 1 : 143);
  });
}
