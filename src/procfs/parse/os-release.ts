/**
 * os-release(5) (/etc/os-release, /usr/lib/os-release): `KEY=value` lines, the value bare or in
 * shell quotes ("…" with \" \\ \$ \` escapes, or '…'); `#` lines and anything else are skipped.
 */
export interface OsRelease {
  /** NAME, e.g. `Debian GNU/Linux`. */
  readonly name: string | undefined;
  /** VERSION_ID, e.g. `12`. */
  readonly versionId: string | undefined;
  /** PRETTY_NAME, e.g. `Debian GNU/Linux 12 (bookworm)`. */
  readonly prettyName: string | undefined;
}

function unquote(raw: string): string {
  if (raw.length >= 2 && raw.startsWith("'") && raw.endsWith("'")) return raw.slice(1, -1);
  if (raw.length >= 2 && raw.startsWith('"') && raw.endsWith('"')) return raw.slice(1, -1).replace(/\\(["\\$`])/g, '$1');
  return raw;
}

export function parseOsRelease(text: string): OsRelease {
  const values = new Map<string, string>();
  for (const line of text.split('\n')) {
    const m = /^\s*([A-Z0-9_]+)=(.*?)\s*$/.exec(line);
    if (m) values.set(m[1] as string, unquote(m[2] as string));
  }
  const get = (key: string): string | undefined => {
    const v = values.get(key)?.trim();
    return v === undefined || v === '' ? undefined : v;
  };
  return { name: get('NAME'), versionId: get('VERSION_ID'), prettyName: get('PRETTY_NAME') };
}

/** `hypervisor` among the flags of /proc/cpuinfo: the kernel runs under a hypervisor. */
export function cpuinfoHypervisor(text: string): boolean {
  return /^flags\s*:.*\bhypervisor\b/m.test(text);
}
