/**
 * The man page, completion scripts and README key table are generated from
 * OPTIONS, KEYMAP, COLUMNS, QUERY_HELP and CONFIG_FIELDS; these tests check
 * that nothing is left out and that the committed copies are current.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync, SpawnSyncReturns } from 'node:child_process';
import { flagParts, visibleOptions } from '../../../src/cli/completion';
import { RECORD_OPTIONS } from '../../../src/cli/record';
import { SERVE_OPTIONS } from '../../../src/cli/serve-options';
import { completion, configTableMarkdown, keyTableMarkdown, LAYOUT, layoutMarkdown, manPage, optionsTableMarkdown, roffEscape } from '../../../src/cli/docs';
import { CONFIG_FIELDS } from '../../../src/config/schema';
import { OPTIONS } from '../../../src/cli/options';
import { COLUMNS } from '../../../src/model/columns';
import { QUERY_HELP } from '../../../src/model/query';
import { keyLabel, KEYMAP } from '../../../src/view/keymap';
import { REPO_ROOT } from '../procfs/fixtures';

const VERSION = (JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
const MAN = manPage(VERSION);
const MAN_FILE = path.join(REPO_ROOT, 'man', 'proctop.1');
const BIN = path.join(REPO_ROOT, 'bin', 'proctop');
const REGENERATE = `node -e "process.stdout.write(require('./dist/src/cli/docs.js').manPage(require('./package.json').version))" > man/proctop.1`;

/** The roff source of one `.SH` section (up to the next `.SH`). */
function section(name: string): string {
  const start = MAN.indexOf(`\n.SH ${name}\n`);
  assert.ok(start >= 0, `no section ${name}`);
  const end = MAN.indexOf('\n.SH ', start + 1);
  return MAN.slice(start, end < 0 ? undefined : end);
}

function run(command: string, args: readonly string[], input?: string, env: NodeJS.ProcessEnv = process.env): SpawnSyncReturns<string> {
  return spawnSync(command, args, { encoding: 'utf8', input, env, cwd: REPO_ROOT, timeout: 60_000 });
}

function has(command: string): boolean {
  return run('sh', ['-c', `command -v ${command}`]).status === 0;
}

const visible = OPTIONS.filter((o) => o.hidden !== true);

test('every key of every context appears, rendered, in that context\'s KEYS subsection', () => {
  const keys = section('KEYS');
  const subsections = keys.split('\n.SS ').slice(1);
  const contexts = [...new Set(KEYMAP.map((b) => b.context))];
  assert.equal(subsections.length, contexts.length);
  contexts.forEach((context, i) => {
    const body = subsections[i] ?? '';
    for (const b of KEYMAP.filter((k) => k.context === context)) {
      for (const key of b.keys) assert.ok(body.includes(`\\fB${roffEscape(keyLabel(key))}\\fR`), `${context}: key ${key} (${keyLabel(key)})`);
      assert.ok(body.includes(roffEscape(b.help)), `${context}: ${b.help}`);
    }
  });
});

test('keys are rendered as people write them', () => {
  assert.deepEqual(['f1', 'f10', 'M-j', 'C-c', 'S-tab', 'space', 'enter', 'escape', 'pageup', 'q', '?', '\\'].map(keyLabel),
    ['F1', 'F10', 'Alt-j', 'Ctrl-c', 'Shift-Tab', 'Space', 'Enter', 'Esc', 'PgUp', 'q', '?', '\\']);
});

test('every visible option is in the man page with its default, and no hidden one is', () => {
  const options = section('OPTIONS');
  for (const o of visible) {
    const { short, long } = flagParts(o.flags);
    assert.ok(options.includes(`\\fB${roffEscape(long)}\\fR`), long);
    if (short !== undefined) assert.ok(options.includes(`\\fB${roffEscape(short)}\\fR`), short);
    const shown = o.defaultLabel ?? (typeof o.defaultValue === 'number' ? String(o.defaultValue) : undefined);
    if (shown !== undefined) assert.ok(options.includes(`Default: \\fB${shown}\\fR`), `${long} default`);
  }
  for (const o of OPTIONS.filter((spec) => spec.hidden === true)) assert.ok(!MAN.includes(roffEscape(flagParts(o.flags).long)), o.flags);
});

