// Helpers shared by the panel journeys (panel.ui.ts, panelXss.ui.ts): wait for tree rows that match,
// wait for the trace panel to show a trace, click its timeline rows, and screenshot the webview.
import type { Frame } from 'playwright-core';
import type { TreeRow, Workbench } from './workbench';

/** Polls a sidebar tree until `pick` finds a row (trees fill in asynchronously); returns all rows. */
export async function waitForRow(wb: Workbench, view: string, what: string, pick: (r: TreeRow) => boolean, timeoutMs = 60_000): Promise<{ row: TreeRow; rows: TreeRow[] }> {
  const deadline = Date.now() + timeoutMs;
  let last: TreeRow[] = [];
  for (;;) {
    last = await wb.readTreeRows(view, { minRows: 1, timeoutMs: Math.max(1000, deadline - Date.now()) }).catch(() => last);
    const row = last.find(pick);
    if (row) return { row, rows: last };
    if (Date.now() > deadline) throw new Error(`view "${view}" never showed ${what}; rows: ${JSON.stringify(last.map((r) => `${r.label} — ${r.description}`))}`);
    await wb.page.waitForTimeout(250);
  }
}

/**
 * Waits until the trace panel's webview shows a trace of `scriptName` with timeline rows; returns
 * its frame. (A webview is recreated when its tab comes back, so always look it up again.)
 */
export async function waitForTracePanel(wb: Workbench, scriptName: string, timeoutMs = 120_000): Promise<Frame> {
  const deadline = Date.now() + timeoutMs;
  const frame = await wb.findInWebviews('Context tokens', { timeoutMs });
  await frame.locator('.script-name', { hasText: scriptName }).first().waitFor({ timeout: Math.max(1000, deadline - Date.now()) });
  await frame.locator('.tl-row').first().waitFor({ timeout: Math.max(1000, deadline - Date.now()) });
  return frame;
}

/** Clicks the `index`-th rendered timeline row (rows are re-rendered on click: never keep handles). */
export async function clickTimelineRow(frame: Frame, index: number): Promise<void> {
  await frame.locator('.tl-row').nth(index).click();
  await frame.locator('.tl-row.selected').first().waitFor({ timeout: 10_000 });
}

/** Screenshot of just the webview area (clip of its iframe in the page). */
export async function screenshotWebview(wb: Workbench, frame: Frame, file: string): Promise<void> {
  const box = await (await frame.frameElement()).boundingBox();
  if (!box) throw new Error('the webview frame has no box (hidden?)');
  await wb.page.screenshot({ path: file, clip: box });
}

/** Runs a palette command only if it exists (layout commands differ between VS Code versions). */
export async function tryCommand(wb: Workbench, title: string): Promise<boolean> {
  return wb.runCommand(title, { timeoutMs: 3000 }).then(
    () => true,
    async () => {
      await wb.page.keyboard.press('Escape');
      return false;
    },
  );
}

/** Hides toasts (progress notifications would cover screenshots). */
export async function clearNotifications(wb: Workbench): Promise<void> {
  await tryCommand(wb, 'Notifications: Clear All Notifications');
  await quickInputClosed(wb);
}

/** Waits until the palette has faded out (it would ghost into screenshots). */
export async function quickInputClosed(wb: Workbench): Promise<void> {
  await wb.page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 10_000 }).catch(() => undefined);
}
