import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ProcessInfo } from '../../../src/model/snapshot';
import { Sampler, sameFields } from '../../../src/sampler/sampler';

/** A row as the sampler makes them (every field present), from this process's own /proc entry. */
function sampledRow(): ProcessInfo {
  const sampler = new Sampler({ root: '/proc', passwdPath: '/etc/passwd', threads: false, now: Date.now });
  try {
    const row = sampler.sample().processes.find((p) => p.pid === process.pid);
    assert.ok(row, 'this process is in the scan');
    return row;
  } finally {
    sampler.close();
  }
}

/** A value of another kind or value than `v`, whatever `v` is. */
const other = (v: unknown): unknown => (typeof v === 'number' ? v + 1 : typeof v === 'string' ? `${v}x` : typeof v === 'boolean' ? !v : v === undefined ? 7 : undefined);

test('sameFields: a copy is the same; a change in any one field of a row is not', () => {
  const row = sampledRow();
  assert.equal(sameFields(row, { ...row }), true);
  const keys = Object.keys(row) as (keyof ProcessInfo)[];
  assert.ok(keys.length >= 40, `a sampled row has every field (${keys.length})`);
  for (const key of keys) {
    const changed = { ...row, [key]: other(row[key]) } as ProcessInfo;
    assert.equal(sameFields(row, changed), false, `a change in ${key} is seen`);
    assert.equal(sameFields(changed, row), false, `a change in ${key} is seen either way`);
  }
});

test('sameFields: undefined and a number differ; -0 and 0 are the same, as === says', () => {
  const row = sampledRow();
  assert.equal(sameFields({ ...row, cpu: undefined }, { ...row, cpu: 0 }), false);
  assert.equal(sameFields({ ...row, cpu: -0 }, { ...row, cpu: 0 }), true);
});
