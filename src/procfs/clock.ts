/**
 * USER_HZ: the unit of every tick count in /proc. It is 100 on every Linux
 * architecture the kernel exports to user space, whatever CONFIG_HZ is.
 */
export const CLOCK_TICKS = 100;
