import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { CONFIG_FIELDS, Config, DEFAULT_CONFIG, MAX_GROUPS, validateConfig } from '../../../src/config/schema';
import { METERS } from '../../../src/model/settings';
import { DEFAULT_COLUMNS } from '../../../src/model/columns';
import { DELAY_MAX, DELAY_MIN, THEME_NAMES } from '../../../src/model/settings';

/** A valid file's contents with some fields overridden (or removed with undefined). */
function file(over: Record<string, unknown> = {}): Record<string, unknown> {
  const out: Record<string, unknown> = { ...DEFAULT_CONFIG, ...over };
  for (const key of Object.keys(out)) if (out[key] === undefined) delete out[key];
  return out;
}

/** Validates and returns the config and errors; a single changed field must not disturb the others. */
function check(over: Record<string, unknown>): { config: Config; errors: readonly string[] } {
  return validateConfig(file(over));
}

test('the defaults are htop\'s columns, all meters, CPU% high to low, list view, 1.5 s, default theme, no threads, kernel threads', () => {
  assert.deepEqual(DEFAULT_CONFIG, {
    version: 1, columns: [...DEFAULT_COLUMNS], meters: [...METERS], sortKey: 'cpu', sortDescending: true,
    tree: false, delay: 15, theme: 'default', showThreads: false, showKernel: true, groups: {}, rewind: '10m', memPercentOf: 'host',
  });
});

test('the defaults validate without errors', () => {
  assert.deepEqual(validateConfig(JSON.parse(JSON.stringify(DEFAULT_CONFIG))), { config: DEFAULT_CONFIG, errors: [] });
});

test('the defaults are frozen, so no caller can change them for everyone', () => {
  assert.ok(Object.isFrozen(DEFAULT_CONFIG) && Object.isFrozen(DEFAULT_CONFIG.columns) && Object.isFrozen(DEFAULT_CONFIG.meters) && Object.isFrozen(DEFAULT_CONFIG.groups));
});

test('a file that is not an object gives the defaults and one error', () => {
  for (const raw of [null, [], 'x', 3]) {
    const { config, errors } = validateConfig(raw);
    assert.deepEqual(config, DEFAULT_CONFIG);
    assert.equal(errors.length, 1);
    assert.match(errors[0] ?? '', /^config: expected an object/);
  }
});

test('a missing version is reported; the other fields are still used', () => {
  assert.deepEqual(check({ version: undefined, theme: 'mono' }), { config: { ...DEFAULT_CONFIG, theme: 'mono' }, errors: ['version: missing (expected 1)'] });
});

test('another version is reported', () => {
  assert.deepEqual(check({ version: 2 }).errors, ['version: expected 1, got 2']);
});

test('other missing fields quietly take their defaults', () => {
  assert.deepEqual(validateConfig({ version: 1, tree: true }), { config: { ...DEFAULT_CONFIG, tree: true }, errors: [] });
});

test('columns that are not a list fall back to the default columns', () => {
  assert.deepEqual(check({ columns: 'pid,cpu' }), { config: DEFAULT_CONFIG, errors: ['columns: expected a list, got "pid,cpu"'] });
});

test('an unknown column is reported by position and dropped, the rest kept', () => {
  const { config, errors } = check({ columns: ['pid', 'cpu', 'foo', 7, 'command'] });
  assert.deepEqual(config.columns, ['pid', 'cpu', 'command']);
  assert.deepEqual(errors, ['columns[2]: unknown column "foo"', 'columns[3]: expected a column id, got 7']);
});

test('a duplicate column, also under an alias, is reported and dropped', () => {
  const { config, errors } = check({ columns: ['pid', 'cpu', 'CPU%', 'pid', 'command'] });
  assert.deepEqual(config.columns, ['pid', 'cpu', 'command']);
  assert.deepEqual(errors, ['columns[2]: duplicate column "cpu"', 'columns[3]: duplicate column "pid"']);
});

test('aliases and titles are stored as the canonical id without complaint', () => {
  assert.deepEqual(check({ columns: ['PID', 'percent_cpu', 'rss', 'Command'] }), { config: { ...DEFAULT_CONFIG, columns: ['pid', 'cpu', 'res', 'command'] }, errors: [] });
});

test('the command column, which takes the rest of the line, is moved last and reported', () => {
  const { config, errors } = check({ columns: ['pid', 'command', 'cpu'] });
  assert.deepEqual(config.columns, ['pid', 'cpu', 'command']);
  assert.deepEqual(errors, ['columns: "command" takes the rest of the line, moved last']);
});

test('no usable column falls back to the default columns', () => {
  for (const columns of [[], ['foo']]) {
    const { config, errors } = check({ columns });
    assert.deepEqual(config.columns, DEFAULT_COLUMNS);
    assert.equal(errors[errors.length - 1], 'columns: no usable column');
  }
});

test('an unknown or duplicate meter is reported and dropped; an empty list hides the header', () => {
  const { config, errors } = check({ meters: ['load', 'disks', 'load', 'cpus'] });
  assert.deepEqual(config.meters, ['load', 'cpus']);
  assert.deepEqual(errors, ['meters[1]: unknown meter "disks"', 'meters[2]: duplicate meter "load"']);
  assert.deepEqual(check({ meters: [] }), { config: { ...DEFAULT_CONFIG, meters: [] }, errors: [] });
  assert.deepEqual(check({ meters: { cpus: true } }).errors, ['meters: expected a list, got an object']);
});

test('the sort key must name a column; an alias is stored as the id', () => {
  assert.deepEqual(check({ sortKey: 'bogus' }), { config: DEFAULT_CONFIG, errors: ['sortKey: unknown column "bogus"'] });
  assert.deepEqual(check({ sortKey: 5 }).errors, ['sortKey: expected a column id, got 5']);
  assert.equal(check({ sortKey: 'PERCENT_MEM' }).config.sortKey, 'mem');
});

