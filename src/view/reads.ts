import { filesNeeded } from '../model/columns';
import { queryNeedsCgroups } from '../model/query-needs';
import { UiState } from './ui-state';

/**
 * Whether the sampler must read cgroups for what the screen shows now: a cgroup column
 * (CGROUP, CONTAINER, UNIT), or a filter that asks about cgroups (`container:web`, `throttled`)
 * even with no such column shown — without the read, those terms would match nothing — or a
 * cgroup action (X) that needed a process's cgroup.
 */
export function cgroupsNeeded(state: Pick<UiState, 'columns' | 'filter'> & Partial<Pick<UiState, 'cgroupsAsked'>>): boolean {
  return state.cgroupsAsked === true || filesNeeded(state.columns).has('cgroup') || queryNeedsCgroups(state.filter);
}
