// The user's journey through the UI: demo catalog → Tools tree → open a script → Run Script from the
// palette → the trace panel's timeline, span details and token account → the Runs tree; with
// screenshots for CI and the README, and the Run Script → trace shown time as a BENCH line.
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Frame } from 'playwright-core';
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

  test('a narrow column and three themes: compact header, a timeline sized to its spans, AA contrast', async () => {
    // Its own copy of the workspace: the theme is a workspace setting.
    const folder = mkdtempSync(path.join(tmpdir(), 'tw-ui-themes-'));
    cpSync(uiContext().workspace, folder, { recursive: true });
    const settings = path.join(folder, '.vscode', 'settings.json');
    mkdirSync(path.dirname(settings), { recursive: true });
    // The panel opens beside the editor with the side bar open: a ~330-390 px column, as the issue saw it.
    const wb = await openWorkbench({ folder, viewport: { width: 1050, height: 900 } });
    try {
      await wb.runCommand('ToolWeaver: Use the Demo Catalog', { timeoutMs: 60_000 });
      await wb.openViewContainer('ToolWeaver');
      await waitForRow(wb, 'Tools', 'the demo server, connected', (r) => r.label === 'demo' && /connected/.test(r.description));
      await wb.openFile(SCRIPT);
      await wb.runCommand('ToolWeaver: Run Script');
      let frame = await waitForTracePanel(wb, SCRIPT_NAME);
      await clearNotifications(wb);

      const layout = await frame.evaluate(() => {
        const q = (sel: string) => document.querySelector(sel) as HTMLElement | null;
        const rows = Number(q('.timeline-spacer')?.style.height.replace('px', '') ?? 0) / 22;
        const viewport = q('.timeline-viewport')!.getBoundingClientRect();
        const details = q('section.details')!.getBoundingClientRect();
        const tokens = q('section.tokens')!.getBoundingClientRect();
        return { width: document.body.clientWidth, innerHeight: window.innerHeight, header: q('.run-header')!.getBoundingClientRect().height, sticky: getComputedStyle(q('.run-header')!).position, rows, viewport: viewport.height, detailsBottom: details.bottom, tokensTop: tokens.top };
      });
      console.log(`panel layout: ${JSON.stringify(layout)}`);
      assert.ok(layout.width <= 560, `the panel is a narrow column here (${layout.width} px)`);
      assert.ok(layout.header <= 150, `compact header in a narrow column: ${layout.header} px (was ~230)`);
      assert.equal(layout.sticky, 'static', 'the header does not stick in a narrow column');
      assert.ok(layout.viewport <= Math.min(layout.rows * 22, layout.innerHeight * 0.46) + 3, `the timeline box sizes to its ${layout.rows} rows (capped at 46vh): ${layout.viewport} px`);
      assert.ok(layout.tokensTop - layout.detailsBottom < 40, `the token account follows the details without a gap: ${layout.tokensTop - layout.detailsBottom} px`);
      await screenshotWebview(wb, frame, path.join(uiContext().resultsDir, 'panel-narrow.png'));

      const themes = [
        { name: 'Default Light Modern', kind: 'vscode-light', shot: 'panel-light.png' },
        { name: 'Default Dark Modern', kind: 'vscode-dark', shot: 'panel-dark.png' },
        { name: 'Default High Contrast', kind: 'vscode-high-contrast', shot: 'panel-hc.png' },
      ];
      const failures: string[] = [];
      for (const theme of themes) {
        writeFileSync(settings, JSON.stringify({ 'workbench.colorTheme': theme.name }));
        frame = await waitForTracePanel(wb, SCRIPT_NAME);
        await frame.waitForFunction((kind) => document.body.classList.contains(kind), theme.kind, { timeout: 30_000 });
        await frame.waitForTimeout(500); // the theme's CSS variables land with the class
        const measured = await measureContrast(frame);
        console.log(`contrast ${theme.name}: ${measured.map((m) => `${m.selector} ${m.ratio.toFixed(2)}${m.kind === 'bar' ? ' (bar)' : ''}`).join(', ')}`);
        for (const m of measured) {
          const need = m.kind === 'text' ? 4.5 : 3;
          if (m.ratio < need) failures.push(`${theme.name}: ${m.selector} ${m.ratio.toFixed(2)}:1 < ${need}:1 (${m.fg} on ${m.bg}: "${m.sample}")`);
        }
        for (const want of ['.status-badge', '.stat-label', '.tl-bar.helper-retry', '.bar-fill.classic']) assert.ok(measured.some((m) => m.selector === want), `${theme.name}: measured ${want}`);
        await screenshotWebview(wb, frame, path.join(uiContext().resultsDir, theme.shot));
      }
      assert.deepEqual(failures, [], failures.join('\n'));
    } finally {
      await wb.close();
    }
  }, { timeoutMs: 300_000 });
});

