import type { ProcessFile } from '../kernel/process-files';
import { filesNeeded, findColumn } from '../model/columns';
import { queryFiles, queryNeedsCgroups } from '../model/query-needs';
import { UiState } from './ui-state';

/**
 * Whether the sampler must read cgroups for what the screen shows now: a cgroup column
 * (CGROUP, CONTAINER, UNIT), the cgroup view (`v`), or a filter that asks about cgroups
 * (`container:web`, `throttled`, the `cgroup~…` that Enter in the cgroup view sets) even with no
 * such column shown — without the read, those terms would match nothing — or a cgroup action (X)
 * that needed a process's cgroup.
 */
export function cgroupsNeeded(state: Pick<UiState, 'columns' | 'filter'> & Partial<Pick<UiState, 'cgroupsAsked'>> & { readonly cgroupView?: Pick<UiState['cgroupView'], 'open'> }): boolean {
  return state.cgroupsAsked === true || filesNeeded(state.columns).has('cgroup') || state.cgroupView?.open === true || queryNeedsCgroups(state.filter);
}

/**
 * The optional per-process files the sampler must read for what the screen shows now: those of
 * the columns shown, of the sort column (sorting by SWAP needs VmSwap even when SWAP is not
 * shown) and of the fields the filter names (`ioread>1M`). cgroups are asked for apart
 * ({@link cgroupsNeeded}).
 */
export function processFilesNeeded(state: Pick<UiState, 'columns' | 'filter' | 'sortKey'>): ReadonlySet<ProcessFile> {
  return new Set<ProcessFile>([...filesNeeded(state.columns), ...(findColumn(state.sortKey)?.needs ?? []), ...queryFiles(state.filter)]);
}

/**
 * The host facts the live sampler must read for the header: PSI while a pressure meter is shown,
 * proctop's own cgroup limits while the container meter is shown or MEM% is against them.
 */
export function hostReadsNeeded(state: Pick<UiState, 'meters' | 'memBase'>): { readonly pressure: boolean; readonly ownCgroup: boolean } {
  return {
    pressure: state.meters.some((m) => m.startsWith('pressure-')),
    ownCgroup: state.meters.includes('container') || state.memBase === 'cgroup',
  };
}
