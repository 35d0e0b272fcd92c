// What run.mjs hands the UI suite: the shared browser, the running code-server, and the folders.
// Set once by index.ts's run(); read by the helpers in workbench.ts.
import type { Browser } from 'playwright-core';

/** The harness's view of code-server and the folders a UI test may use. */
export interface UiContext {
  browser: Browser;
  /** code-server's base URL, e.g. http://127.0.0.1:41234 */
  baseUrl: string;
  /** Absolute repo root: the extensionDevelopmentPath. */
  repo: string;
  /** A fresh writable copy of test/e2e/workspace (shared by the UI tests of one run). */
  workspace: string;
  /** Where screenshots go (repo/test-results; kept by CI). */
  resultsDir: string;
  /** Builds the workbench URL for a folder, optionally loading the development extension. */
  workbenchUrl(o: { folder: string; extensionDevelopmentPath?: string }): string;
  /**
   * Starts a second code-server with workspace trust on (the main one disables it) and user
   * settings that never prompt, so folders open in Restricted Mode. Stop it in `finally`.
   */
  startTrustingServer(): Promise<{ baseUrl: string; workbenchUrl(o: { folder: string; extensionDevelopmentPath?: string }): string; stop(): Promise<void> }>;
}

let current: UiContext | undefined;

/** @internal used by index.ts */
export function setUiContext(ctx: UiContext): void {
  current = ctx;
}

/** The context of the running UI suite; throws outside one. */
export function uiContext(): UiContext {
  if (!current) throw new Error('UI helpers used outside the UI suite (run via node test/e2e/run.mjs)');
  return current;
}
