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
