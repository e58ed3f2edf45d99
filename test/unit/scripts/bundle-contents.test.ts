/**
 * Which packages the shipped bundle holds, read from the notices the build writes beside it
 * (scripts/notices.ts, one "name version (license)" line a package): requiring blessed-contrib's
 * index instead of its line chart put the map, markdown and picture widgets' dependencies
 * (~850 KiB, never run) into the source every proctop process loads and keeps.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..', '..', '..');

function bundledPackages(): string[] {
  const text = fs.readFileSync(path.join(ROOT, 'dist', 'bundle', 'THIRD-PARTY-NOTICES'), 'utf8');
  return [...text.matchAll(/^(@?[a-z0-9][\w.@/-]*) \d[^ ]* \(/gm)].map((m) => m[1] as string);
}

test('the bundle holds blessed-contrib\'s line chart and what it needs, not the widgets proctop never draws', () => {
  const packages = bundledPackages();
  for (const needed of ['blessed', 'blessed-contrib', 'drawille-canvas-blessed-contrib', 'lodash']) assert.ok(packages.includes(needed), `${needed} missing from ${packages.join(' ')}`);
  for (const unused of ['map-canvas', 'esprima', 'marked', 'marked-terminal', 'node-emoji', 'picture-tuber', 'cardinal']) {
    assert.ok(!packages.includes(unused), `${unused} is in the bundle`);
  }
});

/** The sources a bundle was made of, from its source map: project paths and package names. */
function bundleSources(file: string): { files: string[]; packages: string[] } {
  const map = JSON.parse(fs.readFileSync(path.join(ROOT, 'dist', 'bundle', `${file}.map`), 'utf8')) as { sources: string[] };
  const files = map.sources.map((s) => s.replace(/^(?:\.\.\/)+/, ''));
  const packages = [...new Set(files.flatMap((f) => /^node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(f)?.[1] ?? []))].sort();
  return { files, packages };
}

const DAEMONS = [
  // serve keeps `--sampler portable` (pidusage, 10 KiB, is bundled; systeminformation is required from its own bundle).
  { file: 'proctop-serve.js', has: ['src/cli/serve-entry.ts', 'src/serve/server.ts', 'src/sampler/sampler.ts'], hasPackages: ['commander', 'yaml'], not: ['src/history/store'], notPackages: [] },
  { file: 'proctop-record.js', has: ['src/cli/record-entry.ts', 'src/history/store-writer.ts', 'src/sampler/sampler.ts'], hasPackages: ['commander'], not: ['src/serve/', 'src/config/', 'src/sampler/portable'], notPackages: ['pidusage', 'yaml'] },
];

test('systeminformation is in a bundle of its own, which the others require by file', () => {
  for (const file of ['proctop.js', 'proctop-serve.js']) {
    assert.ok(!bundleSources(file).packages.includes('systeminformation'), `systeminformation in ${file}`);
    assert.ok(fs.readFileSync(path.join(ROOT, 'dist', 'bundle', file), 'utf8').includes('require("./proctop-dep-systeminformation.js")'), `${file} requires its bundle`);
  }
  assert.deepEqual(bundleSources('proctop-dep-systeminformation.js').packages, ['systeminformation']);
  assert.ok(bundledPackages().includes('systeminformation'), 'in the notices');
});

for (const d of DAEMONS) {
  test(`${d.file} holds its daemon and what it reaches: not the monitor, nor blessed, nor systeminformation`, () => {
    const { files, packages } = bundleSources(d.file);
    for (const needed of d.has) assert.ok(files.includes(needed), `${needed} missing`);
    for (const dir of ['src/ui/', 'src/loop/', 'src/actions/', 'src/output/', 'src/cli.ts', ...d.not]) {
      assert.deepEqual(files.filter((f) => f.startsWith(dir)), [], `${dir} in ${d.file}`);
    }
    for (const unused of ['blessed', 'blessed-contrib', 'systeminformation', ...d.notPackages]) assert.ok(!packages.includes(unused), `${unused} is in ${d.file}`);
    for (const needed of d.hasPackages) assert.ok(packages.includes(needed), `${needed} missing from ${packages.join(' ')}`);
    // One notice file serves all bundles (scripts/bundle.ts): every package in this one must be listed in it.
    const listed = bundledPackages();
    assert.deepEqual(packages.filter((p) => !listed.includes(p)), []);
  });
}
