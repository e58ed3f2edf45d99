import { test } from 'node:test';
import assert from 'node:assert/strict';
import { exitWhenDone } from '../../../src/cli/daemon-entry';

/** Runs exitWhenDone on `run` with stderr captured; the exit status and what was written. */
async function outcome(run: Promise<number>): Promise<{ code: typeof process.exitCode; written: string }> {
  const saved = process.exitCode;
  const write = process.stderr.write.bind(process.stderr);
  let written = '';
  process.stderr.write = ((chunk: string | Uint8Array) => { written += String(chunk); return true; }) as typeof process.stderr.write;
  try {
    exitWhenDone('serve', run);
    await run.catch(() => undefined);
    await new Promise((resolve) => setImmediate(resolve));
    return { code: process.exitCode, written };
  } finally {
    process.stderr.write = write;
    process.exitCode = saved;
  }
}

test('a sub-command\'s status becomes the exit status, with nothing written', async () => {
  assert.deepEqual(await outcome(Promise.resolve(2)), { code: 2, written: '' });
});

test('an unexpected error is one line, its text sanitized, and status 1', async () => {
  const { code, written } = await outcome(Promise.reject(new Error('bad \x1b[31mname\nhere')));
  assert.equal(code, 1);
  assert.match(written, /^proctop serve: bad .*name.*here\n$/);
  assert.ok(!written.includes('\x1b'), 'no escape reaches the terminal');
  assert.equal(written.split('\n').length, 2, 'one line');
});
