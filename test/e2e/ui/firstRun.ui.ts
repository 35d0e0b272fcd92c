// A newcomer's first ten minutes (issue "6 of 10"): an empty folder shows the welcome and writes
// nothing, the demo → New Script (a read-only call) → Run → panel → Runs; a multi-root workspace
// whose Tools view names the file each server comes from; an untrusted folder where nothing is
// spawned, created or offered to run (Restricted Mode, on a second code-server with trust on). Screenshots go to test-results/first-run-*.png.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { suite, test } from '../runner';
import { uiContext } from './context';
import { clearNotifications, quickInputClosed, waitForRow, waitForTracePanel } from './journey';
import { openWorkbench, type Workbench } from './workbench';

/** A fresh folder next to the suite's workspace (inside the run's temp dir, removed afterwards). */
function freshFolder(name: string): string {
  const dir = path.join(path.dirname(uiContext().workspace), `${name}-${Date.now()}`);
  mkdirSync(dir, { recursive: true });
  return dir;
}

function listAll(dir: string): string[] {
  return readdirSync(dir, { recursive: true }).map(String).sort();
}

const welcome = (wb: Workbench, view: string) => wb.view(view).locator('.welcome-view-content');
const serverScript = (pkg: string) => path.join(uiContext().repo, 'node_modules', '@modelcontextprotocol', pkg, 'dist', 'index.js');

