/**
 * One variable of /proc/PID/environ (NUL-separated `KEY=value` entries, as the process was
 * started; later setenv calls do not show). Undefined when absent.
 */
export function environValue(text: string, key: string): string | undefined {
  const prefix = `${key}=`;
  for (const entry of text.split('\0')) if (entry.startsWith(prefix)) return entry.slice(prefix.length);
  return undefined;
}

/** A host name as DNS allows it (letters, digits, `-`, `.`; ≤ 253): anything else is not a pod name. */
export function isHostName(name: string): boolean {
  return /^[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?$/.test(name);
}
