// The XSS corpus must stay inert everywhere ToolWeaver shows untrusted text: an MCP server
// (test/fixtures/xssServer.mjs) whose server name, tool names, titles and descriptions are payloads
// and whose tools echo payload arguments back; a script that logs payloads and returns one. The
// Tools tree (with a tooltip), the Runs tree and the trace panel (every span's details) render it,
// then no frame may show an executed payload, a dialog call or an injected element.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { assignIdentifiers } from '../../../src/core/catalog/identifiers';
import { suite, test } from '../runner';
import { uiContext } from './context';
import { clearNotifications, clickTimelineRow, screenshotWebview, waitForRow, waitForTracePanel } from './journey';
import { openWorkbench, type Workbench } from './workbench';
import { xssCorpus } from './xss';

const SCRIPT = '.toolweaver/scripts/xss.tw.ts';

/** Writes the XSS workspace: mcp.json for the fixture server and a script that calls every tool. */
function writeXssWorkspace(dir: string): { serverName: string; payloads: string[] } {
  const payloads = xssCorpus('panel');
  const serverName = xssCorpus('server')[0] as string; // <img … onerror> as the server's name
  const tools = [
    { name: `echo${payloads[0]}`, title: payloads[1], description: `${payloads[2]}\nEchoes its arguments.` },
    { name: `echo${payloads[2]}`, title: payloads[3], description: payloads[4] },
    { name: `echo${payloads[5]}`, title: payloads[6], description: payloads[7] },
    { name: `fail${payloads[8]}`, title: payloads[9], description: `${payloads[10]} Always fails.`, fails: true },
  ];
  const serverIdent = assignIdentifiers([serverName]).get(serverName) as string;
  const idents = assignIdentifiers(tools.map((t) => t.name));
  const call = (i: number) => `tools.${serverIdent}.${idents.get(tools[i]!.name) as string}`;
  mkdirSync(path.join(dir, '.vscode'), { recursive: true });
  mkdirSync(path.join(dir, path.dirname(SCRIPT)), { recursive: true });
  writeFileSync(
    path.join(dir, '.vscode', 'mcp.json'),
    JSON.stringify({
      servers: {
        [serverName]: {
          type: 'stdio',
          command: process.execPath,
          args: ['${env:TOOLWEAVER_E2E_REPO}/test/fixtures/xssServer.mjs'],
          env: { TOOLWEAVER_XSS_SPEC: JSON.stringify({ payloads: xssCorpus('server'), tools }) },
        },
      },
    }, null, 2),
  );
  writeFileSync(
    path.join(dir, SCRIPT),
    [
      '/// <reference path="../stubs/tools.d.ts" />',
      'export default async function main() {',
      `  const payloads: string[] = ${JSON.stringify(payloads)};`,
      '  for (const p of payloads) console.log(p);',
      "  console.warn(payloads.join(' | '));",
      `  const echoed = await map(payloads, (p) => ${call(0)}({ text: p, extra: { [p]: p } }), { concurrency: 3 });`,
      `  await retry(() => ${call(1)}({ text: payloads.join(''), extra: { list: payloads } }), { attempts: 2 });`,
      `  await dag({ a: () => ${call(2)}({ text: payloads.join('\\n') }), b: { deps: ['a'], run: () => payloads.length } });`,
      `  try { await ${call(3)}({ text: payloads.join(' ') }); } catch (e) { console.error(String(e)); }`,
      '  return `${echoed.length} echoed ${payloads.join(" ")}`;',
      '}',
    ].join('\n'),
  );
  return { serverName, payloads };
}

/** Answers approval dialogs ("Allow for This Run") until the panel shows a trace; returns their texts. */
async function approveUntilPanel(wb: Workbench, timeoutMs = 120_000): Promise<string[]> {
  const texts: string[] = [];
  const deadline = Date.now() + timeoutMs;
  const dialog = wb.page.locator('.monaco-dialog-box');
  const allow = dialog.locator('.monaco-button', { hasText: 'Allow for This Run' });
  for (;;) {
    if (await allow.isVisible()) {
      const text = await dialog.innerText();
      texts.push(text);
      await wb.assertNoXss();
      await allow.click();
      // Closed, or the next tool's dialog took its place.
      await wb.page.waitForFunction((prev) => {
        const d = document.querySelector<HTMLElement>('.monaco-dialog-box');
        return !d || d.innerText !== prev;
      }, text, { timeout: 10_000 });
      continue;
    }
    const shown = await wb.findInWebviews('Context tokens', { timeoutMs: 500 }).then(() => true, () => false);
    if (shown) return texts;
    if (Date.now() > deadline) throw new Error(`no trace panel within ${timeoutMs} ms (answered ${texts.length} approval dialogs)`);
  }
}

