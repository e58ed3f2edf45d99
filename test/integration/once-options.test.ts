/**
 * `bin/proctop --once` against the recorded `basic` procfs tree (hidden --proc-root and
 * --passwd): -u by name and by uid, an unknown user, --version, --no-color, -t and -s. No
 * terminal and no live processes; each run is one Node start-up and two scans 0.1 s apart.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { execFile } from 'node:child_process';
import { commandCell, guideColumn, parseOnceTable, rightCell, rowPid, sortMark } from '../helpers/screen';
import { materialize, REPO_ROOT } from '../unit/procfs/fixtures';

const BIN = path.join(REPO_ROOT, 'bin', 'proctop');

/**
 * A copy of `basic` whose pid directories, as root, have the owners of its `owners` file
 * (the sampler takes a process's uid from the owner of /proc/PID; git keeps no owners).
 * Otherwise every directory is owned by whoever runs the tests.
 */
const basic = materialize('basic');
after(() => basic.cleanup());
const FIXTURE = ['--proc-root', basic.root, '--passwd', path.join(basic.root, 'passwd')];

/** Every pid of the fixture: its numeric directory names. */
const ALL_PIDS = fs.readdirSync(basic.root).filter((name) => /^\d+$/.test(name)).map(Number).sort((a, b) => a - b);

/** Pids whose /proc/PID directory (in the copy) is owned by uid: what -u must list. */
function ownedBy(uid: number): number[] {
  return ALL_PIDS.filter((pid) => fs.statSync(path.join(basic.root, String(pid))).uid === uid);
}

interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs bin/proctop to completion with its output on pipes. */
function proctop(args: readonly string[], envOver: NodeJS.ProcessEnv = {}): Promise<Run> {
  const env: NodeJS.ProcessEnv = { ...process.env, ...envOver };
  delete env.PROCTOP_PROC_ROOT;
  delete env.PROCTOP_PASSWD;
  return new Promise((resolve, reject) => {
    // The timeout only guards against a hang: a loaded host can take seconds to start node.
    execFile(BIN, [...args], { cwd: REPO_ROOT, env, timeout: 60_000, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err && typeof err.code !== 'number') {
        reject(new Error(`proctop ${args.join(' ')}: ${err.message}`, { cause: err }));
        return;
      }
      resolve({ status: err ? (err.code as number) : 0, stdout, stderr });
    });
  });
}

/** `--once` on the fixture (two scans 0.1 s apart); fails unless it exits 0 with nothing on stderr. */
async function once(...args: string[]): Promise<string> {
  const r = await proctop(['--once', '-d', '1', ...FIXTURE, ...args]);
  assert.equal(r.status, 0, `proctop --once ${args.join(' ')}: status ${String(r.status)}, stderr ${r.stderr}`);
  assert.equal(r.stderr, '', `stderr of proctop --once ${args.join(' ')}`);
  return r.stdout;
}

/** The pids of a --once table, top to bottom. */
function pidsOf(text: string): number[] {
  const { header, rows } = parseOnceTable(text);
  return rows.map((r) => {
    const pid = rowPid(header, r);
    assert.ok(pid !== undefined, `a pid in ${JSON.stringify(r)}`);
    return pid;
  });
}

/** Each row's USER cell. */
function usersOf(text: string): string[] {
  const { header, rows } = parseOnceTable(text);
  const at = header.indexOf('USER');
  assert.ok(at >= 0, `a USER column in ${JSON.stringify(header)}`);
  return rows.map((r) => /^(\S*)/.exec(r.slice(at))?.[1] ?? '');
}

const ascending = (pids: readonly number[]): number[] => [...pids].sort((a, b) => a - b);

// -u / --user

test('-u NAME lists exactly the processes owned by that name\'s uid in the given passwd file', async () => {
  // alice is uid 1000 in the fixture passwd. As root the copy gives her 1200, 1300, 1301 and 1400;
  // otherwise every directory belongs to the test user, and alice's list is whatever that makes it.
  const text = await once('-u', 'alice');
  assert.deepEqual(ascending(pidsOf(text)), ownedBy(1000), text);
  assert.ok(usersOf(text).every((u) => u === 'alice'), text);
});

test('-u UID (numeric) lists exactly the processes owned by that uid', async () => {
  // The owner of pid 1500: bob (1001) as root, the test user otherwise; never an empty list.
  const uid = fs.statSync(path.join(basic.root, '1500')).uid;
  const expected = ownedBy(uid);
  assert.ok(expected.includes(1500));
  const text = await once('--user', String(uid));
  assert.deepEqual(ascending(pidsOf(text)), expected, text);
});

test('-u with a uid that owns nothing prints only the header, status 0', async () => {
  const unused = [4243, 4244, 4245].find((uid) => ownedBy(uid).length === 0) as number;
  const text = await once('-u', String(unused));
  const { header, rows } = parseOnceTable(text);
  assert.match(header, /PID/);
  assert.deepEqual(rows, []);
});

test('-u picks each user\'s own processes out of a mixed tree (owners from the fixture)',
  { skip: !basic.owned && 'needs root: only root can give the pid directories the owners of the fixture (git keeps no owners)' },
  async () => {
    const [alice, bob, uid4242, root] = await Promise.all([once('-u', 'alice'), once('-u', 'bob'), once('-u', '4242'), once('-u', 'root')]);
    assert.deepEqual(ascending(pidsOf(alice)), [1200, 1300, 1301, 1400]);
    assert.deepEqual(ascending(pidsOf(bob)), [1500]);
    // No passwd entry: selected by uid, shown as the number.
    assert.deepEqual(ascending(pidsOf(uid4242)), [300]);
    assert.deepEqual(usersOf(uid4242), ['4242']);
    // root is uid 0; the later toor entry for uid 0 does not change the name shown.
    assert.deepEqual(ascending(pidsOf(root)), [1, 2, 14, 18, 36, 150, 151]);
    assert.ok(usersOf(root).every((u) => u === 'root'), root);
  });

