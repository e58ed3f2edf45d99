/**
 * Real process landscapes (zombies, stopped, traced, threaded, odd argv/comm, ...) for
 * integration and end-to-end tests, with cleanup strictly by pid: never pkill/killall, never a
 * signal to a pid whose start time no longer matches the process we started.
 *
 * @example
 *   const land = new Landscape();
 *   after(() => land.cleanup());
 *   const { parent, zombies } = await land.zombieFactory(3);
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { childrenOf, readCmdline, readComm, readStat, readStatusField } from './proc-read';
import { waitFor } from './wait';
import { ProcessJanitor, procStateIs, signalIgnoringGone } from './janitor';
import {
  PY_SET_ARGV, PY_SET_COMM, PY_THREADS, PY_TRACER, PY_ZOMBIES,
  findExecutable, findPython, requirePython, sleepBinary, sleepHonoursAnyArgv0,
} from './landscape-tools';

export { procPpid, procState } from './proc-read';
export { uniqueMarker, waitFor } from './wait';

/** NUL-terminated argv bytes as /proc/PID/cmdline shows them. */
const cmdlineBytes = (argv: readonly string[]): Buffer => Buffer.concat(argv.map((a) => Buffer.from(`${a}\0`)));
const SLEEP_ARGV = ['sleep', '1000'];
/** A traced sleeper has settled once it sleeps (S) or its tracer holds it stopped (t); not R on its way there. */
const settled = (pid: number): boolean => procStateIs(pid, 'S') || procStateIs(pid, 't');

/** A set of real processes started for one test (file), all killed by {@link Landscape.cleanup}. */
export class Landscape extends ProcessJanitor {
  /** Waits until `pid` is sleeping with exactly `argv` as its cmdline (i.e. it has exec'd). */
  private sleepingWith(child: ChildProcess, pid: number, argv: Buffer, what: string): Promise<number> {
    return this.ready(child, () => procStateIs(pid, 'S') && readCmdline(pid)?.equals(argv) === true && pid, what);
  }

  /**
   * A plain sleeping `sleep 1000`. With a marker, argv is exactly `[marker, '1000']` (see
   * {@link Landscape.withArgv}; comm stays `sleep` unless sleep is a multi-call binary).
   */
  async sleeper(marker?: string): Promise<number> {
    if (marker !== undefined) return this.withArgv([marker, '1000']);
    const { child, pid } = await this.start(sleepBinary(), ['1000'], 'sleeper', 'sleep');
    return this.sleepingWith(child, pid, cmdlineBytes(SLEEP_ARGV), 'sleeper');
  }

  /**
   * A `sleep 1000` whose executable was deleted after it started (a process still running the
   * old binary after an upgrade): a private copy of sleep, unlinked once it runs, so
   * /proc/PID/exe ends in ` (deleted)`.
   */
  async deletedBinary(): Promise<number> {
    const copy = path.join(this.tempDir(), 'sleep');
    fs.copyFileSync(sleepBinary(), copy);
    fs.chmodSync(copy, 0o755);
    const { child, pid } = await this.start(copy, ['1000'], 'deletedBinary', 'sleep');
    await this.sleepingWith(child, pid, cmdlineBytes(SLEEP_ARGV), 'deletedBinary');
    fs.unlinkSync(copy);
    return pid;
  }

  /** A `sleep 1000` that is SIGSTOPped; resolves once /proc shows state T. */
  async stopped(): Promise<number> {
    const pid = await this.sleeper();
    process.kill(pid, 'SIGSTOP');
    return waitFor(() => procStateIs(pid, 'T') && pid, 5000, `landscape.stopped: pid ${pid} in state T`);
  }

