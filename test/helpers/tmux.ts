/**
 * A real terminal for end-to-end tests: one private tmux server per session object.
 *
 * Each {@link TmuxSession} runs `tmux -L <unique socket> -f /dev/null`, so it never reads the
 * user's ~/.tmux.conf and never touches the user's tmux server. The pane runs the given argv
 * under `env TERM=xterm-256color LANG=C.UTF-8` (LC_ALL unset), with `remain-on-exit on` so the
 * exit status stays readable after the program ends.
 *
 * Unless `freshXdg: false`, the pane's XDG_CONFIG_HOME and XDG_STATE_HOME point into a fresh
 * temporary directory (removed by kill()), so a proctop under test never reads or writes the
 * user's settings or action log (values in `env` win).
 *
 * @example
 *   const term = TmuxSession.start(['bin/proctop', '-d', '5'], { width: 120, height: 40, freshXdg: true });
 *   after(() => term.kill());
 *   await term.waitForText(/Load average:/);
 *   term.sendKeys('q');
 *   assert.equal((await term.waitForExit()).status, 0);
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { cleanupSet } from './cleanup';

/** Poll interval of every wait in this file. */
const POLL_MS = 50;

/** How a program in a pane ended: `status` for exit(), `signal` for a fatal signal. */
export interface PaneExit {
  readonly status: number | undefined;
  readonly signal: number | undefined;
}

export interface TmuxOptions {
  /** Columns (default 80). */
  readonly width?: number;
  /** Lines (default 24). */
  readonly height?: number;
  /** Working directory of the pane's program (default: the test's cwd). */
  readonly cwd?: string;
  /** Extra environment for the pane's program (applied by `env`, after TERM and LANG). */
  readonly env?: Readonly<Record<string, string>>;
  /**
   * Give the program fresh, empty XDG_CONFIG_HOME and XDG_STATE_HOME directories (one temporary
   * directory under os.tmpdir(), removed by kill()), so it neither reads nor writes the user's
   * settings or action log. Entries in `env` win over these two. Default true: only an explicit
   * `false` lets the program see the XDG directories of the test runner's environment.
   */
  readonly freshXdg?: boolean;
  /**
   * Run `argv` exactly as given, under tmux's own defaults: no `env` wrapper (TERM is tmux's
   * default-terminal, tmux-256color), no fresh XDG directories, the status line on, no
   * remain-on-exit. For benchmarks that time a program as a person starting it in tmux gets it
   * (bench/tui.ts); `env`, `freshXdg` are ignored.
   */
  readonly bare?: boolean;
}

/** The fresh XDG directories of a session started with `freshXdg`. */
export interface XdgDirs {
  /** XDG_CONFIG_HOME of the program (not created: the program creates what it writes). */
  readonly config: string;
  /** XDG_STATE_HOME of the program; proctop's action log is `<state>/proctop/actions.log`. */
  readonly state: string;
}

export interface CaptureOptions {
  /** Keep escape sequences for colours and attributes (capture-pane -e). */
  readonly escapes?: boolean;
  /** Include the scrollback above the visible screen (capture-pane -S -). */
  readonly history?: boolean;
}

/** tmux client environment: without TMUX/TMUX_PANE a test run inside tmux still talks only to our socket. */
function clientEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.TMUX;
  delete env.TMUX_PANE;
  return env;
}

let counter = 0;
/** Sessions not yet killed, so the exit hook can stop their servers if a test forgot to. */
const live = cleanupSet<TmuxSession>('tmux servers', (item) => item.killSync());

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Start time (clock ticks since boot, /proc/PID/stat field 22) or undefined when the pid is gone. */
function startTicks(pid: number): number | undefined {
  try {
    const raw = fs.readFileSync(`/proc/${pid}/stat`, 'latin1');
    return Number(raw.slice(raw.lastIndexOf(')') + 2).split(' ')[19]);
  } catch {
    return undefined;
  }
}

/** State letter of a pid, undefined when gone. */
function stateOf(pid: number): string | undefined {
  try {
    const raw = fs.readFileSync(`/proc/${pid}/stat`, 'latin1');
    return raw.slice(raw.lastIndexOf(')') + 2, raw.lastIndexOf(')') + 3);
  } catch {
    return undefined;
  }
}

