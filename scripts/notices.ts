/**
 * THIRD-PARTY-NOTICES beside a bundle: a bundle is a copy of every package in it, so it carries
 * their names, versions, licenses and license texts (most are MIT, which asks for the notice).
 */
import type { Metafile } from 'esbuild';
import * as fs from 'node:fs';
import * as path from 'node:path';

interface PackageNotice {
  readonly name: string;
  readonly version: string;
  readonly license: string;
  readonly text: string | undefined;
}

/** The package directories (node_modules/…/<name>) of the bundle's inputs, outermost package per path. */
export function bundledPackageDirs(metafile: Metafile): string[] {
  const dirs = new Set<string>();
  for (const input of Object.keys(metafile.inputs)) {
    const m = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input);
    if (m) dirs.add(m[1] as string);
  }
  return [...dirs].sort();
}

function notice(root: string, dir: string): PackageNotice {
  const pkg = JSON.parse(fs.readFileSync(path.join(root, dir, 'package.json'), 'utf8')) as { name?: string; version?: string; license?: unknown };
  const licenseFile = fs.readdirSync(path.join(root, dir)).find((f) => /^(licen[cs]e|copying)(\.|$)/i.test(f));
  return {
    name: pkg.name ?? path.basename(dir),
    version: pkg.version ?? '?',
    license: typeof pkg.license === 'string' ? pkg.license : 'see package',
    text: licenseFile ? fs.readFileSync(path.join(root, dir, licenseFile), 'utf8').trim() : undefined,
  };
}

/** Writes the notices of every package in the bundle to `file`. */
export function writeNotices(root: string, metafile: Metafile, file: string): void {
  const notices = bundledPackageDirs(metafile).map((dir) => notice(root, dir));
  const seen = new Set<string>();
  const blocks = notices.filter((n) => {
    const key = `${n.name}@${n.version}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  }).map((n) => `${n.name} ${n.version} (${n.license})\n\n${n.text ?? `(no license file in the package; its package.json says ${n.license})`}`);
  fs.writeFileSync(file, `proctop's bundle contains these packages:\n\n${blocks.join(`\n\n${'-'.repeat(72)}\n\n`)}\n`);
}
