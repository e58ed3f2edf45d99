import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import * as esbuild from 'esbuild';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { installStackMapping, mapFrameLine, projectPath } from '../../../src/cli/stack-map';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'proctop-stack-map-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

test('map sources become project paths', () => {
  assert.equal(projectPath('../../src/cli/once.ts'), 'src/cli/once.ts');
  assert.equal(projectPath('../../node_modules/blessed/lib/tput.js'), 'node_modules/blessed/lib/tput.js');
  assert.equal(projectPath('<define:PROCTOP_BUILD_INFO>'), '<define:PROCTOP_BUILD_INFO>');
});

test('a frame in the bundle is rewritten to its origin (one-based), other frames are left alone', () => {
  const origin = (line: number, column: number): { source: string; line: number; column: number } | undefined => (line === 0 && column === 99 ? { source: '../../src/ui/app.ts', line: 41, column: 4 } : undefined);
  assert.equal(mapFrameLine('    at Qe (/opt/proctop/dist/bundle/proctop.js:1:100)', '/opt/proctop/dist/bundle/proctop.js', origin), '    at Qe (src/ui/app.ts:42:5)');
  assert.equal(mapFrameLine('    at proctop.js:1:100', 'proctop.js', origin), '    at src/ui/app.ts:42:5');
  assert.equal(mapFrameLine('    at listOnTimeout (node:internal/timers:573:17)', 'proctop.js', origin), '    at listOnTimeout (node:internal/timers:573:17)');
  assert.equal(mapFrameLine('    at x (/opt/proctop/dist/bundle/proctop.js:7:7)', '/opt/proctop/dist/bundle/proctop.js', origin), '    at x (/opt/proctop/dist/bundle/proctop.js:7:7)', 'no mapping: unchanged');
});

test('a stack thrown from minified code names the TypeScript line, and the map is read only when a stack is formatted', () => {
  const source = 'export function outer(): void {\n  inner();\n}\n\nfunction inner(): never {\n  throw new Error("boom");\n}\n';
  const out = esbuild.transformSync(source, { loader: 'ts', format: 'cjs', minify: true, sourcemap: 'external', sourcefile: 'src/boom.ts' });
  const file = path.join(tmp, 'boom.js');
  fs.writeFileSync(file, out.code);
  let loads = 0;
  const saved = Error.prepareStackTrace;
  try {
    installStackMapping(file, () => {
      loads += 1;
      return out.map;
    });
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = require(file) as { outer: () => void };
    let caught: unknown;
    try {
      mod.outer();
    } catch (err) {
      caught = err;
    }
    assert.equal(loads, 0, 'not read before a stack is formatted');
    const stack = (caught as Error).stack ?? '';
    assert.equal(loads, 1);
    const lines = stack.split('\n');
    assert.equal(lines[0], 'Error: boom');
    assert.match(lines[1] ?? '', /src\/boom\.ts:6:\d+/, stack);
    assert.match(lines[2] ?? '', /src\/boom\.ts:2:\d+/, stack);
  } finally {
    Error.prepareStackTrace = saved;
  }
});

test('without its map, stacks stay as V8 writes them', () => {
  const saved = Error.prepareStackTrace;
  try {
    installStackMapping('/nowhere/proctop.js', () => {
      throw new Error('no map');
    });
    const stack = new Error('plain').stack ?? '';
    assert.match(stack, /^Error: plain\n {4}at /);
  } finally {
    Error.prepareStackTrace = saved;
  }
});
