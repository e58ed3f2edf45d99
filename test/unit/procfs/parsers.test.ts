import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { bytesField, commandBytes, commandText, parseCmdline } from '../../../src/procfs/parse/cmdline';
import { parseLoadavg, parseUptime } from '../../../src/procfs/parse/loadavg';
import { parseMeminfo } from '../../../src/procfs/parse/meminfo';
import { parsePasswd } from '../../../src/procfs/parse/passwd';
import { Result } from '../../../src/base/result';
import { parseStatm } from '../../../src/procfs/parse/statm';
import { parseStatus } from '../../../src/procfs/parse/status';
import { parseSystemStat } from '../../../src/procfs/parse/system-stat';
import { ttyName } from '../../../src/procfs/parse/tty';
import { fixtureText } from './fixtures';

function ok<T>(parsed: Result<T>): T {
  if (!parsed.ok) assert.fail(`unexpected parse error: ${parsed.error}`);
  return parsed.value;
}

const KB = 1024;

// statm

test('parseStatm reads size, resident and shared pages of a recorded process', () => {
  assert.deepEqual(ok(parseStatm(fixtureText('host', '9747/statm'))), { size: 730, resident: 445, shared: 418 });
});

test('parseStatm reads the all-zero statm of a kernel thread', () => {
  assert.deepEqual(ok(parseStatm(fixtureText('basic', '2/statm'))), { size: 0, resident: 0, shared: 0 });
});

test('parseStatm of an empty text is an error value', () => {
  assert.ok(!parseStatm('').ok);
});

test('parseStatm of two numbers is an error value', () => {
  assert.ok(!parseStatm('12 34\n').ok);
});

test('parseStatm of words is an error value', () => {
  assert.ok(!parseStatm('a b c d e f g\n').ok);
});

// cmdline

test('parseCmdline splits NUL-terminated argv', () => {
  assert.deepEqual(parseCmdline(fixtureText('basic', '150/cmdline')),
    ['/sbin/agetty', '-o', '-p -- \\u', '--noclear', 'tty1', 'linux']);
});

test('parseCmdline of a recorded process gives its argv', () => {
  assert.deepEqual(parseCmdline(fixtureText('host', '9747/cmdline')), ['sleep', '1234']);
});

test('parseCmdline drops trailing NUL padding', () => {
  assert.deepEqual(parseCmdline(fixtureText('hostile', '1015/cmdline')), ['postgres: checkpointer']);
});

test('parseCmdline keeps a setproctitle title without NUL as one argument', () => {
  assert.deepEqual(parseCmdline(fixtureText('hostile', '1014/cmdline')), ['nginx: worker process']);
});

test('parseCmdline of an empty cmdline (kernel thread, zombie) is []', () => {
  assert.deepEqual(parseCmdline(fixtureText('basic', '1301/cmdline')), []);
});

test('parseCmdline of NULs only is []', () => {
  assert.deepEqual(parseCmdline('\0\0\0'), []);
});

test('parseCmdline keeps an empty argument in the middle', () => {
  assert.deepEqual(parseCmdline('a\0\0b\0'), ['a', '', 'b']);
});

test('parseCmdline keeps ESC ] 0 ; title BEL inside an argument as it is', () => {
  assert.deepEqual(parseCmdline(fixtureText('hostile', '1004/cmdline')), ['/bin/sh', '-c', '\x1b]0;pwned\x07']);
});

test('parseCmdline reads a 70,000-byte argument whole', () => {
  const argv = parseCmdline(fixtureText('hostile', '1013/cmdline'));
  assert.deepEqual(argv.map((a) => a.length), ['/usr/bin/longargs'.length, 70_000]);
});

test('commandText joins argv with spaces', () => {
  assert.equal(commandText(['make', '-j4', 'all'], 'make'), 'make -j4 all');
});

test('commandText of no argv is [comm]', () => {
  assert.equal(commandText([], 'kthreadd'), '[kthreadd]');
});

test('property: parseCmdline inverts the kernel encoding of argv whose last argument is not empty', () => {
  const codePoint = fc.integer({ min: 1, max: 0x10ffff }).map((cp) => String.fromCodePoint(cp));
  const arg = fc.string({ unit: codePoint, maxLength: 20 });
  const argv = fc.array(arg, { maxLength: 6 }).filter((a) => a.length === 0 || a[a.length - 1] !== '');
  fc.assert(fc.property(argv, (a) => {
    assert.deepEqual(parseCmdline(a.map((s) => `${s}\0`).join('')), a);
  }));
});

