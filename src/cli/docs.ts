/**
 * The manual page, the README key table and (re-exported) the completion
 * scripts, all generated from the tables the program itself runs on: OPTIONS,
 * KEYMAP, COLUMNS, QUERY_HELP and CONFIG_FIELDS. Pure: no file system.
 */
import { CONFIG_FIELDS } from '../config/schema';
import { COLUMNS } from '../model/columns';
import { QUERY_HELP } from '../model/query';
import { KeyBinding, KeyContext, keyLabel, KEYMAP } from '../view/keymap';
import { flagParts, visibleOptions } from './completion';
import { OPTIONS, OptionSpec } from './options';
import { RECORD_OPTIONS } from './record';
import { SERVE_OPTIONS } from './serve-options';

export { completion, COMPLETION_SHELLS, CompletionShell } from './completion';

/** Section titles of the key contexts; a new context without a title is a compile error. */
const CONTEXT_TITLES: { readonly [K in KeyContext]: string } = {
  table: 'Process table',
  prompt: 'Search and filter prompt (F3, F4)',
  menu: 'Menus (sort, user, signal, cgroup)',
  confirm: 'Signal and cgroup confirmation',
  'confirm-text': 'Typed confirmation (a cgroup that holds proctop or PID 1: its path)',
  help: 'Help screen (F1)',
  zombies: 'Zombie view (z)',
  cgroups: 'Cgroup view (v)',
  setup: 'Setup screen (F2)',
  details: 'Details panel (Enter)',
  environ: 'Environment view (e)',
};

/**
 * Text for a roff text line: backslashes as `\e`, hyphens as `\-` (so
 * options copy and paste as ASCII), non-ASCII as `\[uXXXX]`, and `\&` before a
 * leading `.` or `'`, which would otherwise start a request.
 */
