import { endHandOff } from '../actions/hand-off-end';
import { ok } from '../base/result';
import { handOffCommand, toolInvocation } from '../actions/tools';
import { constants } from 'node:os';
import { readProcessDetails } from '../procfs/details';
import { readEnviron } from '../procfs/environ';
import { LiveSource } from '../sampler/source';
import { SystemActions } from './ports';
import { effectRunner } from './system-effects';
import { cgroupRunner } from './cgroup-effects';

/** The loop's acts on the live system, wired to a live source's probe and /proc reader. */
export function liveActions(source: LiveSource, logFile?: string, selfPid = process.pid): SystemActions {
  const reader = source.reader;
  return {
    perform: effectRunner(source.probe, logFile),
    cgroup: cgroupRunner(reader, source.probe, selfPid, logFile),
    handOffCommand: (effect) => {
      const command = toolInvocation(effect.tool, effect.target, '', source.probe.startTicks);
      return command.ok ? ok(handOffCommand(effect.tool, command.value)) : command;
    },
    readDetails: (pid, startTicks) => (reader ? readProcessDetails(reader, pid, startTicks) : undefined),
    readEnviron: (pid, startTicks) => (reader ? readEnviron(reader, pid, startTicks) : undefined),
    identify: (pid) => {
      const startTicks = source.probe.startTicks(pid);
      return startTicks === undefined ? undefined : { pid, startTicks };
    },
    endHandOff: (wrapper, force) => {
      endHandOff(wrapper, force ? constants.signals.SIGKILL : constants.signals.SIGTERM, source.probe.startTicks, source.probe.childrenOf);
    },
  };
}