  /**
   * A process whose /proc/PID/cmdline is exactly `argv` (NUL-joined, argv[0] included, any bytes
   * but NUL). When argv[1..] are plain seconds summing to ≥ 600 it is a real `sleep` started with
   * argv0; otherwise python3 re-points its argv with PR_SET_MM_MAP (comm is then `python3`).
   */
  async withArgv(argv: string[]): Promise<number> {
    if (argv.length === 0 || argv.some((a) => a.includes('\0'))) {
      throw new RangeError('landscape.withArgv: need at least argv[0] and no NUL bytes');
    }
    const want = cmdlineBytes(argv);
    const rest = argv.slice(1);
    const seconds = rest.every((a) => /^\d{1,9}$/.test(a)) ? rest.reduce((sum, a) => sum + Number(a), 0) : 0;
    if (seconds >= 600 && sleepHonoursAnyArgv0()) {
      const { child, pid } = await this.start(sleepBinary(), rest, 'withArgv', argv[0]);
      return this.sleepingWith(child, pid, want, 'withArgv');
    }
    const python = await requirePython('withArgv');
    const { child, pid } = await this.start(python, ['-c', PY_SET_ARGV, want.toString('hex')], 'withArgv');
    return this.sleepingWith(child, pid, want, 'withArgv');
  }

  /**
   * A sleeping process whose comm (/proc/PID/comm, stat field 2) is `comm`, truncated by the
   * kernel to its first 15 bytes. Uses a symlink named `comm` to sleep (comm is the basename of
   * the exec'd path; argv stays `sleep 1000`), or python3 prctl(PR_SET_NAME) for names a file
   * cannot have ('/', '.', '..').
   */
  async withComm(comm: string): Promise<number> {
    const bytes = Buffer.from(comm);
    if (bytes.length === 0 || comm.includes('\0')) throw new RangeError('landscape.withComm: comm must be non-empty without NUL');
    const want = bytes.subarray(0, 15);
    const probe = (pid: number) => (): number | false =>
      procStateIs(pid, 'S') && readComm(pid)?.equals(want) === true && pid;
    if (!comm.includes('/') && comm !== '.' && comm !== '..' && bytes.length <= 255) {
      const dir = this.tempDir();
      const link = path.join(dir, comm);
      fs.symlinkSync(sleepBinary(), link);
      // argv0 'sleep' so multi-call binaries (busybox, uutils) still pick the sleep applet.
      const { child, pid } = await this.start(link, ['1000'], 'withComm', 'sleep');
      return this.ready(child, probe(pid), 'withComm');
    }
    const python = await requirePython('withComm');
    const { child, pid } = await this.start(python, ['-c', PY_SET_COMM, bytes.toString('hex')], 'withComm');
    return this.ready(child, probe(pid), 'withComm');
  }

  /**
   * A parent (`sleep 1000` after exec) with `n` unreaped zombie children, all in state Z. With
   * `name`, the parent execs sleep through a symlink of that name, so its comm is `name` (≤ 15
   * bytes, no `/`) while its argv stays `sleep 1000`.
   */
  async zombieFactory(n = 3, name?: string): Promise<{ parent: number; zombies: number[] }> {
    if (!Number.isInteger(n) || n < 0) throw new RangeError(`landscape.zombieFactory: bad n ${n}`);
    if (name !== undefined && (name === '' || name.includes('/') || Buffer.byteLength(name) > 15)) throw new RangeError(`landscape.zombieFactory: bad name ${name}`);
    const python = await requirePython('zombieFactory');
    let binary = sleepBinary();
    if (name !== undefined) {
      binary = path.join(this.tempDir(), name);
      fs.symlinkSync(sleepBinary(), binary);
    }
    const { child, pid } = await this.start(python, ['-c', PY_ZOMBIES, String(n), binary], 'zombieFactory');
    const parent = await this.sleepingWith(child, pid, cmdlineBytes(SLEEP_ARGV), 'zombieFactory');
    const zombies = await this.ready(child, () => {
      const kids = childrenOf(parent);
      return kids.length === n && kids.every((k) => procStateIs(k, 'Z')) && kids;
    }, `zombieFactory: ${n} zombie children of ${parent}`);
    for (const z of zombies) this.track(z);
    return { parent, zombies };
  }

