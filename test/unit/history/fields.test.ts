import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ProcessInfo, Snapshot } from '../../../src/model/snapshot';
import { FieldTable, PROCESS_FIELD_NAMES, PROCESS_FIELDS, SNAPSHOT_FIELD_NAMES } from '../../../src/history/fields';
import { makeProcess, makeSnapshot } from '../../helpers/process-fixture';

// Compile-time checks: these lines fail the build (an unused @ts-expect-error is an error) if the
// field table stops catching a field it lacks or a codec that does not fit the field's type.
interface WithNewField extends ProcessInfo {
  readonly newField: string | undefined;
}
// @ts-expect-error a field added to ProcessInfo and not to the table does not compile
export const missingField: FieldTable<WithNewField> = PROCESS_FIELDS;
interface WithTable extends ProcessInfo {
  readonly limits: { readonly cpu: number };
}
// @ts-expect-error a field of a type no codec holds does not compile until the store learns it
export const objectField: FieldTable<WithTable> = { ...PROCESS_FIELDS, limits: 'num' };
// @ts-expect-error a codec of the wrong kind for the field's type does not compile
export const wrongKind: FieldTable<ProcessInfo> = { ...PROCESS_FIELDS, command: 'num' };

test('the process field table lists exactly the fields of a ProcessInfo', () => {
  assert.deepEqual([...PROCESS_FIELD_NAMES].sort(), Object.keys(makeProcess({ pid: 1 })).sort());
});

test('the snapshot field table lists exactly the fields of a Snapshot', () => {
  const snapshot: Snapshot = makeSnapshot([{ pid: 1 }]);
  assert.deepEqual([...SNAPSHOT_FIELD_NAMES].sort(), Object.keys(snapshot).sort());
});
