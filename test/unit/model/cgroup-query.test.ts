import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { cgroupQuery } from '../../../src/model/cgroup-query';
import { parseQuery } from '../../../src/model/query';
import { makeProcess } from '../../helpers/process-fixture';

/** Whether the query text matches a process in cgroup `cgroup`. */
function matches(query: string, cgroup: string | undefined): boolean {
  const q = parseQuery(query);
  if (!q.ok) assert.fail(`${query}: ${q.error} at ${q.position}`);
  return q.predicate({ ...makeProcess({ pid: 10 }), cgroup }, { now: 0, stuckAfterMs: 5000 });
}

test('the query of a cgroup matches it and the cgroups below, not a sibling sharing its prefix nor its parent', () => {
  const q = cgroupQuery('/system.slice/nginx.service');
  assert.equal(q, 'cgroup~^/system\\.slice/nginx\\.service(/|$)');
  assert.deepEqual(
    ['/system.slice/nginx.service', '/system.slice/nginx.service/worker', '/system.slice/nginx.services', '/system.slice/nginxXservice', '/system.slice', undefined].map((c) => matches(q, c)),
    [true, true, false, false, false, false],
  );
});

test('the root: every process whose cgroup is known', () => {
  assert.deepEqual(['/', '/a/b', undefined].map((c) => matches(cgroupQuery('/'), c)), [true, true, false]);
});

test('hostile paths (regex characters, spaces, quotes, backslashes, escape sequences) still match exactly that cgroup', () => {
  const component = fc.string({ minLength: 1, maxLength: 12, unit: fc.constantFrom('a', 'B', '.', '*', '(', ')', '[', ']', '{', '}', '|', '^', '$', '?', '+', '\\', '"', ' ', '\t', '\u001b', ':', '~', '-', 'é') });
  fc.assert(fc.property(fc.array(component, { minLength: 1, maxLength: 4 }), (parts) => {
    const p = `/${parts.join('/')}`;
    const q = cgroupQuery(p);
    assert.ok(matches(q, p), `${q} should match ${JSON.stringify(p)}`);
    assert.ok(matches(q, `${p}/child`));
    assert.ok(!matches(q, `${p}x`), `${q} should not match ${JSON.stringify(`${p}x`)}`);
    assert.ok(!matches(q, '/'));
  }), { numRuns: 500 });
});
