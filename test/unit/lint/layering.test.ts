/**
 * The import direction is enforced by lint (.eslintrc.json's per-folder
 * no-restricted-imports): these lint source text under a path in each folder,
 * without writing a file, and show a wrong import failing and a right one passing.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { REPO_ROOT } from '../procfs/fixtures';

interface LintMessage { readonly ruleId: string | null; readonly message: string }
interface Linter { lintText(code: string, options: { filePath: string }): Promise<{ messages: LintMessage[] }[]> }

let linter: Linter | undefined;

/** eslint in its .eslintrc mode; type information off (the import rules need none, and it costs ~10 s). */
function eslint(): Linter {
  if (linter) return linter;
  process.env.ESLINT_USE_FLAT_CONFIG = 'false';
  // eslint's own entry for the .eslintrc mode; it ships no types for it.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { LegacyESLint } = require('eslint/use-at-your-own-risk') as { LegacyESLint: new (options: object) => Linter };
  linter = new LegacyESLint({
    cwd: REPO_ROOT,
    overrideConfig: { parserOptions: { project: null }, rules: { '@typescript-eslint/no-floating-promises': 'off' } },
  });
  return linter;
}

/** The import-rule messages lint gives `code` as if it were the file at `file`. */
async function importErrors(file: string, code: string): Promise<string[]> {
  const [result] = await eslint().lintText(code, { filePath: file });
  assert.ok(result);
  const fatal = result.messages.find((m) => m.ruleId === null);
  assert.equal(fatal, undefined, fatal?.message);
  return result.messages.filter((m) => /no-restricted-imports$/.test(m.ruleId ?? '')).map((m) => m.message);
}

const WRONG: readonly (readonly [string, string, RegExp])[] = [
  ['src/procfs/parse/zz-layering.ts', "import type { ProcessInfo } from '../../model/snapshot';\nexport type X = ProcessInfo;\n", /procfs\/ imports nothing above it/],
  ['src/procfs/zz-layering.ts', "import { COLUMNS } from '../model/columns';\nexport const x = COLUMNS;\n", /procfs\/ imports nothing above it/],
  ['src/kernel/zz-layering.ts', "import { COLUMNS } from '../model/columns';\nexport const x = COLUMNS;\n", /kernel\/ .* imports nothing else/],
  ['src/base/zz-layering.ts', "import type { ProcessState } from '../kernel/process-state';\nexport type X = ProcessState;\n", /base\/ .* imports nothing else/],
  ['src/config/zz-layering.ts', "import { OPTIONS } from '../cli/options';\nexport const x = OPTIONS;\n", /config\/ does not import cli\//],
  ['src/view/zz-layering.ts', "import type { ProcessDetails } from '../procfs/details';\nexport type X = ProcessDetails;\n", /view\/ is pure/],
  ['src/model/zz-layering.ts', "import { buildView } from '../view/build-view';\nexport const x = buildView;\n", /model\/ is pure/],
  ['src/actions/zz-layering.ts', "import { reduce } from '../view/reduce';\nexport const x = reduce;\n", /actions\/ imports nothing above it/],
  ['src/view/zz-layering.ts', "import * as fs from 'node:fs';\nexport const x = fs;\n", /node:fs only in/],
  ['src/sampler/zz-layering.ts', "import { readFileSync } from 'fs';\nexport const x = readFileSync;\n", /node:fs only in/],
  ['src/procfs/parse/zz-layering.ts', "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n", /node:fs only in/],
  ['src/model/zz-layering.ts', "import blessed from 'blessed';\nexport const x = blessed;\n", /blessed stays inside src\/ui\//],
];

test('lint fails on an import against the layering, naming the rule it breaks', async () => {
  for (const [file, code, why] of WRONG) {
    const errors = await importErrors(file, code);
    assert.equal(errors.length, 1, `${file}: ${code}`);
    assert.match(errors[0] ?? '', why, file);
  }
});

test('lint passes the same kinds of import in the direction the layering allows', async () => {
  const RIGHT: readonly (readonly [string, string])[] = [
    ['src/procfs/parse/zz-layering.ts', "import type { ProcessState } from '../../kernel/process-state';\nexport type X = ProcessState;\n"],
    ['src/procfs/parse/zz-layering.ts', "import { ok } from '../../base/result';\nexport const x = ok;\n"],
    ['src/model/zz-layering.ts', "import { err } from '../base/result';\nexport const x = err;\n"],
    ['src/actions/zz-layering.ts', "import type { Result } from '../base/result';\nexport type X = Result<number>;\n"],
    ['src/view/zz-layering.ts', "import type { ProcessDetails } from '../kernel/process-details';\nexport type X = ProcessDetails;\n"],
    ['src/config/zz-layering.ts', "import { THEME_NAMES } from '../model/settings';\nexport const x = THEME_NAMES;\n"],
    ['src/procfs/zz-layering.ts', "import * as fs from 'node:fs';\nexport const x = fs;\n"],
    ['src/history/store-writer.ts', "import * as fs from 'node:fs';\nexport const x = fs;\n"],
    ['src/ui/zz-layering.ts', "import blessed from 'blessed';\nexport const x = blessed;\n"],
  ];
  for (const [file, code] of RIGHT) assert.deepEqual(await importErrors(file, code), [], `${file}: ${code}`);
});