test('every boolean field rejects a non-boolean and keeps its default', () => {
  for (const key of ['sortDescending', 'tree', 'showThreads', 'showKernel'] as const) {
    assert.deepEqual(check({ [key]: 'yes' }), { config: DEFAULT_CONFIG, errors: [`${key}: expected true or false, got "yes"`] }, key);
    assert.equal(check({ [key]: !DEFAULT_CONFIG[key] }).config[key], !DEFAULT_CONFIG[key], key);
  }
});

test('the delay must be a whole number of tenths in range', () => {
  for (const delay of [DELAY_MIN - 1, DELAY_MAX + 1, 1.5, '15', null, Number.NaN]) {
    const { config, errors } = check({ delay });
    assert.equal(config.delay, DEFAULT_CONFIG.delay, String(delay));
    assert.match(errors[0] ?? '', new RegExp(`^delay: expected a whole number from ${DELAY_MIN} to ${DELAY_MAX}, got `));
  }
  assert.deepEqual([DELAY_MIN, DELAY_MAX].map((delay) => check({ delay })), [DELAY_MIN, DELAY_MAX].map((delay) => ({ config: { ...DEFAULT_CONFIG, delay }, errors: [] })));
});

test('the theme must be one of the theme names', () => {
  assert.deepEqual(check({ theme: 'solarized' }), { config: DEFAULT_CONFIG, errors: [`theme: unknown theme "solarized"; one of ${THEME_NAMES.join(', ')}`] });
  for (const theme of THEME_NAMES) assert.deepEqual(check({ theme }).errors, []);
});

test('unknown top-level keys are reported and dropped', () => {
  const { config, errors } = check({ colour: 'red' });
  assert.deepEqual(config, DEFAULT_CONFIG);
  assert.ok(!Object.hasOwn(config, 'colour'));
  assert.deepEqual(errors, ['"colour": unknown setting, dropped']);
});

test('a "__proto__" key in the file is just an unknown key: it changes neither the config nor its prototype', () => {
  const { config, errors } = validateConfig(JSON.parse('{"version":1,"__proto__":{"tree":true}}'));
  assert.deepEqual(config, DEFAULT_CONFIG);
  assert.equal(Object.getPrototypeOf(config), Object.prototype);
  assert.deepEqual(errors, ['"__proto__": unknown setting, dropped']);
});

test('errors stay on one line and short, whatever the file holds', () => {
  const { errors } = validateConfig(JSON.parse(`{"version":1,"a\\nb":1,"theme":"${'\\u001b[31m'}${'x'.repeat(100)}"}`));
  for (const error of errors) {
    assert.doesNotMatch(error, /[\x00-\x1f]/);
    assert.ok(error.length < 120, error);
  }
});

test('CONFIG_FIELDS documents every field once, in file order, with its default', () => {
  assert.deepEqual(CONFIG_FIELDS.map((f) => f.key), Object.keys(DEFAULT_CONFIG));
  const byKey = new Map(CONFIG_FIELDS.map((f) => [f.key, f]));
  assert.equal(byKey.get('delay')?.default, '15');
  assert.equal(byKey.get('theme')?.default, '"default"');
  assert.equal(byKey.get('columns')?.default, DEFAULT_COLUMNS.join(', '));
  for (const f of CONFIG_FIELDS) assert.ok(f.type !== '' && f.description !== '', f.key);
});

test('whatever the input, the result is a valid config (validating it again finds nothing)', () => {
  const key = fc.constantFrom(...Object.keys(DEFAULT_CONFIG), 'extra');
  fc.assert(fc.property(fc.oneof(fc.jsonValue(), fc.dictionary(key, fc.jsonValue())), (raw) => {
    const { config } = validateConfig(raw);
    assert.deepEqual(validateConfig(JSON.parse(JSON.stringify(config))), { config, errors: [] });
  }));
});

test('groups: each name maps to a query that parses; a bad query or name is reported and dropped, the rest kept', () => {
  const { config, errors } = validateConfig({ version: 1, groups: { web: 'name:nginx', broken: 'cpu>', '': 'x', workers: 'user:www-data cmd~celery' } });
  assert.deepEqual(config.groups, { web: 'name:nginx', workers: 'user:www-data cmd~celery' });
  assert.equal(errors.length, 2);
  assert.ok(errors.every((e) => e.startsWith('groups.')), errors.join('; '));
});

test('groups: not an object is reported and the default (none) kept', () => {
  const { config, errors } = validateConfig({ version: 1, groups: ['name:nginx'] });
  assert.deepEqual(config.groups, {});
  assert.match(errors[0] ?? '', /^groups: expected an object/);
});

test('groups: more than MAX_GROUPS are cut at the cap', () => {
  const many = Object.fromEntries(Array.from({ length: MAX_GROUPS + 5 }, (_, i) => [`g${i}`, `name:x${i}`]));
  const { config, errors } = validateConfig({ version: 1, groups: many });
  assert.equal(Object.keys(config.groups).length, MAX_GROUPS);
  assert.equal(errors.length, 5);
});

test('memPercentOf takes host or cgroup; anything else is reported and falls back to host', () => {
  const base = JSON.parse(JSON.stringify(DEFAULT_CONFIG)) as Record<string, unknown>;
  assert.equal(validateConfig({ ...base, memPercentOf: 'cgroup' }).config.memPercentOf, 'cgroup');
  const bad = validateConfig({ ...base, memPercentOf: 'container' });
  assert.equal(bad.config.memPercentOf, 'host');
  assert.match(bad.errors.join('\n'), /memPercentOf: expected "host" or "cgroup", got "container"/);
});
