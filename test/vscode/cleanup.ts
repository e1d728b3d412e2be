// Runs registered cleanups once, on normal exit paths and on SIGINT/SIGTERM/SIGHUP.
type Cleanup = () => Promise<void> | void;

const cleanups: Cleanup[] = [];
let running: Promise<void> | undefined;

/** Registers a cleanup; they run last-registered first. */
export function onCleanup(cleanup: Cleanup): void {
  cleanups.push(cleanup);
}

export function runCleanups(): Promise<void> {
  running ??= (async () => {
    for (const cleanup of cleanups.reverse()) {
      try {
        await cleanup();
      } catch (error) {
        process.stderr.write(`cleanup failed: ${String(error)}\n`);
      }
    }
  })();
  return running;
}

/** Cleans up and exits with `code`. */
export async function exitAfterCleanup(code: number): Promise<never> {
  await runCleanups();
  process.exit(code);
}

for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
  process.once(signal, () => {
    process.stderr.write(`\n${signal}: stopping servers and browsers\n`);
    void exitAfterCleanup(130);
  });
}
