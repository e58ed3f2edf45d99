/**
 * Fork churn: a load generator that starts about `rate` short-lived processes per second, in
 * its own session and process group, until stopped (by that group: see process-group.ts).
 *
 * With python3 (preferred: it paces itself and counts exactly) every tick of 10 ms starts its
 * share of children, cycling through four kinds so that a /proc scan meets every race:
 *   - /bin/true (posix_spawn): gone within a millisecond, mostly never seen by a scan;
 *   - a bare fork that exits at once (never execs: the parent's comm and argv);
 *   - /bin/sleep 0.05–0.6 s (posix_spawn): seen by one or a few scans, then gone between two;
 *   - a fork that sleeps 0.05–0.3 s as python3, then execs sleep 0.05–0.3 s: the same identity
 *     changes comm and argv mid-life, which the argv cache must notice.
 * Children are reaped every tick, so short zombies exist too. ceil(rate / 100) workers (the
 * leader and forks of it, same group) share the rate; each prints its totals twice a second.
 * Without python3 an sh loop does batches of `/bin/true &` and `sleep 0.3 &`.
 */
import * as fs from 'node:fs';
import { ProcessGroup } from './process-group';

const PYTHON_CHURN = String.raw`
import os, sys, time, random
workers = max(1, int(sys.argv[2]))
worker = 0
for w in range(1, workers):
    if os.fork() == 0:
        worker = w
        break
rate = float(sys.argv[1]) / workers
tick = 0.01
budget = 0.0
spawned = 0
failed = 0
rnd = random.Random(os.getpid())
last = time.monotonic()
nxt = last
prev = last
def reap():
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
while True:
    t = time.monotonic()
    budget = min(budget + rate * (t - prev), rate)
    prev = t
    while budget >= 1:
        budget -= 1
        kind = spawned % 4
        try:
            if kind == 0:
                os.posix_spawn('/bin/true', ['true'], os.environ)
            elif kind == 2:
                os.posix_spawn('/bin/sleep', ['sleep', '%.2f' % rnd.uniform(0.05, 0.6)], os.environ)
            else:
                pid = os.fork()
                if pid == 0:
                    try:
                        if kind == 3:
                            time.sleep(rnd.uniform(0.05, 0.3))
                            os.execv('/bin/sleep', ['sleep', '%.2f' % rnd.uniform(0.05, 0.3)])
                    except BaseException:
                        pass
                    os._exit(0)
        except OSError:
            failed += 1
            break
        spawned += 1
    reap()
    now = time.monotonic()
    if now - last >= 0.5:
        sys.stdout.write('worker %d spawned %d failed %d\n' % (worker, spawned, failed))
        sys.stdout.flush()
        last = now
    nxt += tick
    delay = nxt - time.monotonic()
    if delay > 0:
        time.sleep(delay)
    else:
        nxt = time.monotonic()
`;

/** sh fallback: per 0.1 s batch, half /bin/true, half sleep 0.3; counts batches × size. */
const SH_CHURN = `
n=$1
half=$(( (n + 1) / 2 ))
spawned=0
while :; do
  i=0
  while [ "$i" -lt "$half" ]; do
    /bin/true &
    sleep 0.3 &
    i=$((i+1))
  done
  spawned=$((spawned + 2 * half))
  echo "worker 0 spawned $spawned failed 0"
  sleep 0.1
  wait
done
`;

export interface Churn {
  readonly pgid: number;
  /** Requested processes per second. */
  readonly rate: number;
  /** 'python3' or 'sh'. */
  readonly how: string;
  /** Processes started so far (as last reported by the generator). */
  spawned(): number;
  /** Forks that failed (EAGAIN: a pid or process limit). */
  failed(): number;
  /** Kills the group and waits until its members are gone; returns how many were still listed. */
  stop(): Promise<number>;
  /** Kill without waiting (exit hooks). */
  stopSync(): void;
}

function python(): string | undefined {
  for (const p of ['/usr/bin/python3', '/usr/local/bin/python3']) if (fs.existsSync(p)) return p;
  return undefined;
}

/** Starts the churn and waits (≤ 30 s: python starts slowly on a loaded machine) for its first report. */
export async function startChurn(rate: number): Promise<Churn> {
  if (!(rate > 0)) throw new RangeError(`churn: rate must be > 0, got ${rate}`);
  const py = python();
  // One python3 paces 100 starts a second easily on an idle machine; more workers keep up under load.
  const workers = Math.max(1, Math.ceil(rate / 100));
  // The script comes on stdin, so the generator's argv stays short in a process list.
  const group = py
    ? ProcessGroup.start(py, ['-', String(rate), String(workers)], { comms: ['python3', 'true', 'sleep'], input: PYTHON_CHURN })
    : ProcessGroup.start('sh', ['-s', String(Math.max(2, Math.round(rate / 10 / 1.3)))], { comms: ['sh', 'true', 'sleep'], input: SH_CHURN });
  // Each worker reports its own running totals; the latest line of each counts.
  const last = (): { spawned: number; failed: number } => {
    const latest = new Map<string, { spawned: number; failed: number }>();
    for (const m of group.output.matchAll(/worker (\d+) spawned (\d+) failed (\d+)/g)) {
      latest.set(m[1] ?? '', { spawned: Number(m[2]), failed: Number(m[3]) });
    }
    let spawned = 0;
    let failed = 0;
    for (const v of latest.values()) {
      spawned += v.spawned;
      failed += v.failed;
    }
    return { spawned, failed };
  };
  const deadline = Date.now() + 30_000;
  while (!/spawned \d+/.test(group.output)) {
    if (group.leaderExited || Date.now() > deadline) {
      await group.kill();
      throw new Error(`churn: the generator ${group.leaderExited ? 'exited' : 'did not report within 30 s'}: ${group.stderr.trim().slice(0, 500)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    pgid: group.pgid,
    rate,
    how: py ? 'python3' : 'sh',
    spawned: () => last().spawned,
    failed: () => last().failed,
    stop: () => group.kill(),
    stopSync: () => group.killSync(),
  };
}
