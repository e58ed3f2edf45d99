/**
 * Counters of a group must never go down, yet the group's members come and
 * go. Like process-exporter, a group's counter is the sum, over scans, of each
 * member's increase since the previous scan; a member first seen adds its
 * whole value (it started, or joined the group, since the previous scan).
 * A member that exits takes nothing away. State: the last reading of each
 * current member only, so it is bounded by the groups' size.
 */

/** The counters a group accumulates, by key. */
export const GROUP_COUNTERS = ['cpuUser', 'cpuSystem', 'minorFaults', 'majorFaults', 'voluntarySwitches', 'involuntarySwitches', 'readBytes', 'writeBytes'] as const;
export type GroupCounter = (typeof GROUP_COUNTERS)[number];

/** One member's current counter values; undefined when unreadable (counts as no increase). */
export type CounterReading = Readonly<Record<GroupCounter, number | undefined>>;

/** Totals of one group, per counter. */
export type CounterTotals = Readonly<Record<GroupCounter, number>>;

const zero = (): Record<GroupCounter, number> => Object.fromEntries(GROUP_COUNTERS.map((c) => [c, 0])) as Record<GroupCounter, number>;

export class GroupCounters {
  private totals = new Map<string, Record<GroupCounter, number>>();
  private last = new Map<string, CounterReading>();

  /**
   * Adds one scan. `members` maps group name → member readings keyed by
   * identity (pid:start time), so a reused pid is a new member. Groups not
   * listed keep their totals (a group removed from the config is dropped by
   * {@link retainGroups}).
   */
  update(members: ReadonlyMap<string, ReadonlyMap<string, CounterReading>>): void {
    const next = new Map<string, CounterReading>();
    for (const [group, readings] of members) {
      let totals = this.totals.get(group);
      if (totals === undefined) this.totals.set(group, (totals = zero()));
      for (const [key, now] of readings) {
        // The group is part of the key: a process moving between groups is new to the second.
        const id = `${group}\u0000${key}`;
        const before = this.last.get(id);
        for (const c of GROUP_COUNTERS) {
          const value = now[c];
          if (value === undefined) continue;
          const prior = before?.[c];
          totals[c] += prior === undefined ? value : Math.max(0, value - prior);
        }
        next.set(id, now);
      }
    }
    this.last = next;
  }

  /** The totals of a group; zeros for a group never seen. */
  totalsOf(group: string): CounterTotals {
    return this.totals.get(group) ?? zero();
  }

  /** Drops totals of groups no longer configured. */
  retainGroups(groups: readonly string[]): void {
    for (const g of [...this.totals.keys()]) if (!groups.includes(g)) this.totals.delete(g);
  }
}