export function roffEscape(text: string): string {
  const escaped = [...text].map((ch) => {
    if (ch === '\\') return '\\e';
    if (ch === '-') return '\\-';
    const code = ch.codePointAt(0) ?? 0;
    return code < 0x80 ? ch : `\\[u${code.toString(16).toUpperCase().padStart(4, '0')}]`;
  }).join('');
  return /^[.']/.test(escaped) ? `\\&${escaped}` : escaped;
}

const bold = (text: string): string => `\\fB${roffEscape(text)}\\fR`;
const italic = (text: string): string => `\\fI${roffEscape(text)}\\fR`;

/** A tagged paragraph: `.TP`, the tag line, the body line. */
function item(tag: string, body: string): string[] {
  return ['.TP', tag, body];
}

function optionTag(flags: string): string {
  const { short, long, value } = flagParts(flags);
  const names = [short, long].filter((f): f is string => f !== undefined).map(bold).join(', ');
  return value === undefined ? names : `${names} ${italic(value)}`;
}

/** The default as the reader meets it: a switch is `on`/`off` (is the flag in effect?), a value as given. */
function optionDefault(spec: OptionSpec): string | undefined {
  const value = spec.defaultValue;
  if (value === undefined) return undefined;
  if (spec.defaultLabel !== undefined) return spec.defaultLabel;
  if (typeof value === 'boolean') return (/(^|\s)--no-/.test(spec.flags) ? !value : value) ? 'on' : 'off';
  return String(value);
}

/** Lets a long comma list (the default columns) break after its commas instead of being hyphenated. */
const breakable = (roff: string): string => roff.replace(/,/g, ',\\:');

function optionsSection(): string[] {
  const lines = ['.SH OPTIONS'];
  for (const spec of visibleOptions()) {
    const fallback = optionDefault(spec);
    const env = spec.env === undefined ? '' : ` Environment: ${bold(spec.env)}.`;
    lines.push(...item(optionTag(spec.flags), `${roffEscape(spec.description)}.${fallback === undefined ? '' : ` Default: ${breakable(bold(fallback))}.`}${env}`));
  }
  lines.push(...item(optionTag('-h, --help'), 'show the options and exit.'));
  lines.push(...item(optionTag('-V, --version'), 'print the version and exit.'));
  return lines;
}

/** The contexts in KEYMAP order, each with its bindings. */
function bindingsByContext(): [KeyContext, KeyBinding[]][] {
  const groups = new Map<KeyContext, KeyBinding[]>();
  for (const b of KEYMAP) groups.set(b.context, [...(groups.get(b.context) ?? []), b]);
  return [...groups];
}

function keysSection(): string[] {
  const lines = ['.SH KEYS', 'Function keys and letters follow',
    `${bold('htop')}(1). Keys not listed in a prompt or menu are typed text.`];
  for (const [context, bindings] of bindingsByContext()) {
    lines.push(`.SS ${roffEscape(CONTEXT_TITLES[context])}`);
    for (const b of bindings) lines.push(...item(b.keys.map((k) => bold(keyLabel(k))).join(', '), roffEscape(b.help)));
  }
  return lines;
}

function columnsSection(): string[] {
  const lines = ['.SH COLUMNS', `Column ids for ${bold('--sort-key')} and ${bold('--columns')}, with their titles.`,
    'Ids are case-insensitive; titles and htop\'s sort-key names are accepted too.'];
  for (const c of COLUMNS) lines.push(...item(`${bold(c.id)} (${roffEscape(c.title)})`, roffEscape(c.description)));
  return lines;
}

function querySection(): string[] {
  const lines = ['.SH QUERY LANGUAGE',
    `The query of ${bold('--filter')} and of the F4 bar is a list of terms, for example`,
    `${bold("proctop -F 'state:D,T user:root or cpu>50'")}.`,
    'A bad query is reported with the position of the character at fault.'];
  for (const row of QUERY_HELP) lines.push(...item(bold(row.syntax), roffEscape(row.meaning)));
  return lines;
}

function filesSection(): string[] {
  const lines = ['.SH FILES', '.TP', bold('$XDG_CONFIG_HOME/proctop/config.json'),
    `Settings, a JSON object (default location ${bold('~/.config/proctop/config.json')}).`,
    'The setup screen (F2) saves it as you change it; options given on the command line override it for one run.',
    'A bad field is reported on start-up and replaced by its default. Fields:',
    '.RS'];
  for (const f of CONFIG_FIELDS) lines.push(...item(`${bold(f.key)} (${italic(f.type)}; default ${roffEscape(f.default)})`, roffEscape(f.description)));
  lines.push('.RE', '.TP', bold('$XDG_STATE_HOME/proctop/actions.log'),
    'Every signal, renice, tool and cgroup action proctop sends, one JSON line per target process (time, action, signal, pid,',
    'start time, command, outcome) saying who acted: the effective uid and user name, and sudoUser and sudoUid when run',
    `through sudo as another user. Default location ${bold('~/.local/state/proctop/actions.log')} of the effective user; through sudo the`,
    `effective user's home from the passwd file, never the caller's ${bold('HOME')} or ${bold('XDG_STATE_HOME')} (which sudo -E keeps).`);
  return lines;
}

function environmentSection(): string[] {
  const procRoot = OPTIONS.find((o) => o.env === 'PROCTOP_PROC_ROOT')?.defaultValue ?? '/proc';
  return ['.SH ENVIRONMENT',
    ...item(bold('NO_COLOR'), `When set to a non-empty value, no colours, as ${bold('--no-color')}.`),
    ...item(bold('XDG_CONFIG_HOME'), `Directory of the settings file; ignored unless absolute (default ${bold('~/.config')}).`),
    ...item(bold('XDG_STATE_HOME'), `Directory of the action log; ignored unless absolute, and ignored through sudo as another user (default ${bold('~/.local/state')}).`),
    ...item(bold('PROCTOP_PROC_ROOT'), `Where procfs is read (default ${bold(String(procRoot))}); for tests against recorded trees.`)];
}

function exitSection(): string[] {
  return ['.SH EXIT STATUS',
    ...item(bold('0'), 'Success.'),
    ...item(bold('1'), 'proctop failed unexpectedly (a crash).'),
    ...item(bold('2'), 'Bad usage: an unknown option, a bad value, an unknown user, or no terminal for the interactive monitor.')];
}

/** A subcommand's flags from its own option table, as the main OPTIONS are shown. */
function subcommandFlags(specs: readonly { readonly flags: string; readonly description: string; readonly defaultValue?: string | number; readonly hidden?: boolean }[]): string[] {
  const lines: string[] = [];
  for (const spec of specs) {
    if (spec.hidden) continue;
    const [flag = spec.flags, ...rest] = spec.flags.split(' ');
    const tag = `${bold(flag)}${rest.length > 0 ? ` ${italic(rest.join(' ').replace(/[<>]/g, ''))}` : ''}`;
    lines.push(...item(tag, `${roffEscape(spec.description)}.${spec.defaultValue === undefined ? '' : ` Default: ${bold(String(spec.defaultValue))}.`}`));
  }
  return lines;
}

/** `proctop record` and `proctop serve`: what they do and their flags (from RECORD_OPTIONS and SERVE_OPTIONS). */
function subcommandsSection(): string[] {
  return ['.SH RECORD',
    `${bold('proctop record')} [${italic('options')}] takes a snapshot every interval and appends it to a store of segment files`,
    `(directory 0700, files 0600), in the foreground, for a systemd unit. It prints nothing but errors; ${bold('SIGTERM')} or`,
    `${bold('SIGINT')} finish the frame being taken and exit 0. ${bold('proctop --once --replay')} ${italic('dir')} and`,
    `${bold('proctop dump --replay')} ${italic('dir')} read the store.`,
    ...subcommandFlags(RECORD_OPTIONS),
    '.SH SERVE',
    `${bold('proctop serve')} [${italic('options')}] serves process metrics for Prometheus at ${bold('/metrics')} (text format 0.0.4,`,
    `or OpenMetrics 1.0 when the Accept header asks for it): process and thread states, forks, zombies by parent, processes`,
    `stuck in D, orphans, pressure stalls, and named groups (the settings file's ${bold('groups')}) under process-exporter's`,
    'metric names. It listens on loopback unless another address is given. It is read-only: GET and HEAD only, no request',
    'body, a bounded request head, header and idle timeouts, and a connection cap that closes the oldest idle connection.',
    `${bold('proctop --once --format openmetrics')} prints the same metrics once.`,
    ...subcommandFlags(SERVE_OPTIONS)];
}

/** The manual page proctop(1), in roff (man macros). */
export function manPage(version: string): string {
  const lines = [
    `.TH PROCTOP 1 "" "proctop ${roffEscape(version).replace(/"/g, '')}" "User Commands"`,
    // No hyphenation (it would split flags and ids), ragged right (no stretched spaces).
    '.nh',
    '.ad l',
    '.SH NAME',
    'proctop \\- a terminal process monitor for Linux',
    '.SH SYNOPSIS',
    `${bold('proctop')} [${italic('options')}]`,
    '.br',
    `${bold('proctop completion')} ${bold('bash')}|${bold('zsh')}`,
    '.br',
    `${bold('proctop record')} [${italic('options')}]`,
    '.br',
    `${bold('proctop serve')} [${italic('options')}]`,
    '.SH DESCRIPTION',
    `${bold('proctop')} shows CPU, memory, load and process states above a process list or tree, as`,
    `${bold('htop')}(1) does, and sends signals to processes, process groups, sessions, subtrees or tagged processes.`,
    `With ${bold('--once')} it prints one snapshot (or, with ${bold('--json')}, one JSON object) and exits;`,
    'CPU% needs two readings, so it scans twice, the refresh interval apart.',
    '.PP',
    `${bold('proctop completion bash')} and ${bold('proctop completion zsh')} print a completion script, for example`,
    `${bold('source <(proctop completion bash)')}.`,
    ...optionsSection(),
    ...keysSection(),
    ...columnsSection(),
    ...querySection(),
    ...subcommandsSection(),
    ...filesSection(),
    ...environmentSection(),
    ...exitSection(),
    '.SH SEE ALSO',
    `${bold('htop')}(1), ${bold('ps')}(1), ${bold('pstree')}(1), ${bold('kill')}(1)`,
  ];
  return `${lines.join('\n')}\n`;
}

// In a code span a backslash is literal; a pipe still needs one, or it ends the cell.
const mdCode = (text: string): string => `\`${text.replace(/\|/g, '\\|')}\``;
const mdCell = (text: string): string => text.replace(/([\\|`*_])/g, '\\$1');

/** The README's key table (the process table's bindings): `| keys | what |`. */
export function keyTableMarkdown(): string {
  const rows = KEYMAP.filter((b) => b.context === 'table')
    .map((b) => `| ${b.keys.map((k) => mdCode(keyLabel(k))).join(' ')} | ${mdCell(b.help)} |`);
  return ['| keys | what |', '|---|---|', ...rows].join('\n');
}

/** The README's options table, from OPTIONS (what --help and the man page show): `| option | meaning |`. */
export function optionsTableMarkdown(): string {
  const rows = visibleOptions().map((spec) => {
    const fallback = optionDefault(spec);
    const env = spec.env === undefined ? '' : ` (environment: ${mdCode(spec.env)})`;
    return `| ${mdCode(spec.flags)} | ${mdCell(spec.description)}${fallback === undefined ? '' : ` (default: ${mdCode(fallback)})`}${env} |`;
  });
  return ['| option | meaning |', '|---|---|', ...rows].join('\n');
}

/** The README's settings-file table, from CONFIG_FIELDS (what the config check enforces): `| key | type | default | meaning |`. */
export function configTableMarkdown(): string {
  const rows = CONFIG_FIELDS.map((f) => `| ${mdCode(f.key)} | ${mdCell(f.type)} | ${mdCode(f.default)} | ${mdCell(f.description)} |`);
  return ['| key | type | default | meaning |', '|---|---|---|---|', ...rows].join('\n');
}

/**
 * What each folder under src/ owns, for the README's Layout section; a test
 * checks that every folder under src/ has a row and no row names a missing one.
 */
export const LAYOUT: readonly (readonly [string, string])[] = [
  ['src/cli.ts', 'entry point: sub-commands (record, dump, serve, completion) or the monitor'],
  ['src/cli/', 'commander fed from the OPTIONS table, --once and dump printers wiring, docs and completion generated from the tables'],
  ['src/base/', 'shapes every layer shares: Result, the one error-as-value type (a value, or why not); Node modules loaded on first use'],
  ['src/kernel/', 'facts the kernel defines (state letters, memory, cgroup and details records), shared by procfs/ and model/'],
  ['src/procfs/parse/', 'one pure parser per /proc or cgroup file (text → record or error value)'],
  ['src/procfs/', 'the file-system readers: tolerant reads of /proc and cgroupfs through one reused buffer'],
  ['src/sampler/', 'scans on demand, CPU% from deltas keyed by pid + start time, identity caches, cgroups; the portable fallback'],
  ['src/model/', 'snapshot types, tree (iterative, cycle-safe), the column table, query language, sort, formats, settings'],
  ['src/view/', 'pure view model: UiState, reduce → effects, buildView, meters and key tables, text sanitizer + display width'],
  ['src/loop/', "the monitor's one loop: source ticks, keys → reduce → effects → paint, all I/O handed in"],
  ['src/ui/', 'the terminal: blessed (screen, key decoding, mouse hit-testing, paint), the first paint before it, themes'],
  ['src/actions/', 'the only code that changes the system: signals, renice, tool hand-off, the action log'],
  ['src/output/', '--once and dump printers (table, tree, JSON, CSV)'],
  ['src/config/', 'the settings file: schema check, atomic store; the exporter\'s web config'],
  ['src/history/', 'proctop record: frame codec, append-only segments, retention, store reader, the rewind ring'],
  ['src/serve/', 'proctop serve: metric families over the sampler, OpenMetrics text, the loopback HTTP server'],
  ['bin/', 'the launcher (sh: malloc variables and V8 flags set before Node starts), the Node entry, the bundle loader with its code cache'],
  ['scripts/', 'build: esbuild bundles (dist/bundle/: the CLI, serve\'s and record\'s own, systeminformation\'s), blessed\'s run-time files made bundle-safe, the code cache under the launcher\'s flags, the build stamp, the single file'],
  ['bench/', 'npm run bench: scan cost, TUI latency, store encoding, soak'],
  ['test/', 'unit/ (mirrors src/), integration/ (live /proc), e2e/ (the real binary in tmux), fixtures/, helpers/'],
];

/** The README's Layout section body: a code block, one folder a line. */
export function layoutMarkdown(): string {
  const width = Math.max(...LAYOUT.map(([p]) => p.length)) + 1;
  return ['```', ...LAYOUT.map(([p, what]) => `${p.padEnd(width)} ${what}`), '```'].join('\n');
}