test('every visible option\'s long flag is in --help, and no hidden one is', () => {
  const r = run(BIN, ['--help']);
  assert.equal(r.status, 0, r.stderr);
  for (const o of visible) assert.ok(r.stdout.includes(flagParts(o.flags).long), o.flags);
  for (const o of OPTIONS.filter((spec) => spec.hidden === true)) assert.ok(!r.stdout.includes(flagParts(o.flags).long), o.flags);
});

test('every column id and every query term is in the man page', () => {
  const columns = section('COLUMNS');
  for (const c of COLUMNS) assert.ok(columns.includes(`\\fB${roffEscape(c.id)}\\fR (${roffEscape(c.title)})`), c.id);
  const query = section('QUERY LANGUAGE');
  for (const row of QUERY_HELP) assert.ok(query.includes(roffEscape(row.syntax)), row.syntax);
});

test('the man page has every section, and no text line that roff would take for a request', () => {
  for (const name of ['NAME', 'SYNOPSIS', 'DESCRIPTION', 'OPTIONS', 'KEYS', 'COLUMNS', 'QUERY LANGUAGE', 'FILES', 'ENVIRONMENT', 'EXIT STATUS', 'SEE ALSO']) section(name);
  for (const line of MAN.split('\n')) {
    if (/^[.']/.test(line)) assert.match(line, /^\.(TH|SH|SS|TP|PP|RS|RE|br|nh|ad l)( |$)/, line);
    assert.doesNotMatch(line, /[^\x20-\x7e]/, `non-ASCII left unescaped: ${line}`);
  }
  for (const word of ['$XDG_STATE_HOME/proctop/actions.log', 'NO_COLOR', 'XDG_CONFIG_HOME', 'PROCTOP_PROC_ROOT', 'htop', 'pstree']) assert.ok(MAN.includes(word), word);
});

test('roffEscape: leading dot and quote, backslashes, hyphens, non-ASCII', () => {
  assert.equal(roffEscape('.x'), '\\&.x');
  assert.equal(roffEscape("'x"), "\\&'x");
  assert.equal(roffEscape('a.b'), 'a.b');
  assert.equal(roffEscape('a\\b'), 'a\\eb');
  assert.equal(roffEscape('--tree'), '\\-\\-tree');
  assert.equal(roffEscape('… ×'), '\\[u2026] \\[u00D7]');
});

test('man/proctop.1 is the generated man page', () => {
  const committed = fs.existsSync(MAN_FILE) ? fs.readFileSync(MAN_FILE, 'utf8') : '';
  assert.ok(committed === MAN, `man/proctop.1 is out of date; regenerate it with:  npx tsc -p tsconfig.json && ${REGENERATE}`);
});

test('proctop --man prints the man page', () => {
  const r = run(BIN, ['--man']);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, MAN);
});

test('man renders the page without warnings', (t) => {
  if (!has('man')) return t.skip('no man');
  const r = run('sh', ['-c', 'man -l "$1" 2>&1', 'sh', MAN_FILE], undefined, { ...process.env, MANWIDTH: '80', MAN_KEEP_FORMATTING: '', PAGER: 'cat', MANPAGER: 'cat' });
  assert.equal(r.status, 0, r.stdout);
  assert.doesNotMatch(r.stdout, /warning/i);
  assert.match(r.stdout, /--sort-key/);
});

test('the bash completion script passes bash -n and completes options, values and the subcommand', (t) => {
  if (!has('bash')) return t.skip('no bash');
  const script = completion('bash');
  assert.equal(run('bash', ['-n'], script).status, 0);
  const complete = (words: string): string => {
    const list = words.split(' ');
    const probe = `${script}\nCOMP_WORDS=(${list.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${list.length - 1}; _proctop; printf '%s\\n' "\${COMPREPLY[@]}"`;
    const r = run('bash', ['--norc', '--noprofile'], probe);
    assert.equal(r.status, 0, r.stderr);
    return r.stdout.trim().split('\n').join(' ');
  };
  assert.equal(complete('proctop --sort-key c'), 'cpu cgroup container command');
  assert.equal(complete('proctop -s m'), 'mem');
  assert.equal(complete('proctop --columns pid,c'), 'pid,cpu pid,cgroup pid,container pid,command');
  assert.equal(complete('proctop --theme l'), 'light');
  assert.equal(complete('proctop --sampler = p'), 'portable');
  assert.deepEqual(complete('proctop --th').split(' ').sort(), ['--theme', '--threads']);
  assert.equal(complete('proctop com'), 'completion');
  assert.equal(complete('proctop completion '), 'bash zsh');
  assert.ok(complete('proctop -u roo').split(' ').includes('root'));
  assert.equal(complete('proctop --delay '), '');
  assert.ok(complete('proctop -p 1').split(' ').includes('1'));
  assert.ok(!complete('proctop --').includes('--proc-root'));
});

test('the zsh completion script passes zsh -n', (t) => {
  if (!has('zsh')) return t.skip('no zsh');
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'proctop-zsh-')), '_proctop');
  try {
    fs.writeFileSync(file, completion('zsh'));
    const r = run('zsh', ['-n', file]);
    assert.equal(r.status, 0, r.stderr);
  } finally {
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
  }
});

