// The workbench opens in chromium with ToolWeaver loaded from the repo, and we can see it.
import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import path from 'node:path';
import { suite, test } from '../runner';
import { uiContext } from './context';
import { contributedContainerTitles, openWorkbench } from './workbench';

suite('workbench (UI)', () => {
  test('opens with the development extension and takes a screenshot', async () => {
    const wb = await openWorkbench(); // waits for our activity-bar containers
    try {
      // An extensionDevelopmentPath window is an "Extension Development Host" on our folder.
      const folder = path.basename(uiContext().workspace);
      await wb.page.waitForFunction(
        (f) => document.title.includes('Extension Development Host') && document.title.includes(f),
        folder,
        { timeout: 20_000 },
      );
      for (const title of contributedContainerTitles()) assert.ok(await wb.activityBarItem(title).isVisible(), `activity bar lacks ${title}`);
      const file = await wb.screenshot('workbench');
      assert.ok(statSync(file).size > 10_000, `screenshot ${file} looks empty`);
      await wb.assertNoXss();
    } finally {
      await wb.close();
    }
  });
});
