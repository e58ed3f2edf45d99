/**
 * parseStatusCounters (serve's per-member status read) against parseStatusDetails (the details
 * panel's full parse): the same VmSwap and context switches, on a recorded status, on malformed
 * lines, and on any status made of unique known and unknown keys.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { parseStatusCounters } from '../../../src/procfs/parse/status';
import { parseStatusDetails } from '../../../src/procfs/parse/status-details';
import { FIXTURES } from './fixtures';

const recorded = (name: string): string => fs.readFileSync(path.join(FIXTURES, '..', 'details', name), 'utf8');
const ofDetails = (text: string): ReturnType<typeof parseStatusCounters> => {
  const d = parseStatusDetails(text);
  return { swapBytes: d.swapBytes, contextSwitches: d.contextSwitches };
};

test('parseStatusCounters reads swap and context switches of a recorded status', () => {
  assert.deepEqual(parseStatusCounters(recorded('status')), { swapBytes: 0, contextSwitches: { voluntary: 0, involuntary: 2 } });
});

test('parseStatusCounters reads the first line and lines without a leading newline', () => {
  assert.deepEqual(parseStatusCounters('VmSwap:\t    1234 kB\nvoluntary_ctxt_switches:\t7\nnonvoluntary_ctxt_switches:\t9'), { swapBytes: 1234 * 1024, contextSwitches: { voluntary: 7, involuntary: 9 } });
});

test('parseStatusCounters leaves malformed or missing lines undefined', () => {
  assert.deepEqual(parseStatusCounters('VmSwap:\t12x4 kB\nvoluntary_ctxt_switches:\t7\n'), { swapBytes: undefined, contextSwitches: undefined });
  assert.deepEqual(parseStatusCounters(''), { swapBytes: undefined, contextSwitches: undefined });
  // A key that only ends another key's name is not that key.
  assert.deepEqual(parseStatusCounters('XVmSwap:\t1 kB\nnonvoluntary_ctxt_switches:\t3\n'), { swapBytes: undefined, contextSwitches: undefined });
});

test('parseStatusCounters agrees with parseStatusDetails on any status of unique lines', () => {
  const keys = ['VmSwap', 'voluntary_ctxt_switches', 'nonvoluntary_ctxt_switches', 'Name', 'VmRSS', 'Uid', 'x'];
  const value = fc.oneof(fc.nat().map(String), fc.nat().map((n) => `${n} kB`), fc.string({ maxLength: 8 }).filter((s) => !s.includes('\n')));
  const line = fc.tuple(fc.constantFrom(...keys), fc.constantFrom(':', ':\t', ':  '), value, fc.constantFrom('', ' ', '\t'));
  fc.assert(fc.property(fc.uniqueArray(line, { selector: (l) => l[0] }), fc.boolean(), (lines, trailing) => {
    const text = lines.map(([k, sep, v, pad]) => `${k}${sep}${pad}${v}${pad}`).join('\n') + (trailing ? '\n' : '');
    assert.deepEqual(parseStatusCounters(text), ofDetails(text));
  }));
});
