import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { IdentityIndex, identityIndex, pidOfKey } from '../../../src/model/identity-index';
import { identityKey, ProcessInfo } from '../../../src/model/snapshot';
import { makeSnapshot } from '../../helpers/process-fixture';

test('has(key) is true exactly for the identity keys of the rows', () => {
  const index = new IdentityIndex([{ pid: 7, startTicks: 100 }, { pid: 12345, startTicks: 9876543210 }]);
  assert.equal(index.has('7:100'), true);
  assert.equal(index.has('12345:9876543210'), true);
  for (const key of ['7:101', '8:100', '7:10', '17:100', '', ':', '7:', ':100', '7', 'a:100', '7:1e2', '7:100:1', ' 7:100', '-7:100', '7:100 '])
    assert.equal(index.has(key), false, JSON.stringify(key));
});

test('hasProcess compares pid and start time', () => {
  const index = new IdentityIndex([{ pid: 7, startTicks: 100 }]);
  assert.equal(index.hasProcess({ pid: 7, startTicks: 100 }), true);
  assert.equal(index.hasProcess({ pid: 7, startTicks: 200 }), false, 'a reused pid is another process');
  assert.equal(index.hasProcess({ pid: 8, startTicks: 100 }), false);
});

test('two rows with one pid (a doctored recording) are both found', () => {
  const index = new IdentityIndex([{ pid: 7, startTicks: 100 }, { pid: 7, startTicks: 200 }, { pid: 7, startTicks: 300 }]);
  for (const start of [100, 200, 300]) {
    assert.equal(index.has(`7:${start}`), true);
    assert.equal(index.hasProcess({ pid: 7, startTicks: start }), true);
  }
  assert.equal(index.has('7:400'), false);
});

test('property: agrees with a Set of identity keys', () => {
  // Small pids and start times make duplicates; odd pids (negative, fractional, past 2^30) take the fallback.
  const pid = fc.oneof(fc.integer({ min: 1, max: 4_194_304 }), fc.integer({ min: 0, max: 5 }), fc.constantFrom(-1, 1.5, 2 ** 30, 2 ** 31 + 3));
  const id = fc.record({ pid, startTicks: fc.oneof(fc.integer({ min: 0, max: 2 ** 40 }), fc.integer({ min: 0, max: 3 })) });
  fc.assert(fc.property(fc.array(id, { maxLength: 40 }), fc.array(id, { maxLength: 20 }), (rows, probes) => {
    const index = new IdentityIndex(rows);
    const keys = new Set(rows.map(identityKey));
    for (const p of [...rows, ...probes]) {
      assert.equal(index.has(identityKey(p)), keys.has(identityKey(p)));
      assert.equal(index.hasProcess(p), keys.has(identityKey(p)));
    }
  }));
});

test('rows whose pid makes no entry (negative, fractional, huge) are still found by key and by row', () => {
  const rows = [{ pid: -1, startTicks: 5 }, { pid: 1.5, startTicks: 6 }, { pid: 2 ** 40, startTicks: 7 }, { pid: 3, startTicks: 8 }];
  const index = new IdentityIndex(rows);
  for (const p of rows) {
    assert.equal(index.has(identityKey(p)), true, identityKey(p));
    assert.equal(index.hasProcess(p), true, identityKey(p));
  }
  assert.equal(index.has('-1:6'), false);
  assert.equal(index.hasProcess({ pid: 1.5, startTicks: 5 }), false);
});

test('identityIndex: one index per snapshot, made once', () => {
  const a = makeSnapshot([{ pid: 1 }, { pid: 2 }]);
  const b = makeSnapshot([{ pid: 1 }]);
  assert.equal(identityIndex(a), identityIndex(a));
  assert.notEqual(identityIndex(a), identityIndex(b));
  assert.equal(identityIndex(b).has(identityKey(a.processes[1] as ProcessInfo)), false);
});

test('pidOfKey reads the pid of a key, undefined for anything else', () => {
  assert.equal(pidOfKey('4194303:12'), 4194303);
  for (const key of ['', ':1', 'x:1', '12']) assert.equal(pidOfKey(key), undefined, JSON.stringify(key));
});
