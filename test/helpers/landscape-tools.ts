/**
 * Executables and python3 snippets the Landscape helpers spawn. Kept apart from the class so
 * the process-lifecycle logic in landscape.ts stays readable.
 *
 * Every snippet reports a failing prctl()/ptrace() by exiting with the errno as its exit code,
 * because the helpers spawn with stdio 'ignore' and would otherwise lose the reason.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { execFile } from 'node:child_process';

/** First executable called `name` on PATH (or the absolute path itself), undefined if none. */
export function findExecutable(name: string): string | undefined {
  const candidates = name.includes('/')
    ? [name]
    : (process.env.PATH ?? '/usr/bin:/bin').split(':').filter((d) => d !== '').map((d) => path.join(d, name));
  for (const candidate of candidates) {
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      if (fs.statSync(candidate).isFile()) return candidate;
    } catch {
      // not here; try the next PATH entry
    }
  }
  return undefined;
}

let sleepPath: string | undefined;

/** Absolute path of `sleep`; throws if missing since every helper depends on it. */
export function sleepBinary(): string {
  sleepPath ??= findExecutable('sleep');
  if (sleepPath === undefined) throw new Error('landscape: no `sleep` executable on PATH');
  return sleepPath;
}

/**
 * Whether `sleep` is a standalone binary. Multi-call binaries (busybox, uutils coreutils) pick
 * the applet from argv[0], so for them argv[0] must stay "sleep" and a custom argv[0] needs the
 * python path instead.
 */
export function sleepHonoursAnyArgv0(): boolean {
  try {
    return path.basename(fs.realpathSync(sleepBinary())) === 'sleep';
  } catch {
    return false;
  }
}

let pythonPromise: Promise<string | undefined> | undefined;

/**
 * The real python3 interpreter (sys.executable), resolved once. Going through a version-manager
 * shim (pyenv) costs ~300 ms per start and would add a bash process to every landscape.
 */
export function findPython(): Promise<string | undefined> {
  pythonPromise ??= new Promise((resolve) => {
    execFile(
      'python3',
      ['-c', 'import sys; sys.stdout.write(sys.executable or "")'],
      { timeout: 10_000 },
      (err, stdout) => resolve(err === null && stdout !== '' ? stdout : undefined),
    );
  });
  return pythonPromise;
}

/** python3 path or a clear error for helpers that cannot work without it. */
export async function requirePython(helper: string): Promise<string> {
  const python = await findPython();
  if (python === undefined) throw new Error(`landscape.${helper}: needs python3, none found on PATH`);
  return python;
}

/** Turns a snippet's exit code back into an errno name for error messages. */
export function describeExit(code: number | null, signal: NodeJS.Signals | null): string {
  if (signal !== null) return `killed by ${signal}`;
  const name = Object.entries(os.constants.errno).find(([, value]) => value === code)?.[0];
  return name === undefined ? `exit code ${String(code)}` : `exit code ${String(code)} (${name}?)`;
}

/** Shared preamble: libc with errno, prctl with fixed-width arguments, fail() exiting with errno. */
const PREAMBLE = `
import ctypes, os, sys, time
libc = ctypes.CDLL(None, use_errno=True)
libc.prctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong]
def fail():
    sys.exit(ctypes.get_errno() or 125)
`;

/**
 * argv: [n, sleepPath]. Forks n children that exit at once, then execs sleep: exec keeps the
 * unreaped children and sleep never calls wait(), so they stay zombies. `sh -c 'sleep 0 & ...
 * exec sleep 1000'` works with dash and bash too, but python makes "no wait() before exec"
 * explicit instead of relying on a shell's job-control internals.
 */
export const PY_ZOMBIES = `
import os, signal, sys
signal.signal(signal.SIGCHLD, signal.SIG_DFL)  # SIG_IGN would make the kernel auto-reap them
for _ in range(int(sys.argv[1])):
    if os.fork() == 0:
        os._exit(0)
os.execv(sys.argv[2], ['sleep', '1000'])
`;

/** argv: [threads]. Main thread plus threads-1 sleeping daemon threads. */
export const PY_THREADS = `
import sys, threading, time
for _ in range(int(sys.argv[1]) - 1):
    threading.Thread(target=time.sleep, args=(1e6,), daemon=True).start()
time.sleep(1e6)
`;

/**
 * argv: [hex of the wanted cmdline bytes, NUL-terminated args]. Points the kernel's
 * arg_start/arg_end at a buffer holding exactly those bytes with prctl(PR_SET_MM, PR_SET_MM_MAP)
 * (needs CONFIG_CHECKPOINT_RESTORE, no privilege when exe_fd is -1). Overwriting the original
 * argv area cannot do this: /proc/PID/cmdline returns the whole original area, so any shorter
 * argv would show trailing empty arguments. The other map fields are re-sent unchanged from
 * /proc/self/stat (fields 26-28, 45-51) and sbrk(0).
 */
export const PY_SET_ARGV = `${PREAMBLE}
want = bytes.fromhex(sys.argv[1])
buf = ctypes.create_string_buffer(want, len(want))  # exact size: no extra NUL after the last arg
raw = open('/proc/self/stat', 'rb').read()
rest = raw[raw.rindex(b')') + 2:].split()
def field(n):
    return int(rest[n - 3])
names = ('start_code', 'end_code', 'start_data', 'end_data', 'start_brk', 'brk', 'start_stack',
         'arg_start', 'arg_end', 'env_start', 'env_end', 'auxv')
class MmMap(ctypes.Structure):
    _fields_ = [(n, ctypes.c_uint64) for n in names] + [('auxv_size', ctypes.c_uint32), ('exe_fd', ctypes.c_uint32)]
libc.sbrk.restype = ctypes.c_void_p
addr = ctypes.addressof(buf)
mm = MmMap(field(26), field(27), field(45), field(46), field(47), libc.sbrk(0), field(28),
           addr, addr + len(want), field(50), field(51), 0, 0, 0xffffffff)
PR_SET_MM, PR_SET_MM_MAP = 35, 14
if libc.prctl(PR_SET_MM, PR_SET_MM_MAP, ctypes.addressof(mm), ctypes.sizeof(mm), 0) != 0:
    fail()
time.sleep(1e6)
`;

/** argv: [hex of the wanted comm]. prctl(PR_SET_NAME) for names a file name cannot hold ('/', '.', '..'). */
export const PY_SET_COMM = `${PREAMBLE}
name = ctypes.create_string_buffer(bytes.fromhex(sys.argv[1]))
PR_SET_NAME = 15
if libc.prctl(PR_SET_NAME, ctypes.addressof(name), 0, 0, 0) != 0:
    fail()
time.sleep(1e6)
`;

/**
 * argv: [sleepPath]. Forks `sleep 1000` and PTRACE_SEIZEs it without ever waiting or resuming:
 * the tracee keeps sleeping (state S) with TracerPid = this process, and would show 't' once a
 * signal stops it. Being the tracee's parent satisfies Yama ptrace_scope=1 without privilege.
 */
export const PY_TRACER = `${PREAMBLE}
child = os.fork()
if child == 0:
    os.execv(sys.argv[1], ['sleep', '1000'])
libc.ptrace.argtypes = [ctypes.c_long, ctypes.c_long, ctypes.c_void_p, ctypes.c_void_p]
libc.ptrace.restype = ctypes.c_long
PTRACE_SEIZE = 0x4206
if libc.ptrace(PTRACE_SEIZE, child, None, None) != 0:
    err = ctypes.get_errno()
    os.kill(child, 9)
    sys.exit(err or 125)
time.sleep(1e6)
`;
