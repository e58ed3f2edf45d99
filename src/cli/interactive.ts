import { findColumn, Column } from '../model/columns';
import { Sampler } from '../sampler/sampler';
import { SelfMeter } from '../sampler/self-meter';
import { hostFacts } from '../sampler/host-facts';
import { runApp } from '../ui/app';
import { DEFAULT_THEME, MONOCHROME_THEME } from '../ui/theme';
import { effectRunner } from './effects';
import { toolCommand } from '../actions/tools';
import { initialState } from '../view/ui-state';
import { resolveUser } from './once';
import { Options } from './options';

/** `proctop` with no --once: the interactive monitor, wired to the sampler and the actions. */
export async function runInteractive(options: Options): Promise<number> {
  if (!process.stdout.isTTY || !process.stdin.isTTY) {
    process.stderr.write('proctop: not a terminal; use --once (or --once --json) for a snapshot\n');
    return 2;
  }
  let uid: number | undefined;
  if (options.user !== undefined) {
    uid = resolveUser(options.user, options.passwd);
    if (uid === undefined) {
      process.stderr.write(`proctop: no such user: ${JSON.stringify(options.user)}\n`);
      return 2;
    }
  }
  const sampler = new Sampler({ root: options.procRoot, passwdPath: options.passwd, threads: options.threads, now: Date.now });
  const self = new SelfMeter();
  const perform = effectRunner(sampler.reader);
  return runApp({
    sample: () => sampler.sample(),
    setThreads: (on) => sampler.setThreads(on),
    perform,
    handOff: (effect) => toolCommand(effect.tool, effect.target, '', (pid) => sampler.reader.readStat(pid)?.startTicks),
    selfCost: () => self.read(),
    hostFacts: hostFacts(),
    columns: options.columns.map((id) => findColumn(id) as Column),
    theme: options.color ? DEFAULT_THEME : MONOCHROME_THEME,
    interval: options.delay * 100,
    maxIterations: options.maxIterations,
    mouse: options.mouse,
    initial: initialState({
      sortKey: options.sortKey,
      tree: options.tree,
      filter: options.filter,
      uid,
      pids: options.pids,
      highlight: options.highlightChanges,
      readonly: options.readonly,
      showThreads: options.threads,
      stuckAfterMs: options.stuckAfter * 1000,
    }),
  });
}
