/**
 * Grey on the terminals SREs use (issue 10 item 7): the real bin/proctop in tmux under
 * TERM=tmux-256color, screen-256color and xterm-256color, its raw output recorded with pipe-pane.
 * Dim text (the help screen's "Esc/q: close", the self meter's figures) must be written as bright black,
 * SGR 90, never as black (SGR 30, invisible on a dark background), which is what blessed's own
 * 8-colour reading of tmux-256color and screen-256color gave.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { TmuxSession } from '../helpers/tmux';
import { waitFor } from '../helpers/wait';
import { foregroundOf } from '../helpers/sgr';

const REPO = path.resolve(__dirname, '..', '..', '..');
const BIN = path.join(REPO, 'bin', 'proctop');
const START_MS = 60_000;
const REACT_MS = 30_000;

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'proctop-colors-'));
const sessions: TmuxSession[] = [];
after(async () => {
  const results = await Promise.allSettled(sessions.map((s) => s.kill()));
  fs.rmSync(scratch, { recursive: true, force: true });
  const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed.length > 0) throw new Error(failed.map((r) => String(r.reason)).join('\n'));
});

for (const term of ['tmux-256color', 'screen-256color', 'xterm-256color']) {
  test(`TERM=${term}: grey text is written as bright black (SGR 90), not black (SGR 30)`, async () => {
    const output = path.join(scratch, `output-${term}`);
    // COLORTERM unset: the count must come from terminfo, not from a promise of true colour.
    const session = TmuxSession.start(['env', '-u', 'COLORTERM', 'sh', '-c', 'read go; exec "$@"', 'sh', BIN, '-d', '10'], {
      width: 120, height: 40, cwd: REPO, env: { TERM: term },
    });
    sessions.push(session);
    session.pipeOutput(output);
    session.sendKeys('Enter');
    await session.waitForScreen((s) => /F10\s*Quit/.test(s) && /proctop: /.test(s) && s, START_MS, 'the first frame');
    session.sendKeys('F1');
    await session.waitForScreen((s) => /Esc\/q: close/.test(s) && s, REACT_MS, 'the help screen');
    const seen = (): { help?: string; self?: string } => {
      const raw = fs.existsSync(output) ? fs.readFileSync(output, 'utf8') : '';
      return { help: foregroundOf(raw, 'Esc/q:'), self: foregroundOf(raw, '% CPU,') };
    };
    // pipe-pane's cat can lag the screen.
    const colours = await waitFor(() => { const s = seen(); return s.help !== undefined && s.self !== undefined && s; }, REACT_MS, 'the help footer in the pipe-pane file');
    assert.deepEqual(colours, { help: '90', self: '90' }, `dim text's foreground (SGR code) under ${term}`);
    session.sendKeys('q');
    await session.waitForScreen((s) => !/Esc\/q: close/.test(s) && /F10\s*Quit/.test(s) && s, REACT_MS, 'the help closed');
    session.sendKeys('q');
    await session.waitForExit(REACT_MS);
  });
}
