/** Maps uid → user name from an /etc/passwd text; the first entry for a uid wins, as getpwuid does. */
export function parsePasswd(text: string): Map<number, string> {
  const users = new Map<number, string>();
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const [name, , uid] = line.split(':');
    const id = Number(uid);
    if (name && uid !== undefined && uid !== '' && Number.isInteger(id) && !users.has(id)) users.set(id, name);
  }
  return users;
}
