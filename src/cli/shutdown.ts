// Long-running CLI commands (servers) wait here until the user or the parent asks them to stop.

/** Resolves on the first of SIGINT/SIGTERM or `extra` (e.g. stdin closing). */
export function untilShutdown(extra?: (done: () => void) => void): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      process.off('SIGINT', done);
      process.off('SIGTERM', done);
      resolve();
    };
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
    extra?.(done);
  });
}