/** One detached tmux session on its own server. */
export class TmuxSession {
  /** The `-L` socket name, unique per session object. */
  readonly socket: string;
  /** Path of the server's socket file, removed by {@link TmuxSession.kill}. */
  private socketPath: string | undefined;
  /** Server and pane processes with their start times, to confirm they are gone after kill(). */
  private processes: { pid: number; ticks: number | undefined }[] = [];
  private killed = false;
  /** The fresh XDG directories when started with `freshXdg`, else undefined. */
  readonly xdg: XdgDirs | undefined;
  /** Their common temporary parent, removed by kill(). */
  private readonly xdgRoot: string | undefined;

  private constructor(socket: string, xdgRoot: string | undefined) {
    this.socket = socket;
    this.xdgRoot = xdgRoot;
    this.xdg = xdgRoot === undefined ? undefined : { config: path.join(xdgRoot, 'config'), state: path.join(xdgRoot, 'state') };
  }

  /**
   * Starts a new server with one session of `width`×`height` running `argv` (no shell unless
   * argv starts one). Throws with tmux's stderr when tmux cannot start.
   */
  static start(argv: readonly string[], options: TmuxOptions = {}): TmuxSession {
    if (argv.length === 0) throw new RangeError('tmux.start: empty argv');
    counter += 1;
    const xdgRoot = options.freshXdg !== false && options.bare !== true ? fs.mkdtempSync(path.join(os.tmpdir(), 'proctop-e2e-xdg-')) : undefined;
    const session = new TmuxSession(`proctop-e2e-${process.pid}-${counter}-${randomBytes(3).toString('hex')}`, xdgRoot);
    const xdgEnv = session.xdg ? { XDG_CONFIG_HOME: session.xdg.config, XDG_STATE_HOME: session.xdg.state } : {};
    const extra = Object.entries({ ...xdgEnv, ...options.env }).map(([k, v]) => `${k}=${v}`);
    const inner = options.bare ? argv : ['env', '-u', 'LC_ALL', 'TERM=xterm-256color', 'LANG=C.UTF-8', ...extra, ...argv];
    live.add(session);
    try {
      session.open(inner, options);
    } catch (err) {
      // The server may be up even though a later command failed: never leave it running.
      session.killSync();
      throw err;
    }
    return session;
  }

  private open(inner: readonly string[], options: TmuxOptions): void {
    // Options are set in the same command list as new-session, i.e. before the pane can exit.
    const settings = options.bare ? [] : [
      'set-option', '-g', 'remain-on-exit', 'on', ';',
      'set-option', '-g', 'default-terminal', 'xterm-256color', ';',
      'set-option', '-g', 'status', 'off', ';',
    ];
    this.tmux([
      ...settings,
      'new-session', '-d', '-x', String(options.width ?? 80), '-y', String(options.height ?? 24),
      ...(options.cwd === undefined ? [] : ['-c', options.cwd]),
      ...inner,
    ]);
    const [serverPid, panePid, socketPath] = this.display('#{pid} #{pane_pid} #{socket_path}').split(' ');
    this.socketPath = socketPath;
    for (const pid of [Number(serverPid), Number(panePid)]) this.processes.push({ pid, ticks: startTicks(pid) });
  }

  /** Runs one tmux command on this server; returns stdout. */
  tmux(args: readonly string[], input?: string): string {
    try {
      return execFileSync('tmux', ['-L', this.socket, '-f', '/dev/null', ...args], {
        encoding: 'utf8',
        env: clientEnv(),
        input,
        stdio: ['pipe', 'pipe', 'pipe'],
        // Generous: on an overloaded machine even a tmux client can take seconds to start.
        timeout: 30_000,
      });
    } catch (err) {
      const stderr = (err as { stderr?: string }).stderr ?? '';
      throw new Error(`tmux ${args.join(' ')}: ${stderr.trim() || String(err)}`);
    }
  }

  /** Expands a tmux format for the (only) pane, e.g. `#{pane_title}`. */
  display(format: string): string {
    return this.tmux(['display-message', '-p', format]).replace(/\n$/, '');
  }

  /**
   * Sends tmux key names, one per argument: `Enter`, `Escape`, `F9`, `Up`, `BSpace`, `C-c`, or a
   * single character such as `k` or `\`.
   */
  sendKeys(...keys: string[]): void {
    if (keys.length > 0) this.tmux(['send-keys', ...keys]);
  }

