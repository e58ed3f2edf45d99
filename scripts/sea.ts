/**
 * `npm run dist`: the single-file build. Node's single executable applications (Node ≥ 20):
 * the CLI bundled into one CommonJS script (scripts/bundle.ts, kind 'single-file'), turned into
 * a blob by `node --experimental-sea-config`, injected with postject into a copy of the node
 * binary that runs this script. The result, dist/sea/proctop, runs on an x86-64 Linux host with
 * no Node installed (it needs glibc and libstdc++, as node does).
 *
 * The source map rides along as an asset, so a crash stack names the TypeScript file and line
 * (src/cli/stack-map.ts); the notices of the bundled packages are beside the file.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SINGLE_FILE_MAP_ASSET, SINGLE_FILE_SCRIPT } from '../src/cli/stack-map';
import { bundle, ROOT } from './bundle';
import { writeNotices } from './notices';

/** Where the single-file build goes. */
export const SEA_DIR = path.join(ROOT, 'dist', 'sea');
/** The fuse the node binary was built with (Node's docs, "Single executable applications"). */
const SENTINEL_FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';

interface PostjectApi {
  inject(file: string, resource: string, data: Buffer, options: { sentinelFuse: string }): Promise<void>;
}

async function main(): Promise<void> {
  const started = Date.now();
  fs.rmSync(SEA_DIR, { recursive: true, force: true });
  fs.mkdirSync(SEA_DIR, { recursive: true });
  const script = path.join(SEA_DIR, SINGLE_FILE_SCRIPT);
  const bundled = await bundle('single-file', script);
  writeNotices(ROOT, bundled.metafile, path.join(SEA_DIR, 'THIRD-PARTY-NOTICES'));
  const config = {
    main: SINGLE_FILE_SCRIPT,
    output: 'proctop.blob',
    disableExperimentalSEAWarning: true,
    // V8's code cache for the script, made now: the start-up does not compile what it runs first.
    useCodeCache: true,
    assets: { [SINGLE_FILE_MAP_ASSET]: `${SINGLE_FILE_SCRIPT}.map` },
  };
  fs.writeFileSync(path.join(SEA_DIR, 'sea-config.json'), `${JSON.stringify(config, null, 2)}\n`);
  // In SEA_DIR, so the script's name in stacks is SINGLE_FILE_SCRIPT, not a path on the build machine.
  const blob = spawnSync(process.execPath, ['--experimental-sea-config', 'sea-config.json'], { cwd: SEA_DIR, encoding: 'utf8' });
  if (blob.status !== 0) throw new Error(`node --experimental-sea-config failed: ${blob.stderr.trim()}`);
  const exe = path.join(SEA_DIR, 'proctop');
  fs.copyFileSync(process.execPath, exe);
  fs.chmodSync(exe, 0o755);
  // postject's LIEF warns about note sections it does not know ("Can't find string offset"); the injection is fine.
  // postject ships no types.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const postject = require('postject') as PostjectApi;
  await postject.inject(exe, 'NODE_SEA_BLOB', fs.readFileSync(path.join(SEA_DIR, 'proctop.blob')), { sentinelFuse: SENTINEL_FUSE });
  for (const f of ['proctop.blob', 'sea-config.json']) fs.rmSync(path.join(SEA_DIR, f));
  const mib = (n: number): string => (n / 1048576).toFixed(1);
  process.stdout.write(`dist: ${path.relative(ROOT, exe)} ${mib(fs.statSync(exe).size)} MiB (script ${mib(bundled.bytes)} MiB, Node ${process.versions.node}) in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`dist: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
