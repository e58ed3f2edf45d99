/** What reading a process's environment (/proc/PID/environ) gave. */
export type EnvironRead =
  /** `NAME=value` entries in the kernel's order, decoded (invalid UTF-8 bytes as `\xHH`), not yet sanitized. */
  | { readonly kind: 'read'; readonly entries: readonly string[] }
  /** The file was empty: a zombie or a kernel thread has no environment; a process may also have emptied it. */
  | { readonly kind: 'none'; readonly why: 'zombie' | 'kernel thread' | 'empty' }
  /** EACCES: the kernel allows it only to the owner (ptrace read access) and root. */
  | { readonly kind: 'denied' }
  /** The process exited, or its PID now belongs to another process. */
  | { readonly kind: 'gone' }
  /** Another error (the errno code). */
  | { readonly kind: 'unavailable'; readonly reason: string };