  /** Types `text` literally (send-keys -l). The text is visible in the tmux client's argv while it runs. */
  sendText(text: string): void {
    this.tmux(['send-keys', '-l', text]);
  }

  /**
   * Types `text` through a paste buffer fed on stdin, so it never appears in any process's argv:
   * a process monitor filtering for a marker must not find a transient `tmux send-keys marker`.
   */
  pasteText(text: string): void {
    const buffer = `b${randomBytes(4).toString('hex')}`;
    this.tmux(['load-buffer', '-b', buffer, '-', ';', 'paste-buffer', '-d', '-b', buffer], text);
  }

  /**
   * The visible screen as text, one line per row (trailing spaces trimmed by tmux), once two
   * captures in a row agree (at most 10 tries): never a frame tmux was half-way through applying.
   */
  capture(options: CaptureOptions = {}): string {
    const args = ['capture-pane', '-p', ...(options.escapes ? ['-e'] : []), ...(options.history ? ['-S', '-'] : [])];
    let screen = this.tmux(args);
    for (let tries = 1; tries < 10; tries++) {
      const again = this.tmux(args);
      if (again === screen) break;
      screen = again;
    }
    return screen;
  }

  /**
   * Polls the screen every 50 ms until `check(screen)` returns something other than
   * undefined/false, and returns that. On timeout the error names `what` and shows the last screen.
   * A screen is only accepted when the next capture is identical: tmux applies a large frame as it
   * reads it from the pty, so one capture can catch half of it (a precaution; one extra capture).
   */
  async waitForScreen<T>(check: (screen: string) => T | undefined | false, timeoutMs: number, what: string, options: CaptureOptions = {}): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    let previous: string | undefined;
    for (;;) {
      const { screen, dead } = this.captureAndStatus(options);
      const value = check(screen);
      if (value !== undefined && value !== false) {
        // Confirmed by an identical capture, or out of time to confirm (then as good as before).
        if (screen === previous || Date.now() >= deadline) return value;
        previous = screen;
        continue; // confirm at once, without the poll sleep
      }
      previous = screen;
      if (dead) {
        // With the history: what a crashing program printed may have scrolled off the screen.
        const all = this.capture({ history: true }).replace(/\n+$/, '\n');
        throw new Error(`tmux: the program exited (${describe(this.exitNow())}) while waiting for ${what}; screen and history:\n${all}`);
      }
      if (Date.now() >= deadline) throw new Error(`tmux: timed out after ${timeoutMs} ms waiting for ${what}; last screen:\n${screen}`);
      await sleep(POLL_MS);
    }
  }

  /** capture() and paneDead() in one tmux call: polling costs one process start per 50 ms, not two. */
  private captureAndStatus(options: CaptureOptions): { screen: string; dead: boolean } {
    const out = this.tmux([
      'capture-pane', '-p', ...(options.escapes ? ['-e'] : []), ...(options.history ? ['-S', '-'] : []), ';',
      'display-message', '-p', 'pane_dead=#{pane_dead}',
    ]);
    const at = out.lastIndexOf('pane_dead=');
    return { screen: out.slice(0, at), dead: out.slice(at).startsWith('pane_dead=1') };
  }

  /** Waits until the screen matches `pattern`; returns the screen. */
  waitForText(pattern: RegExp, timeoutMs = 5000, options: CaptureOptions = {}): Promise<string> {
    return this.waitForScreen((s) => pattern.test(s) && s, timeoutMs, `text ${String(pattern)}`, options);
  }

  /** Resizes the window (and so the pane: SIGWINCH to the program). */
  resize(width: number, height: number): void {
    this.tmux(['resize-window', '-x', String(width), '-y', String(height)]);
  }

  /** The pane's title, as set by the program with OSC 0/2. */
  paneTitle(): string {
    return this.display('#{pane_title}');
  }

  /** Whether the program uses the alternate screen right now (or did when it died). */
  alternateOn(): boolean {
    return this.display('#{alternate_on}') === '1';
  }

  /**
   * Copies everything the program writes to the terminal from now on, byte for byte, into `file`
   * (tmux pipe-pane -o, through `cat`, a child of the tmux server that ends with it).
   */
  pipeOutput(file: string): void {
    this.tmux(['pipe-pane', '-o', `exec cat >> '${file.replace(/'/g, "'\\''")}'`]);
  }

  /** Sets the pane's title (select-pane -T), e.g. to see later whether the program changed it. */
  setTitle(title: string): void {
    this.tmux(['select-pane', '-T', title]);
  }

  /** Whether the cursor is visible (#{cursor_flag}). */
  cursorVisible(): boolean {
    return this.display('#{cursor_flag}') === '1';
  }

  /** Pid of the pane's program as tmux reported it at start (no tmux call; `env` execs, so the same pid). */
  startedPid(): number | undefined {
    return this.processes[1]?.pid;
  }

  /** Pid of the pane's program (after `env` exec'd it). */
  panePid(): number {
    return Number(this.display('#{pane_pid}'));
  }

  /** Whether the pane's program has ended (its pty is closed). */
  paneDead(): boolean {
    return this.display('#{pane_dead}') === '1';
  }

  /** Exit status/signal, both undefined while running or until tmux has reaped the program. */
  private exitNow(): PaneExit {
    const [status, signal] = this.display('#{pane_dead_status}|#{pane_dead_signal}').split('|');
    return { status: status ? Number(status) : undefined, signal: signal ? Number(signal) : undefined };
  }

  /**
   * Waits for the program to end and returns how. tmux can see the pty close before it reaps the
   * child; and because libutempter briefly installs its own SIGCHLD handler while tmux removes
   * the utmp record of a closed pty, tmux may miss the child's SIGCHLD altogether (tmux/tmux#311)
   * and leave it a zombie. So while the pane is dead without a status, nudge the server with
   * SIGCHLD: it then runs its waitpid() loop.
   */
  async waitForExit(timeoutMs = 5000): Promise<PaneExit> {
    const deadline = Date.now() + timeoutMs;
    const server = this.processes[0];
    for (;;) {
      if (this.paneDead()) {
        const exit = this.exitNow();
        if (exit.status !== undefined || exit.signal !== undefined) return exit;
        if (server !== undefined && startTicks(server.pid) === server.ticks) process.kill(server.pid, 'SIGCHLD');
      }
      if (Date.now() >= deadline) throw new Error(`tmux: the program did not exit within ${timeoutMs} ms; last screen:\n${this.capture()}`);
      await sleep(POLL_MS);
    }
  }

  /** kill-server and remove the socket file, without waiting. Idempotent. @internal */
  killSync(): void {
    if (this.killed) return;
    this.killed = true;
    live.delete(this);
    try {
      this.tmux(['kill-server']);
    } catch {
      // already gone
    }
    if (this.socketPath) fs.rmSync(this.socketPath, { force: true });
    if (this.xdgRoot) fs.rmSync(this.xdgRoot, { recursive: true, force: true });
  }

  /**
   * Kills this server (its panes get SIGHUP), removes the socket file, and waits until the
   * server and the pane's program are gone; SIGKILLs by pid (start time checked) whatever is
   * still there after `graceMs` (default 3 s). Returns the pids it had to SIGKILL. Idempotent.
   */
  async kill(graceMs = 3000): Promise<number[]> {
    this.killSync();
    const alive = (): { pid: number; ticks: number | undefined }[] =>
      this.processes.filter((p) => p.ticks !== undefined && startTicks(p.pid) === p.ticks && stateOf(p.pid) !== 'Z');
    const deadline = Date.now() + graceMs;
    while (alive().length > 0 && Date.now() < deadline) await sleep(POLL_MS);
    const forced = alive().map((p) => p.pid);
    for (const p of alive()) {
      try {
        process.kill(p.pid, 'SIGKILL');
      } catch {
        // gone meanwhile
      }
    }
    const left = alive();
    const hardDeadline = Date.now() + 2000;
    while (alive().length > 0 && Date.now() < hardDeadline) await sleep(POLL_MS);
    // Again, now that the program is gone: it may have written there while it was dying.
    if (this.xdgRoot) fs.rmSync(this.xdgRoot, { recursive: true, force: true });
    if (alive().length > 0) throw new Error(`tmux.kill: still running after SIGKILL: ${left.map((p) => p.pid).join(', ')}`);
    return forced;
  }
}

function describe(exit: PaneExit): string {
  if (exit.signal !== undefined) return `signal ${exit.signal}`;
  return exit.status === undefined ? 'status not yet known' : `status ${exit.status}`;
}
