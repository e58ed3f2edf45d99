/**
 * Option parsing under arbitrary values: parseOptions either returns valid
 * Options or throws a CommanderError (which main() turns into one line and
 * status 2), never anything else; and the real binary says so in one line.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { spawn } from 'node:child_process';
import fc from 'fast-check';
import { CommanderError } from 'commander';
import { buildProgram, parseOptions } from '../../../src/cli';
import { Options, OPTIONS, SAMPLER_NAMES } from '../../../src/cli/options';
import { DELAY_MAX, DELAY_MIN, THEME_NAMES } from '../../../src/model/settings';
import { COLUMNS, findColumn } from '../../../src/model/columns';
import { parseQuery } from '../../../src/model/query';
import { REPO_ROOT } from '../procfs/fixtures';

const BIN = path.join(REPO_ROOT, 'bin', 'proctop');
const IDS = COLUMNS.map((c) => c.id);
const ENV: NodeJS.ProcessEnv = {};

/** What a valid value of each flag looks like once parsed. */
const CHECKS: readonly { readonly flags: readonly string[]; readonly valid: (o: Options) => boolean }[] = [
  { flags: ['--delay', '-d'], valid: (o) => Number.isInteger(o.delay) && o.delay >= DELAY_MIN && o.delay <= DELAY_MAX },
  { flags: ['--pid', '-p'], valid: (o) => o.pids !== undefined && o.pids.length > 0 && o.pids.every((p) => Number.isInteger(p) && p >= 1) },
  { flags: ['--sort-key', '-s'], valid: (o) => o.sortKey !== undefined && IDS.includes(o.sortKey) },
  {
    flags: ['--columns'],
    valid: (o) => o.columns.length > 0 && o.columns.every((id) => IDS.includes(id)) && new Set(o.columns).size === o.columns.length
      && o.columns.slice(0, -1).every((id) => findColumn(id)?.flex !== true),
  },
  { flags: ['--theme'], valid: (o) => (THEME_NAMES as readonly string[]).includes(o.theme) },
  { flags: ['--sampler'], valid: (o) => SAMPLER_NAMES.includes(o.sampler) },
  { flags: ['--filter', '-F'], valid: (o) => o.filter !== undefined && parseQuery(o.filter).ok },
  { flags: ['--stuck-after'], valid: (o) => Number.isFinite(o.stuckAfter) && o.stuckAfter >= 0 && o.stuckAfter <= 86400 },
  { flags: ['--max-iterations', '-n'], valid: (o) => o.maxIterations !== undefined && Number.isInteger(o.maxIterations) && o.maxIterations >= 1 },
];

/** Strings of every kind, biased towards the near-misses: numbers, ids, commas, signs, blanks, control characters. */
const value: fc.Arbitrary<string> = fc.oneof(
  fc.string(),
  fc.fullUnicodeString({ maxLength: 12 }),
  fc.string16bits({ maxLength: 8 }),
  fc.integer({ min: -1000, max: 5_000_000 }).map(String),
  fc.double().map(String),
  fc.array(fc.oneof(fc.constantFrom(...IDS, 'CPU%', 'time+', 'x', ''), fc.nat(100).map(String)), { maxLength: 5 }).map((a) => a.join(',')),
  fc.constantFrom(...THEME_NAMES, ...SAMPLER_NAMES, '', ' ', '-1', '0', '1e3', '0x10', ' 5 ', '--help', '-V', '--', 'state:Z', '((', 'cpu>', '\n', '\x1b[31m'),
);

for (const { flags, valid } of CHECKS) {
  for (const flag of flags) {
    test(`${flag} VALUE: valid Options or a CommanderError, never another exception`, () => {
      const forms = (v: string): string[][] => [[flag, v], ...(flag.startsWith('--') ? [[`${flag}=${v}`]] : [])];
      fc.assert(fc.property(value, (v) => {
        for (const args of forms(v)) {
          let options: Options;
          try {
            options = parseOptions(['node', 'proctop', ...args], ENV);
          } catch (err) {
            if (err instanceof CommanderError) continue;
            throw err;
          }
          if (!valid(options)) return false;
          if (!options.explicit.size) return false;
        }
        return true;
      }), { numRuns: 300 });
    });
  }
}

test('colour is off with --no-color or a non-empty NO_COLOR, and on with NO_COLOR empty (no-color.org)', () => {
  const color = (args: string[], env: NodeJS.ProcessEnv): boolean => parseOptions(['node', 'proctop', ...args], env).color;
  assert.deepEqual(
    [color([], {}), color(['--no-color'], {}), color([], { NO_COLOR: '1' }), color([], { NO_COLOR: '' }), color(['--no-color'], { NO_COLOR: '' })],
    [true, false, false, true, false],
  );
});

test('good values parse to what they say', () => {
  const o = parseOptions(['node', 'proctop', '-d', '7', '-p', '1,22', '-s', 'CPU%', '--columns', 'command,pid,pid', '--theme', 'mono', '--sampler', 'linux', '-F', 'state:Z', '--stuck-after', '2.5', '-n', '3'], ENV);
  assert.deepEqual({ delay: o.delay, pids: o.pids, sortKey: o.sortKey, columns: o.columns, theme: o.theme, sampler: o.sampler, filter: o.filter, stuckAfter: o.stuckAfter, maxIterations: o.maxIterations },
    { delay: 7, pids: [1, 22], sortKey: 'cpu', columns: ['pid', 'command'], theme: 'mono', sampler: 'linux', filter: 'state:Z', stuckAfter: 2.5, maxIterations: 3 });
});

/** Runs bin/proctop to completion. */
function runBin(args: readonly string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(BIN, [...args], { env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

test('the binary answers bad values with status 2 and one line on stderr, no stack trace', async () => {
  const cases = [
    ['--delay', '0'], ['-d', 'abc'], ['--pid', '0,-1'], ['--sort-key', 'nope'], ['--columns', ','], ['--theme', 'neon'],
    ['--sampler', 'x'], ['--filter', '((('], ['-F', 'a\nb'], ['--stuck-after', '-1'], ['-n', '0'], ['--delay'], ['--bogus'], ['extra'],
  ];
  // In parallel: each run is a Node start-up.
  const results = await Promise.all(cases.map(runBin));
  results.forEach((r, i) => {
    const shown = JSON.stringify(cases[i]);
    assert.equal(r.status, 2, `${shown}: ${r.stderr}`);
    assert.equal(r.stdout, '', shown);
    assert.match(r.stderr, /^proctop: [^\n]+\n$/, shown);
    assert.doesNotMatch(r.stderr, /\n\s+at /, shown);
  });
});

test('a default shown by its label (--rewind 10m, not 600000) is the value the label parses to, in --help and in Options', () => {
  const labelled = OPTIONS.filter((o) => o.defaultLabel !== undefined);
  assert.ok(labelled.some((o) => o.key === 'rewind'));
  for (const o of labelled) assert.deepEqual(o.parse?.(o.defaultLabel as string), o.defaultValue, o.flags);
  assert.equal(parseOptions(['node', 'proctop'], ENV).rewind, 600_000);
  const help = buildProgram().helpInformation().replace(/\s+/g, ' ');
  assert.match(help, /--rewind <duration> .*\(default: 10m\)/);
  assert.doesNotMatch(help, /600000/);
});