test('proctop completion bash|zsh prints the script; anything else is one line on stderr and status 2', () => {
  for (const shell of ['bash', 'zsh'] as const) {
    const r = run(BIN, ['completion', shell]);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, completion(shell));
  }
  for (const args of [['fish'], [], ['bash', 'extra']]) {
    const r = run(BIN, ['completion', ...args]);
    assert.equal(r.status, 2, args.join(' '));
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /^proctop: completion: [^\n]*\n$/);
  }
});

/** The README text between `<!-- name:begin -->` and `<!-- name:end -->`. */
function readmeSection(name: string): string | undefined {
  const readme = fs.readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
  return new RegExp(`<!-- ${name}:begin -->\\n([\\s\\S]*?)\\n<!-- ${name}:end -->`).exec(readme)?.[1];
}

const README_TABLES: readonly (readonly [string, string, () => string])[] = [
  ['keys', 'keyTableMarkdown', keyTableMarkdown],
  ['options', 'optionsTableMarkdown', optionsTableMarkdown],
  ['config', 'configTableMarkdown', configTableMarkdown],
  ['layout', 'layoutMarkdown', layoutMarkdown],
];

for (const [name, fn, generate] of README_TABLES) {
  test(`README.md holds the generated ${name} section between its markers`, () => {
    assert.ok(readmeSection(name) === generate(), `README.md's ${name} section is out of date; paste ${fn}() from dist/src/cli/docs.js between <!-- ${name}:begin --> and <!-- ${name}:end -->`);
  });
}

test('the options table has a row for every visible option, the config table one for every settings key', () => {
  for (const o of visibleOptions()) assert.ok(optionsTableMarkdown().includes(`| \`${o.flags}\` |`), o.flags);
  for (const f of CONFIG_FIELDS) assert.ok(configTableMarkdown().includes(`| \`${f.key}\` |`), f.key);
});

test('the Layout section names every folder under src/, and only folders that exist', () => {
  const folders = (dir: string): string[] => fs.readdirSync(path.join(REPO_ROOT, dir), { withFileTypes: true })
    .filter((e) => e.isDirectory()).flatMap((e) => [`${dir}${e.name}/`, ...folders(`${dir}${e.name}/`)]);
  const named = LAYOUT.map(([p]) => p);
  for (const folder of folders('src/')) assert.ok(named.includes(folder), `${folder} is not in LAYOUT (src/cli/docs.ts)`);
  for (const p of named) assert.ok(fs.existsSync(path.join(REPO_ROOT, p)), `${p} is in LAYOUT but does not exist`);
});

test('the man page has proctop record and proctop serve with every visible flag of their own tables, and no hidden one', () => {
  assert.match(MAN, /^\.SH RECORD$/m);
  assert.match(MAN, /^\.SH SERVE$/m);
  for (const spec of [...RECORD_OPTIONS, ...SERVE_OPTIONS]) {
    const flag = roffEscape(spec.flags.split(' ')[0] ?? '');
    if ('hidden' in spec && spec.hidden) assert.ok(!MAN.includes(`\\fB${flag}\\fR`), `hidden ${spec.flags} in the man page`);
    else assert.ok(MAN.includes(`\\fB${flag}\\fR`), `${spec.flags} missing from the man page`);
  }
});
