/**
 * Long-running programs a test starts (proctop serve, prometheus, process-exporter): spawned
 * with stderr captured, on loopback ports, stopped by pid (SIGTERM, then SIGKILL after a bounded
 * wait) in `stop()`, which the test registers with `after`.
 */
import { ChildProcess, spawn } from 'node:child_process';
import * as net from 'node:net';
import { waitFor } from './wait';

export interface Daemon {
  readonly child: ChildProcess;
  readonly pid: number;
  /** stderr and stdout so far. */
  output(): string;
  stop(): Promise<void>;
}

export function startDaemon(file: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env): Daemon {
  const child = spawn(file, args, { stdio: ['ignore', 'pipe', 'pipe'], env });
  if (child.pid === undefined) throw new Error(`cannot spawn ${file}`);
  let text = '';
  child.stdout?.on('data', (b: Buffer) => { text += b.toString(); });
  child.stderr?.on('data', (b: Buffer) => { text += b.toString(); });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const pid = child.pid;
  return {
    child, pid,
    output: () => text,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** A loopback port free right now (bound and released): for programs that cannot report the port they got from 0. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}

/** Waits until a daemon's output matches `re`; fails early, with its output, if it exits. */
export async function waitForOutput(daemon: Daemon, re: RegExp, ms: number): Promise<RegExpExecArray> {
  return waitFor(() => {
    if (daemon.child.exitCode !== null) throw new Error(`pid ${daemon.pid} exited (${daemon.child.exitCode}): ${daemon.output().slice(-2000)}`);
    return re.exec(daemon.output()) ?? false;
  }, ms, `${re} in the output of pid ${daemon.pid}`);
}
