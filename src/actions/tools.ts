import { childProcess } from '../base/lazy-builtins';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ProcessIdentity } from '../model/snapshot';
import { StartTimeProbe } from './send-signal';
import { err, ok, Result } from '../base/result';

/** External tools proctop hands off to, and the Debian package that provides each. */
export const TOOL_PACKAGES: Readonly<Record<string, string>> = { strace: 'strace', lsof: 'lsof', taskset: 'util-linux', ionice: 'util-linux' };

/** Full path of an executable on PATH, or undefined. */
export function findTool(name: string, envPath = process.env.PATH ?? ''): string | undefined {
  for (const dir of envPath.split(':')) {
    if (!dir) continue;
    const file = path.join(dir, name);
    try {
      fs.accessSync(file, fs.constants.X_OK);
      return file;
    } catch {
      // not here; next directory
    }
  }
  return undefined;
}

/** The command line for a tool on a process, after checking it is installed and the process is still the same one. */
export function toolInvocation(
  tool: 'strace' | 'lsof' | 'taskset' | 'ionice',
  target: ProcessIdentity,
  value: string,
  probe: StartTimeProbe,
): Result<{ file: string; args: string[] }> {
  const file = findTool(tool);
  if (!file) return err(`${tool} is not installed (apt-get install ${TOOL_PACKAGES[tool]})`);
  const start = probe(target.pid);
  if (start === undefined) return err(`PID ${target.pid}: no such process (already gone)`);
  if (start !== target.startTicks) return err(`PID ${target.pid}: the PID now belongs to another process`);
  const pid = String(target.pid);
  switch (tool) {
    case 'strace':
      return ok({ file, args: ['-f', '-p', pid] });
    case 'lsof':
      return ok({ file, args: ['-p', pid] });
    case 'taskset':
      if (!/^\d+(-\d+)?(,\d+(-\d+)?)*$/.test(value)) return err(`not a CPU list: "${value.replace(/[^\x20-\x7e]/g, '?')}" (e.g. 0-3,6)`);
      return ok({ file, args: ['-pc', value, pid] });
    case 'ionice': {
      const m = /^([1-3])(?:\s+([0-7]))?$/.exec(value);
      if (!m) return err('expected CLASS [LEVEL]: 1 realtime, 2 best-effort, 3 idle; level 0-7');
      return ok({ file, args: m[2] !== undefined && m[1] !== '3' ? ['-c', m[1] as string, '-n', m[2], '-p', pid] : ['-c', m[1] as string, '-p', pid] });
    }
  }
}

/**
 * How a hand-off runs on the terminal: the tool, then a pause until Enter, so what it printed
 * (lsof's list, strace's last lines after Ctrl-C) can be read before proctop's screen comes back
 * over it; before, lsof's output flashed and was gone. Ctrl-C stops the tool, not the pause: the
 * shell traps INT with a handler, which exec resets to the default for the tool (an ignored INT
 * would be inherited and the tool could not be stopped). The tool and its arguments reach it as
 * positional parameters, never as shell text.
 */
export function withPause(command: { file: string; args: string[] }): { file: string; args: string[] } {
  const script = 'trap : INT; "$0" "$@"; status=$?; printf \'\n[%s exited with status %s; press Enter to return to proctop] \' "${0##*/}" "$status"; read -r _';
  return { file: '/bin/sh', args: ['-c', script, command.file, ...command.args] };
}

/**
 * The command line a hand-off runs on the terminal. lsof's list can be long: it goes through
 * `less` (as htop shows it in a scrollable panel), and proctop comes back when less is quit.
 * less is told to stay at the end of the list (`-+F -+E -+e` undo a quit-at-end from `$LESS`,
 * e.g. the common `LESS=-FRX`, which would end it, and the list, at once); `$PAGER` is not used
 * for the same reason (`more` quits at the end of a short list). Without less, and for strace,
 * the tool runs and {@link withPause} keeps its last output on screen until Enter.
 */
export function handOffCommand(tool: 'strace' | 'lsof', command: { file: string; args: string[] }, envPath = process.env.PATH ?? ''): { file: string; args: string[] } {
  const less = tool === 'lsof' ? findTool('less', envPath) : undefined;
  if (less === undefined) return withPause(command);
  const script = 'less=$1; shift; trap : INT; "$@" 2>&1 | "$less" -+F -+E -+e';
  return { file: '/bin/sh', args: ['-c', script, 'sh', less, command.file, ...command.args] };
}

/** Runs taskset/ionice and returns one status line (its first output line, or its error). */
export function runTool(command: { file: string; args: string[] }): { text: string; error: boolean } {
  try {
    const out = childProcess().execFileSync(command.file, command.args, { encoding: 'utf8', timeout: 5000, stdio: ['ignore', 'pipe', 'pipe'] });
    return { text: `${path.basename(command.file)}: ${out.trim().split('\n').pop() ?? 'done'}`, error: false };
  } catch (err) {
    const stderr = String((err as { stderr?: string }).stderr ?? '').trim().split('\n')[0];
    return { text: `${path.basename(command.file)}: ${stderr || String(err)}`, error: true };
  }
}
