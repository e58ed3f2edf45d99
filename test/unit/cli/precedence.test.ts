/**
 * What the interactive start-up (src/cli/interactive.ts) builds its command-line-over-config
 * precedence from, through the exported pieces: parseOptions' `explicit` set (a flag given,
 * even at its default value, beats the config file; a default does not) and initialState
 * (an explicit -s or -t drops the saved direction, so the column's own direction applies).
 * Also --no-color and NO_COLOR in the parsed options.
 *
 * Not reachable without changing src/: `pick` and `settingsSaver` are local to
 * runInteractive, which needs a terminal; the end-to-end config test covers them under tmux.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseOptions } from '../../../src/cli';
import { Options } from '../../../src/cli/options';
import { DEFAULT_COLUMNS } from '../../../src/model/columns';
import { initialState, InitialSettings } from '../../../src/view/ui-state';
import { startingSort } from '../../../src/cli/interactive';

/** Options the interactive start-up takes from the config file unless given for this run. */
const CONFIG_BACKED: readonly (keyof Options)[] = ['sortKey', 'tree', 'threads', 'columns', 'delay', 'theme', 'memPercentOf'];

/**
 * parseOptions with no PROCTOP_* variables in process.env (commander reads option variables
 * from process.env itself; parseOptions' env argument is only consulted for NO_COLOR).
 */
function parse(args: readonly string[], env: NodeJS.ProcessEnv = {}, optionEnv: Record<string, string> = {}): Options {
  const names = ['PROCTOP_PROC_ROOT', 'PROCTOP_PASSWD'];
  const saved = names.map((n) => process.env[n]);
  for (const n of names) delete process.env[n];
  Object.assign(process.env, optionEnv);
  try {
    return parseOptions(['node', 'proctop', ...args], env);
  } finally {
    names.forEach((n, i) => {
      const v = saved[i];
      if (v === undefined) delete process.env[n];
      else process.env[n] = v;
    });
  }
}

// --no-color and NO_COLOR

test('colour is on by default', () => {
  assert.equal(parse([]).color, true);
});

test('--no-color turns colour off and counts as given on the command line', () => {
  const o = parse(['--no-color']);
  assert.equal(o.color, false);
  assert.ok(o.explicit.has('color'));
});

test('NO_COLOR in the environment turns colour off like --no-color, whatever its value', () => {
  for (const value of ['1', 'yes', '0']) assert.equal(parse([], { NO_COLOR: value }).color, false, `NO_COLOR=${value}`);
  assert.equal(parse(['--no-color'], { NO_COLOR: '1' }).color, false);
  assert.equal(parse([], { TERM: 'xterm-256color' }).color, true, 'other variables leave colour on');
});

// The explicit set: what overrides the config file

test('with no flags, no config-backed option counts as given, so the config file decides', () => {
  const o = parse([]);
  assert.deepEqual(CONFIG_BACKED.filter((k) => o.explicit.has(k)), []);
  assert.equal(o.explicit.size, 0, [...o.explicit].join(', '));
});

const ONE_FLAG: readonly [readonly string[], keyof Options][] = [
  [['-s', 'pid'], 'sortKey'],
  [['--sort-key', 'mem'], 'sortKey'],
  [['-t'], 'tree'],
  [['--tree'], 'tree'],
  [['--threads'], 'threads'],
  [['--columns', 'pid,command'], 'columns'],
  [['-d', '30'], 'delay'],
  [['--theme', 'light'], 'theme'],
  [['--mem-percent-of', 'cgroup'], 'memPercentOf'],
  [['-u', 'root'], 'user'],
];

for (const [args, key] of ONE_FLAG) {
  test(`${args.join(' ')} counts as given for ${key} and for nothing else`, () => {
    assert.deepEqual([...parse(args).explicit], [key]);
  });
}

