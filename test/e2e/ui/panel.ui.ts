// The user's journey through the UI: demo catalog → Tools tree → open a script → Run Script from the
// palette → the trace panel's timeline, span details and token account → the Runs tree; with
// screenshots for CI and the README, and the Run Script → trace shown time as a BENCH line.
import assert from 'node:assert/strict';
import path from 'node:path';
import { suite, test } from '../runner';
import { uiContext } from './context';
import { clearNotifications, clickTimelineRow, screenshotWebview, tryCommand, waitForRow, waitForTracePanel } from './journey';
import { openWorkbench } from './workbench';

const SCRIPT = '.toolweaver/scripts/account-review.tw.ts';
const SCRIPT_NAME = path.basename(SCRIPT);

suite('trace panel (UI)', () => {
  test('demo catalog → Run Script → timeline, span details, token account, Runs tree', async () => {
    const wb = await openWorkbench({ viewport: { width: 1400, height: 900 } });
    try {
      await wb.runCommand('ToolWeaver: Use the Demo Catalog', { timeoutMs: 60_000 });
      await wb.openViewContainer('ToolWeaver');
      const { row: demo, rows } = await waitForRow(wb, 'Tools', 'the demo server, connected', (r) => r.label === 'demo' && /connected/.test(r.description));
      assert.match(demo.description, /connected · 15 tools/);
      assert.equal(demo.expanded, true, 'the server row is expanded');
      const toolLabels = rows.filter((r) => r.level === 2).map((r) => r.label);
      for (const t of ['search_customers', 'get_customer', 'flaky_lookup']) assert.ok(toolLabels.includes(t), `Tools tree lacks ${t}: ${toolLabels.join(', ')}`);
      await clearNotifications(wb);
      await wb.screenshot('sidebar-tools', wb.page.locator('.part.sidebar'));

      // Run Script from the palette with the script's editor active.
      await wb.openFile(SCRIPT);
      await wb.runCommand('ToolWeaver: Run Script');
      const t0 = performance.now();
      const frame = await waitForTracePanel(wb, SCRIPT_NAME);
      const shownMs = performance.now() - t0;
      console.log(`BENCH ui-run-script-to-trace-shown: ${shownMs.toFixed(0)} ms`);

      // Header and timeline.
      assert.match(await frame.locator('.status-badge').first().innerText(), /Succeeded/);
      const rowCount = await frame.locator('.tl-row').count();
      assert.ok(rowCount >= 10, `timeline rendered ${rowCount} rows`);
      const labels = await frame.locator('.tl-row .tl-label').allInnerTexts();
      for (const want of [/search_customers/, /flaky_lookup \(attempt 3\)/, /^map/, /^retry/]) assert.ok(labels.some((l) => want.test(l)), `timeline lacks ${want}: ${labels.join(' | ')}`);
      // The list is virtualized: the dag's rows exist once scrolled into view.
      await frame.locator('.timeline-viewport').evaluate((el) => el.scrollTo(0, el.scrollHeight));
      await frame.locator('.tl-row .tl-label', { hasText: /^dag/ }).first().waitFor({ timeout: 10_000 });
      await frame.locator('.tl-row .tl-label', { hasText: 'demo.ticket_stats' }).first().waitFor({ timeout: 10_000 });
      await frame.locator('.timeline-viewport').evaluate((el) => el.scrollTo(0, 0));
      await frame.locator('.tl-row .tl-label', { hasText: 'demo.search_customers' }).first().waitFor({ timeout: 10_000 });

      // Token account: classic vs code mode, with a verdict.
      const tokens = frame.locator('section.tokens');
      await tokens.waitFor();
      const compare = await tokens.locator('.compare-label').allInnerTexts();
      assert.deepEqual(compare.map((s) => s.trim()), ['Classic', 'Code mode']);
      assert.match(await tokens.locator('.verdict').innerText(), /Saved [\d,]+ tokens|Code mode cost/);

      // Clicking a tool span renders its details with arguments and result.
      const idx = labels.findIndex((l) => /search_customers/.test(l));
      await clickTimelineRow(frame, idx);
      const details = frame.locator('section.details');
      await details.locator('h3', { hasText: 'Arguments' }).waitFor({ timeout: 10_000 });
      await details.locator('h3', { hasText: 'Result' }).waitFor({ timeout: 10_000 });
      assert.match(await details.locator('h2').innerText(), /demo\.search_customers/);
      assert.match(await details.locator('pre.json').first().innerText(), /"enterprise"/);

      // The Runs tree shows the run, newest first.
      const { row: run } = await waitForRow(wb, 'Runs', `a run of ${SCRIPT_NAME}`, (r) => r.level === 1 && r.label === SCRIPT_NAME);
      assert.match(run.description, /^ok · .* · \d+ calls/);
      // Expand the run to its top-level spans (by the twistie: the label opens the trace).
      const runRow = wb.view('Runs').locator('.monaco-list-row[aria-level="1"]').first();
      if (run.expanded === false) await runRow.locator('.monaco-tl-twistie').click();
      const { rows: runRows } = await waitForRow(wb, 'Runs', 'the run\'s spans', (r) => r.level === 2 && /^dag/.test(r.label));
      assert.ok(runRows.some((r) => r.level === 2 && r.label === 'demo.search_customers'), JSON.stringify(runRows));
      await clearNotifications(wb);
      await wb.screenshot('sidebar-runs', wb.page.locator('.part.sidebar'));
      await wb.screenshot('workbench-run');

      // The panel on its own, wide: no side bar, one editor group, the trace tab active.
      await tryCommand(wb, 'View: Close Primary Side Bar');
      await tryCommand(wb, 'View: Single Column Editor Layout');
      await wb.page.locator('.tabs-container .tab', { hasText: 'ToolWeaver Trace' }).first().click();
      const wide = await waitForTracePanel(wb, SCRIPT_NAME);
      await clickTimelineRow(wide, idx);
      await wide.locator('section.details h3', { hasText: 'Result' }).waitFor({ timeout: 10_000 });
      await clearNotifications(wb);
      await screenshotWebview(wb, wide, path.join(uiContext().resultsDir, 'panel.png'));
      await wb.assertNoXss();
    } finally {
      await wb.close();
    }
  }, { timeoutMs: 240_000 });
});
