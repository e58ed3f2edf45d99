/**
 * Names the terminal encoded in /proc/PID/stat field 7 (tty_nr), as ps does
 * for the common majors. Unknown majors are shown as `major:minor`.
 */
export function ttyName(ttyNr: number): string | undefined {
  if (ttyNr === 0) return undefined;
  const major = (ttyNr >> 8) & 0xfff;
  const minor = (ttyNr & 0xff) | ((ttyNr >> 12) & 0xfff00);
  if (major >= 136 && major <= 143) return `pts/${minor + (major - 136) * 256}`;
  if (major === 4) return minor < 64 ? `tty${minor}` : `ttyS${minor - 64}`;
  if (major === 5 && minor === 0) return 'tty';
  if (major === 5 && minor === 1) return 'console';
  return `${major}:${minor}`;
}
