/**
 * The one error-as-value shape of pure code: a value, or why there is none. Parsers, the query
 * language, planning (signal scope, cgroup actions), tool command lines and time travel return
 * it; they never throw on bad input. `E` is a one-line message unless a caller needs more (the
 * query's error position).
 */
export type Result<T, E = string> = Ok<T> | Err<E>;

/** A success. Also a readable {@link Field} (kernel/process-details.ts), which has the same success shape. */
export interface Ok<T> {
  readonly ok: true;
  readonly value: T;
}

/** A failure, and why. */
export interface Err<E> {
  readonly ok: false;
  readonly error: E;
}

export function ok<T>(value: T): Ok<T> {
  return { ok: true, value };
}

export function err<E = string>(error: E): Err<E> {
  return { ok: false, error };
}

/** The value, or undefined for a failure (where why does not matter: a file that says nothing usable). */
export function orUndefined<T>(result: Result<T, unknown>): T | undefined {
  return result.ok ? result.value : undefined;
}
