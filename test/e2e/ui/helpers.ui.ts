// Self-check of the UI helpers on a webview VS Code ships (the Markdown preview renders HTML by
// design): Quick Open, the palette, text search through nested webview iframes, and an XSS report
// that must see markup injected into a webview. If this fails, the helpers are blind, not the panel.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { suite, test } from '../runner';
import { uiContext } from './context';
import { openWorkbench } from './workbench';
import { xssCorpus } from './xss';

suite('UI helpers (self-check)', () => {
  test('find text in a webview and detect injected markup there', async () => {
    const sentinel = 'TOOLWEAVER-WEBVIEW-SENTINEL';
    // The <style> payload would hide the sentinel itself; the rest is enough to trip the detector.
    const corpus = xssCorpus('md').filter((p) => !p.startsWith('<style'));
    writeFileSync(path.join(uiContext().workspace, 'xss-corpus.md'), `# corpus\n\n${sentinel}\n\n${corpus.map((p) => `- ${p}`).join('\n')}\n`);
    const wb = await openWorkbench();
    try {
      await wb.openFile('xss-corpus.md');
      await wb.runCommand('Markdown: Open Preview to the Side');
      const frame = await wb.findInWebviews(sentinel, { timeoutMs: 30_000 });
      assert.notEqual(frame, wb.page.mainFrame());
      await wb.screenshot('helpers-markdown-preview');
      const report = await wb.xssReport();
      assert.ok(report.probes.some((p) => p.tags.includes('img')), `detector missed the injected <img>: ${JSON.stringify(report)}`);
      await assert.rejects(() => wb.assertNoXss(), /XSS payload became live/);
    } finally {
      await wb.close();
    }
  }, { timeoutMs: 120_000 });
});
