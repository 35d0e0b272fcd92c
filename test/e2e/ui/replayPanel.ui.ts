// Replay in the panel: Run Script on the demo's account review (results with redacted emails), then
// the panel's Replay button; the replay's section shows both runs on one time axis, every call
// replayed from the tape (the raw tape answers the redacted results), 0 live; screenshot for the docs.
import assert from 'node:assert/strict';
import { copyFileSync } from 'node:fs';
import path from 'node:path';
import { suite, test } from '../runner';
import { uiContext } from './context';
import { clearNotifications, screenshotWebview, tryCommand, waitForRow, waitForTracePanel } from './journey';
import { openWorkbench } from './workbench';

const SCRIPT = '.toolweaver/scripts/account-review.tw.ts';

suite('replay panel (UI)', () => {
  test('replay panel: Replay from the panel → original and replay on one timeline, every call replayed', async () => {
    const wb = await openWorkbench({ viewport: { width: 1400, height: 1000 } });
    try {
      await wb.runCommand('ToolWeaver: Use the Demo Catalog', { timeoutMs: 60_000 });
      await wb.openViewContainer('ToolWeaver');
      await waitForRow(wb, 'Tools', 'the demo server, connected', (r) => r.label === 'demo' && /connected/.test(r.description));
      await wb.openFile(SCRIPT);
      await wb.runCommand('ToolWeaver: Run Script');
      let frame = await waitForTracePanel(wb, path.basename(SCRIPT));
      await tryCommand(wb, 'View: Close Primary Side Bar');
      await tryCommand(wb, 'View: Single Column Editor Layout');
      await wb.page.locator('.tabs-container .tab', { hasText: 'ToolWeaver Trace' }).first().click();
      frame = await waitForTracePanel(wb, path.basename(SCRIPT));
      await frame.locator('button.replay-run').click();
      await frame.locator('.replay-timeline .rp-row').first().waitFor({ timeout: 120_000 });
      frame = await wb.findInWebviews('Replay of', { timeoutMs: 30_000 });
      const summary = await frame.locator('.replay-summary').innerText();
      console.log(`replay summary: ${summary}`);
      const m = /^(\d+) calls answered from the recorded trace, 0 live, no divergence\./.exec(summary);
      assert.ok(m && Number(m[1]) >= 10, `every call replayed, 0 live: ${summary}`);
      const modes = await frame.locator('.rp-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-mode')));
      assert.equal(modes.length, Number(m[1]), `rows: ${modes.join(',')}`);
      assert.ok(modes.every((m) => m === 'replayed'), `every row replayed: ${modes.join(',')}`);
      // Each row has both lanes filled: an original bar and a replay bar on the shared axis.
      const bars = await frame.locator('.rp-row').evaluateAll((rows) => rows.map((r) => r.querySelectorAll('.rp-bar').length));
      assert.ok(bars.every((n) => n === 2), `bars per row: ${bars.join(',')}`);
      assert.equal(await frame.locator('.rp-row.diverged').count(), 0);
      // The run header sticks at the top: scroll the section in just below it.
      await frame.locator('section.replay').evaluate((el) => {
        const header = document.querySelector('.run-header')?.getBoundingClientRect().height ?? 0;
        window.scrollBy(0, el.getBoundingClientRect().top - header - 8);
      });
      // Both lanes share the axis from each run's first call: the first row's bars both start at its left edge.
      const lefts = await frame.locator('.rp-row').first().locator('.rp-bar').evaluateAll((bars) => bars.map((b) => (b as HTMLElement).style.left));
      assert.deepEqual(lefts, ['0%', '0%']);
      await clearNotifications(wb);
      const shot = path.join(uiContext().resultsDir, 'replay-panel.png');
      await screenshotWebview(wb, frame, shot);
      copyFileSync(shot, path.join(uiContext().repo, 'docs', 'replay-panel.png'));
      await wb.assertNoXss();
    } finally {
      await wb.close();
    }
  }, { timeoutMs: 300_000 });
});