/** WCAG contrast of the panel's text (4.5:1 needed) and bars (3:1, non-text) against what is behind them. */
async function measureContrast(frame: Frame): Promise<Array<{ selector: string; kind: 'text' | 'bar'; ratio: number; fg: string; bg: string; sample: string }>> {
  return frame.evaluate(() => {
    type Rgba = [number, number, number, number];
    const canvas = document.createElement('canvas').getContext('2d')!;
    const parse = (css: string): Rgba => {
      // Any CSS colour (also color-mix results such as "color(srgb …)") through a 1x1 canvas.
      canvas.clearRect(0, 0, 1, 1);
      canvas.fillStyle = '#000';
      canvas.fillStyle = css;
      canvas.fillRect(0, 0, 1, 1);
      const [r, g, b, a] = canvas.getImageData(0, 0, 1, 1).data;
      return [r!, g!, b!, a! / 255];
    };
    const over = (top: Rgba, under: Rgba): Rgba => [0, 1, 2].map((i) => top[i]! * top[3] + under[i]! * (1 - top[3])).concat(1) as Rgba;
    const backgroundOf = (el: Element | null): Rgba => {
      const layers: Rgba[] = [];
      for (let e = el; e; e = e.parentElement) {
        const c = parse(getComputedStyle(e).backgroundColor);
        if (c[3] > 0) layers.push(c);
        if (c[3] >= 1) break;
      }
      let bg: Rgba = layers.length && layers[layers.length - 1]![3] >= 1 ? layers.pop()! : parse(getComputedStyle(document.documentElement).backgroundColor);
      while (layers.length) bg = over(layers.pop()!, bg);
      return bg;
    };
    const lum = (c: Rgba) => {
      const ch = (v: number) => {
        const s = v / 255;
        return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
      };
      return 0.2126 * ch(c[0]) + 0.7152 * ch(c[1]) + 0.0722 * ch(c[2]);
    };
    const ratio = (a: Rgba, b: Rgba) => {
      const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p) as [number, number];
      return (x + 0.05) / (y + 0.05);
    };
    const css = (c: Rgba) => `rgb(${c.slice(0, 3).map((v) => Math.round(v)).join(',')})`;
    const text = ['.status-badge', '.script-name', '.stat-value', '.stat-label', '.run-title', 'h2', '.muted', '.tl-label', '.tl-dur', '.timeline-axis', '.compare-label', '.compare-value', '.verdict', '.token-table td', '.savings span', '.session-totals', '.link', 'button.secondary'];
    const bars = ['.tl-bar.tool', '.tl-bar.helper', '.tl-bar.helper-retry', '.tl-bar.helper-attempt', '.tl-bar.helper-dag', '.tl-bar.helper-step', '.bar-fill.classic', '.bar-fill.codemode'];
    const out: Array<{ selector: string; kind: 'text' | 'bar'; ratio: number; fg: string; bg: string; sample: string }> = [];
    const visible = (el: Element) => {
      const r = el.getBoundingClientRect();
      return r.width > 0 && r.height > 0 && !el.closest('.tl-row.selected');
    };
    for (const selector of text) {
      let worst: (typeof out)[number] | undefined;
      for (const el of Array.from(document.querySelectorAll(selector)).filter(visible).slice(0, 30)) {
        const bg = backgroundOf(el);
        const fg = over(parse(getComputedStyle(el).color), bg);
        const r = ratio(fg, bg);
        if (!worst || r < worst.ratio) worst = { selector, kind: 'text', ratio: r, fg: css(fg), bg: css(bg), sample: (el.textContent ?? '').trim().slice(0, 30) };
      }
      if (worst) out.push(worst);
    }
    for (const selector of bars) {
      let worst: (typeof out)[number] | undefined;
      for (const el of Array.from(document.querySelectorAll(selector)).filter(visible).slice(0, 30)) {
        const bg = backgroundOf(el.parentElement);
        const style = getComputedStyle(el);
        const fill = parse(style.backgroundColor);
        const fg = over([fill[0], fill[1], fill[2], fill[3] * Number(style.opacity)], bg);
        const r = ratio(fg, bg);
        if (!worst || r < worst.ratio) worst = { selector, kind: 'bar', ratio: r, fg: css(fg), bg: css(bg), sample: el.getAttribute('title') ?? '' };
      }
      if (worst) out.push(worst);
    }
    return out;
  });
}