// status

test('parseStatus reads uid, tgid, threads and tracer of a recorded process', () => {
  assert.deepEqual(parseStatus(fixtureText('host', '1086/status')), { uid: 0, tgid: 1086, threads: 1, tracerPid: 0 });
});

test('parseStatus takes the real uid, the first of the Uid line', () => {
  assert.equal(parseStatus(fixtureText('basic', '300/status')).uid, 4242);
});

test('parseStatus reads a Uid line that is the first line', () => {
  assert.equal(parseStatus('Uid:\t1000\t1000\t1000\t1000\nThreads:\t3\n').uid, 1000);
});

test('parseStatus leaves missing keys undefined', () => {
  assert.deepEqual(parseStatus('Name:\tx\n'), { uid: undefined, tgid: undefined, threads: undefined, tracerPid: undefined });
});

test('parseStatus does not take "Uid:" from inside the Name line', () => {
  assert.equal(parseStatus('Name:\tUid: 7\nUid:\t1000\t1000\t1000\t1000\n').uid, 1000);
});

// meminfo

test('parseMeminfo reads a recorded meminfo in bytes, used = MemTotal - MemAvailable', () => {
  const m = ok(parseMeminfo(fixtureText('host', 'meminfo')));
  assert.deepEqual(m, {
    total: 24683620 * KB,
    free: 24245168 * KB,
    used: (24683620 - 24267940) * KB,
    buffers: 4124 * KB,
    cache: (187088 + 92164 - 8952) * KB, // Cached + SReclaimable - Shmem
    available: 24267940 * KB,
    swapTotal: 0,
    swapUsed: 0,
  });
});

test('parseMeminfo counts swap used as SwapTotal - SwapFree', () => {
  const m = ok(parseMeminfo(fixtureText('basic', 'meminfo')));
  assert.deepEqual([m.swapTotal, m.swapUsed], [2097148 * KB, (2097148 - 1572860) * KB]);
});

test('parseMeminfo without MemAvailable (kernel < 3.14) counts used as total - free - buffers - cache', () => {
  const text = fixtureText('host', 'meminfo').replace(/^MemAvailable:.*\n/m, '');
  const m = ok(parseMeminfo(text));
  const cache = (187088 + 92164 - 8952) * KB;
  assert.equal(m.used, (24683620 - 24245168 - 4124) * KB - cache);
  assert.equal(m.available, 24245168 * KB + 4124 * KB + cache);
});

test('parseMeminfo without MemTotal is an error value', () => {
  assert.ok(!parseMeminfo('MemFree:  100 kB\n').ok);
});

test('parseMeminfo of an empty text is an error value', () => {
  assert.ok(!parseMeminfo('').ok);
});

// /proc/stat

test('parseSystemStat reads the aggregate and per-CPU lines of a recorded /proc/stat', () => {
  const s = ok(parseSystemStat(fixtureText('host', 'stat')));
  assert.deepEqual(s.total, { user: 19808, nice: 0, system: 8242, idle: 98132, iowait: 603, irq: 0, softirq: 371, steal: 0 });
  assert.deepEqual(s.cpus.map((c) => c.user), [9176, 10632]);
});

test('parseSystemStat reads btime and procs_running', () => {
  const s = ok(parseSystemStat(fixtureText('host', 'stat')));
  assert.deepEqual([s.bootTime, s.running], [1795782797, 1]);
});

test('parseSystemStat counts missing trailing counters of an old kernel as zero', () => {
  const s = ok(parseSystemStat('cpu  1 2 3 4\ncpu0 1 2 3 4\nbtime 100\n'));
  assert.deepEqual(s.total, { user: 1, nice: 2, system: 3, idle: 4, iowait: 0, irq: 0, softirq: 0, steal: 0 });
  assert.equal(s.running, undefined);
});

test('parseSystemStat without btime is an error value', () => {
  assert.ok(!parseSystemStat(fixtureText('host', 'stat').replace(/^btime.*$/m, '')).ok);
});

test('parseSystemStat without the cpu line is an error value', () => {
  assert.ok(!parseSystemStat('btime 100\n').ok);
});

// loadavg and uptime

