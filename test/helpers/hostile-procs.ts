/**
 * Many processes with hostile names and command lines, as raw bytes, from one python3 start:
 * the parent forks one child per spec; each child sets its argv (prctl PR_SET_MM_MAP, as
 * Landscape.withArgv does) and its comm (PR_SET_NAME) to exactly the given bytes, invalid UTF-8
 * included, then sleeps. A child can rewrite its argv in place (and optionally rename itself)
 * on SIGUSR1, the way setproctitle() does. Cleanup is Landscape's: by pid, and by the process
 * group of the parent (the children share it).
 *
 * @example
 *   const land = new HostileLandscape();
 *   after(() => land.cleanup());
 *   const [pid] = await land.family([{ comm: Buffer.from('x\x1b[2J'), argv: [Buffer.from('a\nb')] }]);
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Landscape } from './landscape';
import { procStateIs } from './janitor';
import { readCmdline, readComm } from './proc-read';
import { requirePython } from './landscape-tools';

/** One hostile process. */
export interface HostileSpec {
  /** Wanted comm; the kernel keeps the first 15 bytes. No NUL. */
  readonly comm: Buffer;
  /** Wanted argv, at least one argument (an empty one is fine), no NUL inside. */
  readonly argv: readonly Buffer[];
  /**
   * On SIGUSR1: overwrite the argv area in place with this argv (its cmdline bytes must have
   * the same length as the original's) and, if given, set comm to `comm`.
   */
  readonly rewrite?: { readonly argv: readonly Buffer[]; readonly comm?: Buffer };
}

/** NUL-terminated argv bytes as /proc/PID/cmdline shows them. */
export function cmdlineOf(argv: readonly Buffer[]): Buffer {
  return Buffer.concat(argv.flatMap((a) => [a, Buffer.from([0])]));
}

/** argv: [spec file (JSON, hex strings), file to write the child pids to]. */
const PY_FAMILY = `
import ctypes, json, os, signal, sys, time
libc = ctypes.CDLL(None, use_errno=True)
libc.prctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong]
libc.sbrk.restype = ctypes.c_void_p
PR_SET_NAME, PR_SET_MM, PR_SET_MM_MAP = 15, 35, 14
names = ('start_code', 'end_code', 'start_data', 'end_data', 'start_brk', 'brk', 'start_stack',
         'arg_start', 'arg_end', 'env_start', 'env_end', 'auxv')
class MmMap(ctypes.Structure):
    _fields_ = [(n, ctypes.c_uint64) for n in names] + [('auxv_size', ctypes.c_uint32), ('exe_fd', ctypes.c_uint32)]
def fail():
    os._exit(ctypes.get_errno() or 125)
def set_argv(want):
    buf = ctypes.create_string_buffer(want, len(want))
    raw = open('/proc/self/stat', 'rb').read()
    rest = raw[raw.rindex(b')') + 2:].split()
    field = lambda n: int(rest[n - 3])
    addr = ctypes.addressof(buf)
    mm = MmMap(field(26), field(27), field(45), field(46), field(47), libc.sbrk(0), field(28),
               addr, addr + len(want), field(50), field(51), 0, 0, 0xffffffff)
    if libc.prctl(PR_SET_MM, PR_SET_MM_MAP, ctypes.addressof(mm), ctypes.sizeof(mm), 0) != 0:
        fail()
    return buf
def set_comm(name):
    b = ctypes.create_string_buffer(name)
    if libc.prctl(PR_SET_NAME, ctypes.addressof(b), 0, 0, 0) != 0:
        fail()
specs = json.load(open(sys.argv[1]))
pids = []
for spec in specs:
    pid = os.fork()
    if pid == 0:
        try:
            buf = set_argv(bytes.fromhex(spec['argv']))
            set_comm(bytes.fromhex(spec['comm']))
            rewrite = spec.get('rewrite')
            if rewrite is not None:
                def on_usr1(signum, frame, buf=buf, rewrite=rewrite):
                    new = bytes.fromhex(rewrite['argv'])
                    ctypes.memmove(buf, new, len(new))
                    if rewrite.get('comm') is not None:
                        set_comm(bytes.fromhex(rewrite['comm']))
                signal.signal(signal.SIGUSR1, on_usr1)
            while True:
                time.sleep(1e6)
        except BaseException:
            os._exit(125)
    pids.append(pid)
with open(sys.argv[2] + '.tmp', 'w') as f:
    f.write(' '.join(map(str, pids)))
os.rename(sys.argv[2] + '.tmp', sys.argv[2])
while True:
    time.sleep(1e6)
`;

export class HostileLandscape extends Landscape {
  /**
   * Starts one sleeping process per spec; resolves with their pids in spec order once every one
   * shows exactly its comm (first 15 bytes) and cmdline in /proc.
   */
  async family(specs: readonly HostileSpec[]): Promise<number[]> {
    for (const s of specs) {
      if (s.comm.length === 0 || s.comm.includes(0) || s.argv.length === 0 || s.argv.some((a) => a.includes(0))) {
        throw new RangeError('hostile.family: comm must be non-empty, argv must have an argument, no NUL bytes');
      }
      if (s.rewrite && cmdlineOf(s.rewrite.argv).length !== cmdlineOf(s.argv).length) {
        throw new RangeError('hostile.family: a rewritten argv must keep the length of the original');
      }
    }
    const dir = this.tempDir();
    const specFile = path.join(dir, 'specs.json');
    const pidFile = path.join(dir, 'pids');
    fs.writeFileSync(specFile, JSON.stringify(specs.map((s) => ({
      comm: s.comm.toString('hex'),
      argv: cmdlineOf(s.argv).toString('hex'),
      rewrite: s.rewrite ? { argv: cmdlineOf(s.rewrite.argv).toString('hex'), comm: s.rewrite.comm?.toString('hex') ?? null } : null,
    }))));
    const python = await requirePython('family');
    const { child } = await this.start(python, ['-c', PY_FAMILY, specFile, pidFile], 'family');
    const pids = await this.ready(child, () => fs.existsSync(pidFile) && fs.readFileSync(pidFile, 'utf8').split(' ').map(Number), 'family: pid file');
    for (const pid of pids) this.track(pid);
    await this.ready(child, () => specs.every((s, i) => {
      const pid = pids[i] ?? 0;
      return procStateIs(pid, 'S') && readComm(pid)?.equals(s.comm.subarray(0, 15)) === true && readCmdline(pid)?.equals(cmdlineOf(s.argv)) === true;
    }), `family: ${specs.length} children with their comm and argv`);
    return pids;
  }
}
