/**
 * The names and bounds that the options, the config file, the setup screen and
 * the docs all check against: one list each, so no two of them can disagree.
 * (The themes' colours live in ui/theme.ts, keyed by these names.)
 */
import { parseDuration } from './time-spec';

/** Refresh interval bounds, tenths of a second (`-d`, config `delay`, the setup screen). */
export const DELAY_MIN = 1;
export const DELAY_MAX = 600;
/** Refresh interval of a first run, tenths of a second. */
export const DEFAULT_DELAY = 15;

/** Colour themes, by name. */
export const THEME_NAMES = ['default', 'light', 'mono'] as const;
/** One colour theme. */
export type ThemeName = (typeof THEME_NAMES)[number];

/** Header meters, in the order the default header shows them. */
export const METERS = ['cpus', 'memory', 'swap', 'pressure-cpu', 'pressure-memory', 'pressure-io', 'tasks', 'states', 'load', 'uptime', 'disk', 'net', 'container', 'self'] as const;
/** One header meter. */
export type Meter = (typeof METERS)[number];

/**
 * What MEM% is a share of (config `memPercentOf`, the setup screen): the host's MemTotal, or
 * the memory limit of the cgroup proctop runs in when that is lower (inside a container, its
 * processes then add up to 100 % of what the container may use).
 */
export const MEM_BASES = ['host', 'cgroup'] as const;
export type MemBase = (typeof MEM_BASES)[number];

/** A D-state process counts as stuck after this long in D, unless `--stuck-after` says otherwise. */
export const DEFAULT_STUCK_AFTER_MS = 5000;

/** True when `name` is one of `names` (narrows a string read from a flag or a file). */
export function isOneOf<T extends string>(names: readonly T[], name: unknown): name is T {
  return (names as readonly unknown[]).includes(name);
}

/** How much of the recent past the live TUI keeps for rewinding (`--rewind`, config `rewind`): a duration, `0` off. */
export const DEFAULT_REWIND = '10m';
/** The longest rewind accepted (the ring is also bounded in bytes; see history/frame-ring.ts). */
export const REWIND_MAX_MS = 24 * 3_600_000;

/** A rewind setting in ms (0 = off); undefined when malformed or longer than REWIND_MAX_MS. */
export function rewindMs(text: string): number | undefined {
  const ms = parseDuration(text);
  return ms === undefined || ms > REWIND_MAX_MS ? undefined : ms;
}
