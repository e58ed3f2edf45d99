/**
 * A paint reaches the terminal when it is drawn, not on blessed's later setImmediate flush: a 0 ms
 * timer (the rest of the first scan, the host facts) runs before a setImmediate and held the first
 * frame back ~100 ms.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { blessedTerminal } from '../../../src/ui/app';
import { THEMES } from '../../../src/ui/theme';
import { frameRows, buildView } from '../../../src/view/build-view';
import { findColumn, DEFAULT_COLUMNS, type Column } from '../../../src/model/columns';
import { makeSnapshot, makeUiState } from '../../helpers/process-fixture';

test('a paint writes the frame before paint() returns', () => {
  const input = Object.assign(new PassThrough(), { isTTY: true, setRawMode: () => undefined });
  const output = Object.assign(new PassThrough(), { isTTY: true, columns: 80, rows: 24 });
  let written = '';
  output.write = ((chunk: string | Buffer): boolean => {
    written += chunk.toString();
    return true;
  }) as typeof output.write;
  const saved = process.env.TERM;
  process.env.TERM = 'xterm-256color';
  const terminal = blessedTerminal({ themes: THEMES, color: false, mouse: false, input, output })({ key: () => undefined, mouse: () => undefined, resize: () => undefined });
  try {
    const state = makeUiState({ sortKey: 'pid', descending: false });
    const snapshot = makeSnapshot([{ pid: 1, command: '/sbin/init' }, { pid: 4242, command: 'marker-process --flag' }]);
    const columns = DEFAULT_COLUMNS.map((id) => findColumn(id)).filter((c): c is Column => c !== undefined);
    const vm = buildView(state, { snapshot, previous: undefined, width: 80, height: 24, columns, hostname: 'host', tzOffset: 0 }, frameRows(state, snapshot, undefined));
    const before = written.length;
    terminal.paint(vm, 'default');
    assert.match(written.slice(before), /marker-process/, 'the rows are on the terminal when paint returns');
  } finally {
    terminal.close();
    if (saved === undefined) delete process.env.TERM;
    else process.env.TERM = saved;
  }
});
