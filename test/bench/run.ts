/**
 * What every benchmark script does around its measurements: undo steps (servers, pages, the browser)
 * run last-in first-out, also when the run is interrupted, fails or goes over its time budget.
 */

/** Undo steps, run last-in first-out; each runs once even when cleanup is asked for twice. */
export const cleanups: { what: string; run: () => Promise<void> | void }[] = [];

/** Runs the undo steps pushed since the stack had `keep` entries (all of them by default). */
export async function cleanUp(keep = 0): Promise<void> {
  while (cleanups.length > keep) {
    const entry = cleanups.pop();
    if (!entry) break;
    try {
      await entry.run();
    } catch (error) {
      process.stderr.write(`cleanup of ${entry.what} failed: ${String(error)}\n`);
    }
  }
}

/** Set once the run is being stopped: the errors of the interrupted steps are then expected. */
let aborting = false;

/** Stops the run: cleans up (at most 30 s) and exits. */
function abort(reason: string, code: number): void {
  aborting = true;
  process.stderr.write(`${reason}; cleaning up\n`);
  const forceExit = setTimeout(() => process.exit(code), 30_000);
  void cleanUp().finally(() => {
    clearTimeout(forceExit);
    process.exit(code);
  });
}

/**
 * Runs a benchmark's `main` within `budgetMs`, cleaning up after it whatever happens; Ctrl+C and
 * SIGTERM clean up too. A failure is printed as `<name> benchmark failed: …` with exit code 1.
 */
export async function runBench(name: string, budgetMs: number, main: () => Promise<void>): Promise<void> {
  process.once('SIGINT', () => abort('interrupted', 130));
  process.once('SIGTERM', () => abort('terminated', 143));
  setTimeout(() => abort(`the benchmark took longer than ${budgetMs / 60_000} minutes`, 1), budgetMs).unref();
  try {
    await main();
  } catch (error) {
    process.exitCode = 1;
    if (!aborting) {
      process.stderr.write(
        `${name} benchmark failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
    }
  } finally {
    await cleanUp();
  }
}
