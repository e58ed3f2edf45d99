import { appendActionLog, ActionRecord } from '../actions/action-log';
import { describeAftermath, Inspect } from '../actions/aftermath';
import { renice } from '../actions/renice';
import { sendSignal, SignalResult, StartTimeProbe, summarize } from '../actions/send-signal';
import { signalGroup, signalSubtree } from '../actions/signal-scope';
import { runTool, toolInvocation } from '../actions/tools';
import { signalByNumber } from '../model/signals';
import { ProcessProbe } from '../model/snapshot-source';
import { Target } from '../view/ui-state';
import { EffectOutcome, SystemEffect } from './ports';

/** Wires the view's effects to the actions, with the procfs reader as the source of truth for identity. */
export function effectRunner(source: ProcessProbe, logFile?: string): (effect: SystemEffect) => EffectOutcome {
  const probe: StartTimeProbe = source.startTicks;
  const inspect: Inspect = source.inspect;
  const childrenOf = source.childrenOf;
  return (effect) => {
    if (effect.kind === 'renice') {
      const r = renice(effect.target, effect.nice, probe);
      const message = r.ok ? r.value : r.error;
      const logError = log([record('renice', undefined, effect.target, r.ok ? 'sent' : 'failed', message)], logFile);
      return { text: logError ? `${message} (${logError})` : message, error: !r.ok || logError !== undefined };
    }
    if (effect.kind === 'tool') {
      const command = toolInvocation(effect.tool, effect.target, effect.value, probe);
      if (!command.ok) return { text: command.error, error: true };
      const result = runTool(command.value);
      log([record(effect.tool, undefined, effect.target, result.error ? 'failed' : 'sent', `${effect.tool} ${command.value.args.join(' ')}: ${result.text}`)], logFile);
      return result;
    }
    const name = signalByNumber(effect.signal)?.name ?? `signal ${effect.signal}`;
    let results: SignalResult[];
    if (effect.scope === 'group' && effect.group !== undefined) results = signalGroup(effect.group, effect.targets, effect.signal, probe, source.groupOf);
    else if (effect.scope === 'subtree') results = signalSubtree(effect.targets, effect.signal, probe, childrenOf);
    else results = effect.targets.map((t) => sendSignal(t, effect.signal, probe));
    const byPid = new Map(effect.targets.map((t) => [t.pid, t]));
    const logError = log(results.map((r) => record('signal', name, byPid.get(r.target.pid) ?? { ...r.target, command: '?' }, r.outcome, r.message)), logFile);
    const sent = results.filter((r) => r.outcome === 'sent').map((r) => r.target);
    const note = logError ? ` (${logError})` : '';
    return {
      text: summarize(name, results) + note,
      notSent: results.filter((r) => r.outcome !== 'sent').map((r) => ({ pid: r.target.pid, reason: r.message.replace(/^PID \d+: /, '') })),
      error: results.some((r) => r.outcome !== 'sent') || logError !== undefined,
      // The aftermath replaces the line a moment later: the note stays at its end.
      later: sent.length === 0 ? undefined : () => ({ text: `${summarize(name, results)}; ${describeAftermath(sent, inspect, 0.3, effect.signal)}${note}`, error: logError !== undefined }),
    };
  };
}

function record(action: string, signal: string | undefined, t: Pick<Target, 'pid' | 'startTicks' | 'command'>, outcome: string, message: string): ActionRecord {
  return { time: new Date().toISOString(), action, ...(signal ? { signal } : {}), pid: t.pid, startTicks: t.startTicks, command: t.command, outcome, message };
}

function log(records: readonly ActionRecord[], file: string | undefined): string | undefined {
  return file === undefined ? appendActionLog(records) : appendActionLog(records, file);
}
