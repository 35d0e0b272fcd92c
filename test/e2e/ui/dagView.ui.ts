// The DAG inspector in the trace panel: a script whose dag() has a slow chain runs from the palette,
// the panel draws its steps by level with the deps as edges and the critical path highlighted, and a
// node click selects that step's span (details and timeline) like a timeline row; with a screenshot.
import assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { suite, test } from '../runner';
import { uiContext } from './context';
import { clearNotifications, screenshotWebview, tryCommand, waitForRow, waitForTracePanel } from './journey';
import { openWorkbench } from './workbench';

const SCRIPT = '.toolweaver/scripts/dag-inspector.tw.ts';
// "tickets" makes six sequential calls; the rest one each: the critical path runs through it.
const SOURCE = `const r = await dag({
  customers: () => tools.demo.search_customers({ limit: 5 }),
  tickets: async () => {
    let n = 0;
    for (const id of ['tkt_00001', 'tkt_00002', 'tkt_00003', 'tkt_00004', 'tkt_00005', 'tkt_00006']) {
      await tools.demo.get_ticket({ ticketId: id });
      n++;
    }
    return n;
  },
  stats: () => tools.demo.ticket_stats({ groupBy: 'priority' }),
  revenue: { deps: ['customers'], run: () => tools.demo.aggregate_revenue({ groupBy: 'quarter' }) },
  report: { deps: ['revenue', 'tickets', 'stats'], run: ({ tickets }) => ({ tickets }) },
});
return r.report;
`;

suite('trace panel: DAG inspector (UI)', () => {
  test('dag() steps as a graph by level, critical path highlighted, a node click selects its span', async () => {
    const file = path.join(uiContext().workspace, SCRIPT);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, SOURCE);
    const wb = await openWorkbench({ viewport: { width: 1400, height: 900 } });
    try {
      await wb.runCommand('ToolWeaver: Use the Demo Catalog', { timeoutMs: 60_000 });
      await wb.openViewContainer('ToolWeaver');
      await waitForRow(wb, 'Tools', 'the demo server, connected', (r) => r.label === 'demo' && /connected/.test(r.description));
      await wb.openFile(SCRIPT);
      await wb.runCommand('ToolWeaver: Run Script');
      let frame = await waitForTracePanel(wb, path.basename(SCRIPT));
      assert.match(await frame.locator('.status-badge').first().innerText(), /Succeeded/);

      const graph = frame.locator('section.dag');
      await graph.waitFor({ timeout: 10_000 });
      const nodes = await graph.locator('.dag-node').evaluateAll((els) =>
        els.map((el) => {
          const m = /translate\(([\d.]+) ([\d.]+)\)/.exec(el.getAttribute('transform') ?? '');
          return { step: el.getAttribute('data-step'), x: Number(m?.[1]), critical: el.classList.contains('critical'), text: el.textContent ?? '' };
        }),
      );
      const at = Object.fromEntries(nodes.map((n) => [n.step, n]));
      assert.deepEqual(Object.keys(at).sort(), ['customers', 'report', 'revenue', 'stats', 'tickets']);
      // Left to right by level: roots, then revenue, then report.
      assert.equal(at.customers!.x, at.tickets!.x);
      assert.equal(at.customers!.x, at.stats!.x);
      assert.ok(at.revenue!.x > at.customers!.x && at.report!.x > at.revenue!.x, JSON.stringify(nodes));
      assert.match(at.tickets!.text, /tickets.*\d+(\.\d+)? m?s/);
      // The critical path: tickets → report (six sequential calls beat search + aggregate).
      assert.deepEqual(nodes.filter((n) => n.critical).map((n) => n.step).sort(), ['report', 'tickets'], JSON.stringify(nodes));
      const edges = await graph.locator('path.dag-edge').evaluateAll((els) => els.map((e) => `${e.getAttribute('data-from')}>${e.getAttribute('data-to')}${e.classList.contains('critical') ? '*' : ''}`).sort());
      assert.deepEqual(edges, ['customers>revenue', 'revenue>report', 'stats>report', 'tickets>report*']);
      assert.match(await graph.locator('.dag-summary').innerText(), /5 steps in 3 levels · critical path [\d.]+ m?s: tickets → report/);

      // A node click selects the step's span: details show it, the timeline row is selected, the node too.
      await graph.locator('.dag-node[data-step="tickets"]').click();
      await frame.locator('.dag-node.selected[data-step="tickets"]').waitFor({ timeout: 10_000 });
      const details = frame.locator('section.details');
      await details.locator('h2', { hasText: 'step' }).waitFor({ timeout: 10_000 });
      assert.match(await details.locator('pre.json').first().innerText(), /"name": "tickets"/);
      assert.match(await frame.locator('.tl-row.selected .tl-label').first().innerText(), /^step · name tickets/);

      // The panel on its own, wide, for the screenshot.
      await tryCommand(wb, 'View: Close Primary Side Bar');
      await tryCommand(wb, 'View: Single Column Editor Layout');
      await wb.page.locator('.tabs-container .tab', { hasText: 'ToolWeaver Trace' }).first().click();
      frame = await waitForTracePanel(wb, path.basename(SCRIPT));
      await frame.locator('.dag-node.selected[data-step="tickets"]').waitFor({ timeout: 10_000 });
      await clearNotifications(wb);
      await screenshotWebview(wb, frame, path.join(uiContext().resultsDir, 'panel-dag.png'));
      await wb.assertNoXss();

      // High contrast: the node text must stay readable (name and duration against the node box).
      const settings = path.join(uiContext().workspace, '.vscode', 'settings.json');
      mkdirSync(path.dirname(settings), { recursive: true });
      writeFileSync(settings, JSON.stringify({ 'workbench.colorTheme': 'Default High Contrast' }));
      try {
        frame = await waitForTracePanel(wb, path.basename(SCRIPT));
        await frame.waitForFunction(() => document.body.classList.contains('vscode-high-contrast'), undefined, { timeout: 30_000 });
        await frame.waitForTimeout(500);
        const colours = await frame.locator('.dag-node[data-step="stats"]').evaluate((g) => ({
          box: getComputedStyle(g.querySelector('.dag-box')!).fill,
          name: getComputedStyle(g.querySelector('.dag-name')!).fill,
          dur: getComputedStyle(g.querySelector('.dag-dur')!).fill,
        }));
        console.log(`dag node colours in high contrast: ${JSON.stringify(colours)}`);
        assert.notEqual(colours.name, colours.box);
        assert.notEqual(colours.dur, colours.box);
        await screenshotWebview(wb, frame, path.join(uiContext().resultsDir, 'panel-dag-hc.png'));
      } finally {
        rmSync(settings, { force: true });
      }
    } finally {
      await wb.close();
    }
  }, { timeoutMs: 240_000 });
});