for (const user of ['carol', 'nosuchuser']) {
  test(`-u ${user} (not in the passwd file): one line on stderr naming the user, exit 2, nothing on stdout`, async () => {
    // carol is a commented-out passwd line, which must not count.
    const r = await proctop(['--once', '-d', '1', ...FIXTURE, '-u', user]);
    assert.equal(r.status, 2, `status ${String(r.status)}, stderr ${r.stderr}`);
    assert.equal(r.stdout, '');
    assert.equal(r.stderr, `proctop: no such user: "${user}"\n`);
    assert.doesNotMatch(r.stderr, /\n\s+at |Error:/, 'no stack trace');
  });
}

// --version

test('--version and -V print one line, starting with the package.json version, and exit 0', async () => {
  const { version } = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };
  assert.match(version, /^\d+\.\d+\.\d+/);
  for (const flag of ['--version', '-V']) {
    const r = await proctop([flag]);
    assert.deepEqual({ ...r, stdout: r.stdout.split(' (')[0] }, { status: 0, stdout: `proctop ${version}`, stderr: '' }, flag);
    assert.match(r.stdout, /^[^\n]+\n$/, 'one line (the commit and the build: test/unit/cli/build-info.test.ts)');
  }
});

// --no-color

test('--once --no-color is accepted and prints the same table as without it, no escape sequences', async () => {
  // --once never colours a pipe; the flag must not change the output nor be refused there.
  const [plain, noColor, noColorEnv] = await Promise.all([
    once(),
    once('--no-color'),
    proctop(['--once', '-d', '1', ...FIXTURE], { NO_COLOR: '1' }),
  ]);
  assert.equal(noColor, plain);
  assert.deepEqual(noColorEnv, { status: 0, stdout: plain, stderr: '' });
  assert.doesNotMatch(noColor, /\x1b/);
  assert.equal(pidsOf(noColor).length, ALL_PIDS.length);
});

// -s / --sort-key and -t / --tree

test('-s pid lists the processes by pid, low first, and marks PID △', async () => {
  const text = await once('-s', 'pid');
  assert.deepEqual(pidsOf(text), ALL_PIDS);
  assert.equal(sortMark(parseOnceTable(text).header, 'PID'), '△');
});

test('-s time lists by TIME+ high first (ties by pid) and marks TIME+ ▽', async () => {
  const text = await once('--sort-key', 'time');
  // From the fixture's utime+stime: java 1h02, app 1:15, make 0:43, init 3.50 s, cc1 0.94 s,
  // ksoftirqd and bash 0.35 s each (pid order), kworker 0.07 s, migration 0.01 s, then the zeros.
  assert.deepEqual(pidsOf(text), [1500, 300, 1300, 1, 1301, 14, 1200, 36, 18, 2, 150, 151, 1400]);
  const { header } = parseOnceTable(text);
  assert.equal(sortMark(header, 'TIME+'), '▽');
  assert.equal(sortMark(header, 'PID'), '');
});

test('without -s the list is sorted by CPU% high first (CPU%▽)', async () => {
  const { header } = parseOnceTable(await once());
  assert.equal(sortMark(header, 'CPU%'), '▽');
});

test('-t prints the tree: each child under its parent with ├─/└─ guides, sorted by pid (PID△)', async () => {
  const [tree, list] = await Promise.all([once('-t'), once()]);
  const { header, rows } = parseOnceTable(tree);
  assert.equal(sortMark(header, 'PID'), '△');
  // init's children, bash's children under bash, then kthreadd's kernel threads.
  assert.deepEqual(pidsOf(tree), [1, 150, 151, 300, 1200, 1300, 1301, 1400, 1500, 2, 14, 18, 36]);
  const guide = (pid: number): number => guideColumn(header, rows[pidsOf(tree).indexOf(pid)] as string);
  assert.equal(guide(1), -1, 'a root has no guide');
  assert.equal(guide(2), -1, 'a root has no guide');
  assert.ok(guide(1200) >= 0 && guide(1300) > guide(1200) && guide(1301) > guide(1300), tree);
  assert.equal(guide(1400), guide(1300), 'siblings share a depth');
  assert.match(commandCell(header, rows[pidsOf(tree).indexOf(1500)] as string), /^└─ \/usr\/bin\/java/, 'the last child of init gets └─');
  assert.match(commandCell(header, rows[pidsOf(tree).indexOf(1301)] as string), /^│ {2}│ {2}└─ \[cc1\]$/, tree);
  // The list view of the same fixture has no guides.
  const plain = parseOnceTable(list);
  assert.ok(plain.rows.every((r) => guideColumn(plain.header, r) === -1), list);
});

test('-t -s time orders siblings by TIME+ high first inside the tree', async () => {
  const text = await once('-t', '-s', 'time');
  // init's children: java 1h02, app 1:15, bash 0.35 s, then the two agettys (0 s) by pid; under
  // bash, make 0:43 before vim 0 s; kthreadd's: ksoftirqd, kworker, migration.
  assert.deepEqual(pidsOf(text), [1, 1500, 300, 1200, 1300, 1301, 1400, 150, 151, 2, 14, 36, 18]);
  const { header, rows } = parseOnceTable(text);
  assert.equal(sortMark(header, 'TIME+'), '▽');
  assert.equal(rightCell(header, rows[1] as string, 'TIME+'), '1h02:00');
});