  /**
   * `levels` processes, each the child of the previous: `sh` processes running a recursive
   * script, the leaf exec'd into `sleep 1000`. Returns pids root → leaf; root's parent is us.
   */
  async chain(levels = 3): Promise<number[]> {
    if (!Number.isInteger(levels) || levels < 1) throw new RangeError(`landscape.chain: bad levels ${levels}`);
    // The trailing `; :` keeps sh from exec-ing its last command, which would collapse a level.
    const script = 'if [ "$1" -le 1 ]; then exec sleep 1000; fi; sh -c "$0" "$0" $(($1 - 1)); :';
    const { child: root, pid: rootPid } = await this.start('sh', ['-c', script, script, String(levels)], 'chain');
    const pids = [rootPid];
    while (pids.length < levels) {
      const parent = pids[pids.length - 1];
      const kid = await this.ready(root, () => {
        const kids = childrenOf(parent);
        return kids.length === 1 && readStat(kids[0])?.ppid === parent && kids[0];
      }, `chain: child of level ${pids.length} (pid ${parent})`);
      pids.push(this.track(kid));
    }
    const leaf = pids[pids.length - 1];
    await this.ready(root, () => procStateIs(leaf, 'S') && readCmdline(leaf)?.equals(cmdlineBytes(SLEEP_ARGV)) === true, 'chain: leaf exec sleep');
    return pids;
  }

  /** One python3 process with exactly `threads` threads (main thread included). */
  async threaded(threads = 4): Promise<number> {
    if (!Number.isInteger(threads) || threads < 1) throw new RangeError(`landscape.threaded: bad threads ${threads}`);
    const python = await requirePython('threaded');
    const { child, pid } = await this.start(python, ['-c', PY_THREADS, String(threads)], 'threaded');
    return this.ready(child, () => readStatusField(pid, 'Threads') === String(threads) && pid, `threaded: Threads: ${threads}`);
  }

  /**
   * A sleeping `sleep 1000` with a ptrace tracer (TracerPid ≠ 0; state S, or 't' once the tracer
   * stops it). Tries `strace -p` on our own sleeper (tracer killed first on cleanup, tracee stays
   * our child), then a python3 tracer that forks and PTRACE_SEIZEs its own child (works under
   * Yama ptrace_scope=1). Resolves undefined if neither tool exists or ptrace is not permitted.
   */
  async traced(): Promise<{ tracee: number; tracer: number } | undefined> {
    const strace = findExecutable('/usr/bin/strace') ?? findExecutable('strace');
    if (strace !== undefined) {
      const tracee = await this.sleeper();
      const { child, pid: tracer } = await this.start(strace, ['-o', '/dev/null', '-p', String(tracee)], 'traced');
      this.trackAs(tracer, true);
      const attached = await this.ready(child, () => readStatusField(tracee, 'TracerPid') === String(tracer) && settled(tracee), 'traced: strace -p')
        .catch(() => false);
      if (attached) return { tracee, tracer };
      // strace could not attach (e.g. Yama ptrace_scope=1 without privilege); both stay tracked for cleanup.
      signalIgnoringGone(tracer, 'SIGKILL');
      signalIgnoringGone(tracee, 'SIGKILL');
    }
    const python = await findPython();
    if (python === undefined) return undefined;
    const { child, pid: tracer } = await this.start(python, ['-c', PY_TRACER, sleepBinary()], 'traced');
    this.trackAs(tracer, true);
    try {
      const tracee = await this.ready(child, () => {
        const kids = childrenOf(tracer);
        const kid = kids.length === 1 ? kids[0] : undefined;
        // Also wait for the fork to have exec'd sleep and gone to sleep, so the tracee looks like the
        // strace case (right after exec it is briefly R on its way into nanosleep: seen on a loaded CI runner).
        return kid !== undefined && readStatusField(kid, 'TracerPid') === String(tracer) &&
          readCmdline(kid)?.equals(cmdlineBytes(SLEEP_ARGV)) === true && settled(kid) && kid;
      }, 'traced: python PTRACE_SEIZE');
      return { tracee: this.track(tracee), tracer };
    } catch (err) {
      if (child.exitCode === os.constants.errno.EPERM) return undefined;
      throw err;
    }
  }
}
