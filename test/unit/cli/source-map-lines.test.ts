import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as esbuild from 'esbuild';
import { SourceMap } from 'node:module';
import { findOrigins } from '../../../src/cli/source-map-lines';

/** A few hundred lines of TypeScript, minified to a handful of long lines (as the bundle is). */
function sample(): { code: string; map: { mappings: string; sources: string[] } } {
  const parts: string[] = [];
  for (let i = 0; i < 200; i++) parts.push(`export function f${i}(a: number, b: string): string {\n  const x = a * ${i} + b.length;\n  return b.repeat(x % 3) + String(x);\n}\n`);
  const out = esbuild.transformSync(parts.join('\n'), { loader: 'ts', format: 'cjs', minify: true, sourcemap: 'external', sourcefile: 'src/many.ts' });
  return { code: out.code, map: JSON.parse(out.map) as { mappings: string; sources: string[] } };
}

test('every generated position maps where Node\'s SourceMap maps it (same generated line)', () => {
  const { code, map } = sample();
  const reference = new SourceMap(map as ConstructorParameters<typeof SourceMap>[0]);
  const positions: [number, number][] = [];
  code.split('\n').forEach((text, line) => {
    for (let column = 0; column < text.length; column += 7) positions.push([line, column]);
  });
  assert.ok(positions.length > 500);
  const found = findOrigins(map, positions);
  let compared = 0;
  positions.forEach(([line, column], i) => {
    const entry = reference.findEntry(line, column) as { generatedLine?: number; originalSource?: string; originalLine?: number; originalColumn?: number };
    if (entry.generatedLine !== line) return;
    compared++;
    assert.deepEqual(found[i], { source: entry.originalSource, line: entry.originalLine, column: entry.originalColumn }, `at ${line}:${column}`);
  });
  assert.ok(compared > 500, `${compared} positions compared`);
});

test('a line without segments, a position before the first segment and a malformed map give undefined', () => {
  const map = { mappings: ';KAAA,EAAE', sources: ['a.ts'] };
  assert.deepEqual(findOrigins(map, [[0, 3], [1, 2], [1, 9], [5, 0]]), [undefined, undefined, { source: 'a.ts', line: 0, column: 2 }, undefined]);
  assert.deepEqual(findOrigins({ mappings: 'A!AA', sources: ['a.ts'] }, [[0, 0]]), [undefined]);
});
