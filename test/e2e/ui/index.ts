// Entry of the UI suite (bundled to out/e2e/ui-tests.mjs; the bundle's entry imports every
// test/e2e/ui/**/*.ui.ts first). run.mjs calls run() with the browser and code-server it started.
import { runRegistered, type RunSummary } from '../runner';
import { setUiContext, type UiContext } from './context';

/** Runs the registered UI tests; returns the counts (never throws for a failing test). */
export async function run(ctx: UiContext): Promise<RunSummary> {
  setUiContext(ctx);
  console.log('ToolWeaver e2e: UI suite');
  return runRegistered((line) => console.log(line));
}
