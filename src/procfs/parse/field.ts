/**
 * Fields of the details panel (src/procfs/details.ts) as values that say why
 * they are missing. Kept apart from the reads so views and tests can build
 * them without touching /proc.
 */
import type { Field, Unreadable } from '../../kernel/process-details';
import { ok } from '../../base/result';

export type { Field, Unreadable } from '../../kernel/process-details';

/** Maps an errno code to the reason the panel prints. */
export function reasonForErrno(code: string): Unreadable {
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'ENOENT' || code === 'ESRCH') return 'gone';
  return 'unavailable';
}

/** A field that was read (the success shape of every Result, src/base/result.ts). */
export { ok };
/** A field whose file was absent or not in the expected format. */
export const unavailable: Field<never> = { ok: false, reason: 'unavailable' };

/** A value taken out of another field; a missing value (line absent from status) is 'unavailable'. */
export function pick<T, U>(field: Field<T>, get: (value: T) => U | undefined): Field<U> {
  if (!field.ok) return field;
  const value = get(field.value);
  return value === undefined ? unavailable : ok(value);
}