test('a flag given at its default value still counts as given (so -d 15 beats a saved delay of 3 s)', () => {
  for (const [args, key, value] of [[['-d', '15'], 'delay', 15], [['--theme', 'default'], 'theme', 'default'], [['--columns', DEFAULT_COLUMNS.join(',')], 'columns', DEFAULT_COLUMNS]] as const) {
    const o = parse(args);
    assert.ok(o.explicit.has(key), args.join(' '));
    assert.deepEqual(o[key], value, args.join(' '));
  }
});

test('an option set by its environment variable counts as given; the flag beats the variable', () => {
  const fromEnv = parse([], {}, { PROCTOP_PASSWD: '/tmp/fixture-passwd' });
  assert.equal(fromEnv.passwd, '/tmp/fixture-passwd');
  assert.deepEqual([...fromEnv.explicit], ['passwd']);
  assert.equal(parse(['--passwd', '/tmp/flag-passwd'], {}, { PROCTOP_PASSWD: '/tmp/fixture-passwd' }).passwd, '/tmp/flag-passwd');
});

// initialState: how the interactive start-up turns the picked values into a direction

const SETTINGS: InitialSettings = { tree: false, highlight: true, readonly: false, showThreads: false, columns: DEFAULT_COLUMNS, delay: 15, theme: 'default', meters: [] };

test('a saved direction is kept with the saved sort key', () => {
  assert.equal(initialState({ ...SETTINGS, sortKey: 'cpu', descending: false }).descending, false);
  assert.equal(initialState({ ...SETTINGS, sortKey: 'pid', descending: true }).descending, true);
});

test('with the direction left open (an explicit -s or -t), the sort key decides it: pid low first, cpu/mem/time high first', () => {
  const direction = (sortKey: string): boolean => initialState({ ...SETTINGS, sortKey }).descending;
  assert.deepEqual(['pid', 'user', 'cpu', 'mem', 'time', 'res'].map(direction), [false, false, true, true, true, true]);
});

test('with no sort key at all, the list sorts by CPU% high first and the tree by PID low first', () => {
  const list = initialState({ ...SETTINGS, tree: false });
  const tree = initialState({ ...SETTINGS, tree: true });
  assert.deepEqual([list.sortKey, list.descending], ['cpu', true]);
  assert.deepEqual([tree.sortKey, tree.descending], ['pid', false]);
});

test('initialState takes the picked delay, theme, columns, tree and threads as given', () => {
  const s = initialState({ ...SETTINGS, tree: true, showThreads: true, delay: 30, theme: 'mono', columns: ['pid', 'command'], showKernel: false });
  assert.deepEqual(
    { tree: s.tree, showThreads: s.showThreads, delay: s.delay, theme: s.theme, columns: s.columns, showKernel: s.showKernel },
    { tree: true, showThreads: true, delay: 30, theme: 'mono', columns: ['pid', 'command'], showKernel: false },
  );
});

// The sort the monitor opens with (startingSort → initialState)

const saved = { sortKey: 'mem', sortDescending: false };
const opening = (args: string[]): { sortKey: string; descending: boolean } => {
  const s = initialState({ ...startingSort(parseOptions(['node', 'proctop', ...args], {}), saved), tree: args.includes('-t'), columns: ['pid'], delay: 15, theme: 'default', meters: [], highlight: true, readonly: false, showThreads: false });
  return { sortKey: s.sortKey, descending: s.descending };
};

test('the monitor opens with the saved sort key and direction when no flag is given', () => {
  assert.deepEqual(opening([]), { sortKey: 'mem', descending: false });
});

test('-t without -s opens the tree sorted by PID, low first, as --once -t does', () => {
  assert.deepEqual(opening(['-t']), { sortKey: 'pid', descending: false });
});

test('-s opens sorted by that column in its own direction, with or without -t', () => {
  assert.deepEqual(opening(['-s', 'time']), { sortKey: 'time', descending: true });
  assert.deepEqual(opening(['-t', '-s', 'time']), { sortKey: 'time', descending: true });
});

test('-s stateage opens high first, as its column says (no list of its own in initialState)', () => {
  assert.deepEqual(opening(['-s', 'stateage']), { sortKey: 'stateage', descending: true });
});
