import * as fs from 'node:fs';
import * as path from 'node:path';
import { crypto } from '../base/lazy-builtins';

/**
 * Writes a file so that a reader sees the old content or the new, never half
 * of it: a temp file in the same directory (the rename cannot cross file
 * systems), fsync, rename. This is what node_exporter's textfile collector
 * asks of whoever writes its `*.prom` files. Throws an Error on failure and
 * leaves no temp file behind.
 */
export function writeFileAtomic(file: string, text: string, mode = 0o644): void {
  const dir = path.dirname(path.resolve(file));
  // A dot name: the textfile collector reads only `*.prom`, so it never picks up the temp file.
  const tmp = path.join(dir, `.${path.basename(file)}.tmp-${process.pid}-${crypto().randomBytes(4).toString('hex')}`);
  let fd: number | undefined;
  try {
    fd = fs.openSync(tmp, 'wx', mode);
    fs.writeFileSync(fd, text);
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fd = undefined;
    fs.renameSync(tmp, file);
  } catch (error) {
    if (fd !== undefined) fs.closeSync(fd);
    fs.rmSync(tmp, { force: true });
    throw new Error(`cannot write ${file} (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
}