test('parseLoadavg reads the three averages and the entity count of a recorded loadavg', () => {
  assert.deepEqual(ok(parseLoadavg(fixtureText('host', 'loadavg'))), { load: [1.16, 0.7, 0.33], entities: 108 });
});

test('parseLoadavg of words is an error value', () => {
  assert.ok(!parseLoadavg('high higher highest\n').ok);
});

test('parseUptime reads the seconds since boot of a recorded uptime', () => {
  assert.equal(ok(parseUptime(fixtureText('host', 'uptime'))), 636.71);
});

test('parseUptime of an empty text is an error value', () => {
  assert.ok(!parseUptime('').ok);
});

// passwd

test('parsePasswd maps uids to names', () => {
  const users = parsePasswd(fixtureText('basic', 'passwd'));
  assert.deepEqual([users.get(1000), users.get(1001), users.get(65534)], ['alice', 'bob', 'nobody']);
});

test('parsePasswd keeps the first entry of a uid, as getpwuid does', () => {
  assert.equal(parsePasswd(fixtureText('basic', 'passwd')).get(0), 'root');
});

test('parsePasswd skips comment lines', () => {
  const users = parsePasswd(fixtureText('basic', 'passwd'));
  assert.equal(users.get(1002), undefined);
  assert.deepEqual([...users.keys()].sort((a, b) => a - b), [0, 1000, 1001, 65534]);
});

test('parsePasswd skips lines with an empty or non-numeric uid (NIS +, garbage)', () => {
  const users = parsePasswd('+::::::\nbad:x:abc:0::/:/bin/sh\n:x:5:5::/:/bin/sh\nok:x:7:7::/:/bin/sh\n');
  assert.deepEqual([...users], [[7, 'ok']]);
});

// tty

test('ttyName of 136<<8|0 is pts/0', () => {
  assert.equal(ttyName((136 << 8) | 0), 'pts/0');
});

test('ttyName of pts/300 encoded with the minor bits above 8 (new_encode_dev)', () => {
  const minor = 300;
  assert.equal(ttyName((minor & 0xff) | (136 << 8) | ((minor & ~0xff) << 12)), 'pts/300');
});

test('ttyName of pts/300 encoded as major 137 minor 44', () => {
  assert.equal(ttyName((137 << 8) | 44), 'pts/300');
});

test('ttyName of 4<<8|1 is tty1', () => {
  assert.equal(ttyName((4 << 8) | 1), 'tty1');
});

test('ttyName of 4<<8|64 is ttyS0', () => {
  assert.equal(ttyName((4 << 8) | 64), 'ttyS0');
});

test('ttyName of 0 (no terminal) is undefined', () => {
  assert.equal(ttyName(0), undefined);
});

test('ttyName of /dev/console (5:1) is console', () => {
  assert.equal(ttyName((5 << 8) | 1), 'console');
});

test('ttyName of an unknown major is major:minor', () => {
  assert.equal(ttyName((204 << 8) | 64), '204:64');
});

// the fork counter

test('parseSystemStat reads the processes line as the fork counter', () => {
  assert.equal(ok(parseSystemStat('cpu 1 2 3 4 5 6 7 8\nbtime 1700000000\nprocesses 33169\nprocs_running 2\n')).forks, 33169);
  assert.equal(ok(parseSystemStat('cpu 1 2 3 4 5 6 7 8\nbtime 1700000000\n')).forks, undefined);
});

test('commandBytes joins argv bytes with spaces as commandText does, drops trailing NULs, and is undefined for valid UTF-8', () => {
  const raw = (...b: number[]): Buffer => Buffer.from(b);
  assert.deepEqual(commandBytes(raw(0x61, 0xff, 0, 0, 0x62, 0, 0), raw()), raw(0x61, 0xff, 0x20, 0x20, 0x62));
  assert.deepEqual(commandBytes(raw(), raw(0x6b, 0xc3)), Buffer.from([0x5b, 0x6b, 0xc3, 0x5d]));
  assert.equal(commandBytes(Buffer.from('日本\0x\0'), raw(0x78)), undefined);
});

test('bytesField is base64 only for bytes that are not valid UTF-8', () => {
  assert.equal(bytesField(Buffer.from([0x62, 0xff])), 'Yv8=');
  assert.equal(bytesField(Buffer.from('日本')), undefined);
  assert.equal(bytesField(undefined), undefined);
});
