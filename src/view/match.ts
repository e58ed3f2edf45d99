import { ProcessInfo } from '../model/snapshot';

/** Case-insensitive substring match on name and command line, as htop's search and filter do. */
export function matchesText(p: ProcessInfo, text: string): boolean {
  if (text === '') return true;
  const needle = text.toLowerCase();
  return p.name.toLowerCase().includes(needle) || p.command.toLowerCase().includes(needle);
}
