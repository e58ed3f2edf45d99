/**
 * `proctop serve` is a front end like the TUI but must never load blessed or
 * anything under src/ui/ (issue 14): its RSS budget and its attack surface
 * depend on it. bin/proctop runs one bundle, where require.cache cannot tell
 * modules apart, so this runs the tsc output of the same sources, which the
 * bundle keeps lazy in the same places, and records what a scrape evaluated.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { freePort, startDaemon, waitForOutput } from '../helpers/daemon';
import { REPO_ROOT } from '../unit/procfs/fixtures';

function get(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { timeout: 10_000 }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (c: string) => { body += c; }).on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('timeout', () => req.destroy(new Error('scrape timed out'))).on('error', reject);
  });
}

test('serve loads no blessed and no ui/ module, also after a scrape (the CLI\'s module graph, unbundled)', async (t) => {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'proctop-serve-modules-'));
  t.after(() => fs.rmSync(base, { recursive: true, force: true }));
  const modules = path.join(base, 'modules.json');
  const entry = path.join(base, 'entry.js');
  const hook = path.join(base, 'hook.js');
  fs.writeFileSync(entry, `require(${JSON.stringify(path.join(REPO_ROOT, 'dist', 'src', 'cli.js'))}).main(process.argv);`);
  // serve has no SIGTERM handler of its own (the default ends it at once), so the hook adds one that writes the list first.
  fs.writeFileSync(hook, `process.on('SIGTERM', () => { require('fs').writeFileSync(${JSON.stringify(modules)}, JSON.stringify(Object.keys(require.cache))); process.exit(0); });`);
  const port = await freePort();
  const env = { ...process.env, XDG_CONFIG_HOME: base, HOME: base };
  const daemon = startDaemon(process.execPath, ['--require', hook, entry, 'serve', '--listen', `127.0.0.1:${port}`], env);
  t.after(() => daemon.stop());
  await waitForOutput(daemon, /listening on/, 20_000);
  const r = await get(`http://127.0.0.1:${port}/metrics`);
  assert.equal(r.status, 200);
  assert.match(r.body, /^proctop_processes\{state="S"\} \d+$/m);
  await daemon.stop();
  const loaded = JSON.parse(fs.readFileSync(modules, 'utf8')) as string[];
  assert.ok(loaded.some((m) => m.endsWith(path.join('serve', 'collector.js'))), 'the hook saw the collector load');
  assert.deepEqual(loaded.filter((m) => /node_modules[\\/](blessed|blessed-contrib)[\\/]|[\\/]src[\\/]ui[\\/]/.test(m)), []);
});
