/**
 * Fields of the details panel (src/procfs/details.ts) as values that say why
 * they are missing. Kept apart from the reads so views and tests can build
 * them without touching /proc.
 */

/** Why a field is missing: not ours to read, the process exited, or anything else (absent file, odd format). */
export type Unreadable = 'permission denied' | 'gone' | 'unavailable';

/** A field that could not be read says why, so the panel can print "permission denied" instead of crashing or lying. */
export type Field<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly reason: Unreadable };

/** Maps an errno code to the reason the panel prints. */
export function reasonForErrno(code: string): Unreadable {
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'ENOENT' || code === 'ESRCH') return 'gone';
  return 'unavailable';
}

/** A field that was read. */
export const ok = <T>(value: T): Field<T> => ({ ok: true, value });
/** A field whose file was absent or not in the expected format. */
export const unavailable: Field<never> = { ok: false, reason: 'unavailable' };

/** A value taken out of another field; a missing value (line absent from status) is 'unavailable'. */
export function pick<T, U>(field: Field<T>, get: (value: T) => U | undefined): Field<U> {
  if (!field.ok) return field;
  const value = get(field.value);
  return value === undefined ? unavailable : ok(value);
}