suite('first run (UI)', () => {
  test('empty folder → welcome, nothing written → demo → New Script → Run → panel → Runs', async () => {
    const folder = freshFolder('first-run');
    const wb = await openWorkbench({ folder, viewport: { width: 1400, height: 900 } });
    try {
      await wb.openViewContainer('ToolWeaver');
      const tools = welcome(wb, 'Tools');
      await tools.getByText('No MCP servers are configured for this workspace yet', { exact: false }).waitFor({ timeout: 60_000 });
      await tools.locator('.monaco-button', { hasText: 'Use the Demo Catalog' }).waitFor({ timeout: 10_000 });
      await welcome(wb, 'Runs').getByText('No runs yet', { exact: false }).waitFor({ timeout: 20_000 });
      await clearNotifications(wb);
      await wb.screenshot('first-run-welcome', wb.page.locator('.part.sidebar'));
      await wb.screenshot('first-run-welcome-window');
      // The sidebar is open and the catalog settled: still nothing in the user's folder.
      await wb.page.waitForTimeout(3000);
      assert.deepEqual(listAll(folder), [], 'opening the sidebar in an empty folder wrote files');

      await tools.locator('.monaco-button', { hasText: 'Use the Demo Catalog' }).click();
      await waitForRow(wb, 'Tools', 'the demo server, connected', (r) => r.label === 'demo' && /connected/.test(r.description));

      // New Script from the Runs view's welcome: a name, then the editor with a read-only call.
      await welcome(wb, 'Runs').locator('.monaco-button', { hasText: 'New Script' }).click();
      const input = wb.page.locator('.quick-input-widget input');
      await input.waitFor({ state: 'visible', timeout: 20_000 });
      await input.fill('first');
      await wb.page.keyboard.press('Enter');
      await quickInputClosed(wb);
      await wb.page.locator('.tabs-container .tab', { hasText: 'first.tw.ts' }).first().waitFor({ timeout: 20_000 });
      const file = path.join(folder, '.toolweaver', 'scripts', 'first.tw.ts');
      const text = readFileSync(file, 'utf8');
      assert.match(text, /const result = await tools\.demo\.(\w+)\(/, text);
      const called = /tools\.demo\.(\w+)\(/.exec(text)![1]!;
      assert.ok(!/^(create|update|delete|send|close)_/.test(called), `the template calls ${called}, which is not read-only`);

      await wb.runCommand('ToolWeaver: Run Script');
      const frame = await waitForTracePanel(wb, 'first.tw.ts');
      assert.match(await frame.locator('.status-badge').first().innerText(), /Succeeded/);
      await waitForRow(wb, 'Runs', 'the run of first.tw.ts', (r) => r.level === 1 && r.label === 'first.tw.ts');
      await clearNotifications(wb);
      await wb.screenshot('first-run-panel');
      await wb.assertNoXss();
    } finally {
      await wb.close();
    }
  }, { timeoutMs: 240_000 });

  test('multi-root: both folders\' mcp.json and the workspace file, each server with its origin', async () => {
    const root = freshFolder('multi-root');
    const a = path.join(root, 'api');
    const b = path.join(root, 'web');
    const node = process.execPath;
    for (const [dir, name, pkg] of [[a, 'everything', 'server-everything'], [b, 'memory', 'server-memory']] as const) {
      mkdirSync(path.join(dir, '.vscode'), { recursive: true });
      writeFileSync(path.join(dir, '.vscode', 'mcp.json'), JSON.stringify({ servers: { [name]: { type: 'stdio', command: node, args: [serverScript(pkg)] } } }, null, 2));
    }
    const wsFile = path.join(root, 'team.code-workspace');
    writeFileSync(wsFile, JSON.stringify({
      folders: [{ path: 'api' }, { path: 'web' }],
      settings: { mcp: { servers: { files: { type: 'stdio', command: node, args: [serverScript('server-filesystem'), root] } } } },
    }, null, 2));
    const wb = await openWorkbench({ workspaceFile: wsFile, viewport: { width: 1400, height: 900 } });
    try {
      await wb.openViewContainer('ToolWeaver');
      const want = { everything: 'api/.vscode/mcp.json', memory: 'web/.vscode/mcp.json', files: 'team.code-workspace' };
      // Servers open expanded and the tree is virtualized: collapse them so every server row renders.
      const collapseAll = async () => {
        await wb.view('Tools').locator('.pane-header').first().hover();
        await wb.view('Tools').locator('.pane-header .codicon-collapse-all').first().click({ force: true }).catch(() => undefined);
      };
      for (const [server, origin] of Object.entries(want)) {
        const { row } = await waitForRow(wb, 'Tools', `${server} from ${origin}`, (r) => {
          if (r.level === 2) void collapseAll();
          return r.level === 1 && r.label === server && /connected/.test(r.description);
        }, 90_000);
        assert.ok(row.description.startsWith(`${origin} · connected`), `${server}: ${row.description}`);
      }
      await collapseAll();
      await clearNotifications(wb);
      await wb.screenshot('first-run-multi-root', wb.page.locator('.part.sidebar'));
    } finally {
      await wb.close();
    }
  }, { timeoutMs: 180_000 });

  test('untrusted folder: no server spawned, no folder created, no run offered, the trust action in both views', async () => {
    const server = await uiContext().startTrustingServer();
    const folder = freshFolder('untrusted');
    const marker = path.join(folder, 'spawned.txt');
    mkdirSync(path.join(folder, '.vscode'), { recursive: true });
    // A server that would leave a file behind if anything started it.
    writeFileSync(path.join(folder, '.vscode', 'mcp.json'), JSON.stringify({ servers: { spy: { type: 'stdio', command: process.execPath, args: ['-e', `require('fs').writeFileSync(${JSON.stringify(marker)}, 'x')`] } } }));
    mkdirSync(path.join(folder, 'scripts'));
    writeFileSync(path.join(folder, 'scripts', 'hello.tw.ts'), "export default async function main() {\n  return 'hi';\n}\n");
    const before = listAll(folder);
    const wb = await openWorkbench({ folder, workbenchUrl: server.workbenchUrl });
    try {
      await wb.openViewContainer('ToolWeaver');
      await welcome(wb, 'Tools').getByText('This workspace is not trusted', { exact: false }).waitFor({ timeout: 60_000 });
      await welcome(wb, 'Runs').getByText('Scripts do not run in an untrusted workspace', { exact: false }).waitFor({ timeout: 20_000 });
      for (const view of ['Tools', 'Runs']) await welcome(wb, view).locator('.monaco-button', { hasText: 'Manage Workspace Trust' }).waitFor({ timeout: 5000 });
      assert.equal(await welcome(wb, 'Runs').locator('.monaco-button', { hasText: 'Run Script' }).count(), 0, 'the Runs view offers Run Script');
      await wb.openFile('scripts/hello.tw.ts');
      await wb.page.waitForTimeout(3000);
      assert.equal(await wb.page.locator('.codelens-decoration', { hasText: /Run/ }).count(), 0, 'a Run CodeLens is shown');
      assert.equal(await wb.page.locator('.editor-actions [aria-label*="Run Script"]').count(), 0, 'the editor title offers Run Script');
      // The palette hides Run Script (the command itself, from a keybinding or another extension, is refused with a Manage Workspace Trust action).
      await wb.page.keyboard.press('F1');
      const input = wb.page.locator('.quick-input-widget input');
      await input.fill('>ToolWeaver: Run Script');
      await wb.page.waitForTimeout(1000);
      const offered = await wb.page.locator('.quick-input-list .monaco-list-row', { hasText: 'ToolWeaver: Run Script' }).count();
      await wb.page.keyboard.press('Escape');
      assert.equal(offered, 0, 'the palette offers Run Script in an untrusted folder');
      await wb.screenshot('first-run-untrusted');
      assert.equal(existsSync(marker), false, 'an MCP server was spawned in an untrusted folder');
      assert.deepEqual(listAll(folder), before, 'ToolWeaver created files in an untrusted folder');
    } finally {
      await wb.close();
      await server.stop();
    }
  }, { timeoutMs: 180_000 });
});