suite('trace panel XSS (UI)', () => {
  test('payloads in server/tool names, arguments, results and logs stay inert', async () => {
    const dir = path.join(path.dirname(uiContext().workspace), 'workspace-xss');
    const { serverName, payloads } = writeXssWorkspace(dir);
    const wb = await openWorkbench({ folder: dir, viewport: { width: 1400, height: 900 } });
    try {
      await wb.openViewContainer('ToolWeaver');
      // The server's name is shown verbatim (as text) with its state and tools.
      const { rows } = await waitForRow(wb, 'Tools', 'the XSS server, connected', (r) => r.label === serverName && /connected · 4 tools/.test(r.description), 120_000);
      assert.ok(rows.some((r) => r.description.includes(payloads[1]!)), `a tool's title (a payload) is shown as text: ${JSON.stringify(rows)}`);
      // A tool's tooltip is Markdown (description + original name): hover so it renders.
      await wb.view('Tools').locator('.monaco-list-row[aria-level="2"]').first().hover();
      await wb.page.locator('.monaco-hover, .workbench-hover').first().waitFor({ timeout: 15_000 }).catch(() => undefined);
      await wb.assertNoXss();

      await wb.openFile(SCRIPT);
      await wb.runCommand('ToolWeaver: Run Script');
      // The tools are not read-only, so VS Code asks before each one: those modal dialogs show the
      // payload names and arguments too. Check them, then allow for this run.
      const approvals = await approveUntilPanel(wb);
      assert.ok(approvals.length > 0 && approvals.every((a) => a.includes(serverName)), `approval dialogs: ${JSON.stringify(approvals)}`);
      const frame = await waitForTracePanel(wb, path.basename(SCRIPT));
      const body = await frame.evaluate(() => document.body.innerText);
      assert.ok(body.includes(payloads[0]!), 'the payloads are rendered as text (console / result)');
      await wb.assertNoXss(); // header, timeline, token account, result and console as first rendered
      // Every span's details (arguments, results, the failed call's error): click the first row, then
      // walk the virtualized list with the arrow key.
      const total = Number(/([\d,]+) spans/.exec(await frame.locator('section.timeline').innerText())?.[1]?.replace(/,/g, '') ?? '0');
      assert.ok(total >= 6, `timeline has ${total} spans`);
      await clickTimelineRow(frame, 0);
      const seen = new Set<string>();
      const titles: string[] = [];
      for (let i = 0; ; i++) {
        const id = (await frame.locator('.tl-row.selected').first().getAttribute('data-span-id')) ?? '';
        await frame.locator('section.details h2').first().waitFor({ timeout: 10_000 });
        seen.add(id);
        titles.push(await frame.locator('section.details').innerText());
        if (i >= total - 1) break;
        await frame.locator('.timeline-viewport').press('ArrowDown');
        await frame.waitForFunction((prev) => document.querySelector('.tl-row.selected')?.getAttribute('data-span-id') !== prev, id, { timeout: 10_000 });
      }
      assert.equal(seen.size, total, 'every span was selected once');
      assert.ok(titles.some((t) => t.includes(`${serverName}.fail`) && t.includes('failed on purpose')), 'the failed call shows its error');
      assert.ok(titles.some((t) => t.includes('Arguments') && t.includes(payloads[0]!)), 'arguments show the payloads as text');
      await wb.assertNoXss();

      const { row: run } = await waitForRow(wb, 'Runs', 'the XSS run', (r) => r.level === 1 && r.label === path.basename(SCRIPT));
      // Expand the run so span rows (named after the payload tools) render too.
      const runRow = wb.view('Runs').locator('.monaco-list-row[aria-level="1"]').first();
      if (run.expanded === false) await runRow.locator('.monaco-tl-twistie').click();
      await waitForRow(wb, 'Runs', 'span rows', (r) => r.level === 2);
      await clearNotifications(wb);
      await screenshotWebview(wb, frame, path.join(uiContext().resultsDir, 'panel-xss.png'));
      await wb.screenshot('workbench-xss');
      await wb.assertNoXss();
      assert.deepEqual(wb.pageErrors.filter((e) => /__xss/.test(e)), []);
    } catch (e) {
      const dialog = await wb.page.locator('.monaco-dialog-box').allInnerTexts().catch(() => []);
      await wb.screenshot('panel-xss-failure').catch(() => undefined);
      throw dialog.length ? new Error(`${String(e)}\nopen dialog: ${dialog.join(' | ')}`) : e;
    } finally {
      await wb.close();
    }
  }, { timeoutMs: 240_000 });
});
