// How the CLI process ends: SIGINT, SIGTERM and SIGHUP ask the running command to stop (it cleans up:
// cancels its run, closes its servers); a second signal, a signal before any command listens, or a
// command that does not finish in FORCE_EXIT_MS exits at once. Every exit path goes through
// process.exit, whose 'exit' hook (processTransport.ts) signals the server groups still alive.
import { constants } from 'node:os';

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
export type ShutdownSignal = (typeof SIGNALS)[number];

/** After the first signal, how long the command has to clean up before the process exits anyway. */
export const FORCE_EXIT_MS = 5_000;

const listeners = new Set<(signal: ShutdownSignal) => void>();
let installed = false;
let received = 0;

function exitCodeOf(signal: ShutdownSignal): number {
  return 128 + (constants.signals[signal] ?? 0);
}

function onSignal(signal: ShutdownSignal): void {
  received++;
  if (received > 1 || listeners.size === 0) {
    process.exit(exitCodeOf(signal));
  }
  for (const listener of [...listeners]) listener(signal);
  setTimeout(() => process.exit(exitCodeOf(signal)), FORCE_EXIT_MS).unref();
}

/** Installs the signal handlers once (main does it at start; onShutdown does it lazily). */
export function installSignalHandlers(): void {
  if (installed) return;
  installed = true;
  for (const signal of SIGNALS) process.on(signal, () => onSignal(signal));
}

/** Calls `listener` on the first shutdown signal; returns the unsubscribe function. */
export function onShutdown(listener: (signal: ShutdownSignal) => void): () => void {
  installSignalHandlers();
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Resolves on the first of SIGINT/SIGTERM/SIGHUP or `extra` (e.g. stdin closing). */
export function untilShutdown(extra?: (done: () => void) => void): Promise<void> {
  return new Promise((resolve) => {
    let off = (): void => undefined;
    const done = (): void => {
      off();
      resolve();
    };
    off = onShutdown(done);
    extra?.(done);
  });
}
