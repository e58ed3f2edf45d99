/**
 * The one clean-up registry of tests and benches: synchronous clean-up that
 * runs however the process ends: normal return (the caller's finally), an
 * exception, SIGINT/SIGTERM/SIGHUP, or process.exit. Each task runs at most
 * once, newest first. Process groups, tmux servers and spawned landscapes
 * register here (through {@link cleanupSet}) as bench scripts do.
 */
type Task = { readonly name: string; readonly run: () => void; done: boolean };

const tasks: Task[] = [];
let installed = false;

function runAll(): void {
  for (const task of [...tasks].reverse()) {
    if (task.done) continue;
    task.done = true;
    try {
      task.run();
    } catch (err) {
      process.stderr.write(`clean-up "${task.name}" failed: ${err instanceof Error ? err.message : String(err)}\n`);
    }
  }
}

function install(): void {
  if (installed) return;
  installed = true;
  process.on('exit', runAll);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => {
      process.stderr.write(`${signal}: cleaning up\n`);
      runAll();
      process.exit(signal === 'SIGINT' ? 130 : 143);
    });
  }
}

/** Registers a clean-up; returns a function that runs it now (and never again). */
export function onCleanup(name: string, run: () => void): () => void {
  install();
  const task: Task = { name, run, done: false };
  tasks.push(task);
  return () => {
    if (task.done) return;
    task.done = true;
    run();
  };
}

/** Runs every clean-up not yet run. */
export function cleanupAll(): void {
  runAll();
}

/**
 * A set whose members are killed (synchronously, by `kill`) at exit if still
 * in it: what a helper keeps of the things it started until they are cleaned
 * up normally. The exit task is registered with the first member.
 */
export function cleanupSet<T>(name: string, kill: (item: T) => void): { add(item: T): void; delete(item: T): void } {
  const live = new Set<T>();
  let registered = false;
  return {
    add(item: T): void {
      live.add(item);
      if (registered) return;
      registered = true;
      onCleanup(name, () => {
        for (const member of live) kill(member);
      });
    },
    delete(item: T): void {
      live.delete(item);
    },
  };
}
