/**
 * Synchronous clean-up that runs however the bench ends: normal return
 * (the caller's finally), an exception, SIGINT/SIGTERM/SIGHUP, or process.exit.
 * Each task runs at most once, newest first.
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
      process.stderr.write(`bench: clean-up "${task.name}" failed: ${err instanceof Error ? err.message : String(err)}\n`);
    }
  }
}

function install(): void {
  if (installed) return;
  installed = true;
  process.on('exit', runAll);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => {
      process.stderr.write(`bench: ${signal}, cleaning up\n`);
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
