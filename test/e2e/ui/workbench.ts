// Playwright helpers for UI tests against the VS Code web workbench (code-server) in headless
// chromium: open the workbench with our extension, run palette commands, find text in webviews
// (iframes inside iframes), read sidebar trees, screenshot into test-results/, check XSS stayed inert.
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { BrowserContext, Frame, Locator, Page } from 'playwright-core';
import { uiContext } from './context';
import { XSS_MARKER, XSS_PROBE_ATTR, xssInitScript, type XssReport } from './xss';

/** One rendered row of a sidebar tree (see {@link Workbench.readTreeRows}). */
export interface TreeRow {
  label: string;
  description: string;
  /** 1 for top-level items. */
  level: number;
  /** undefined for leaves. */
  expanded?: boolean;
  ariaLabel: string;
}

/** Options for {@link openWorkbench}. */
export interface OpenOptions {
  /** Folder to open (default: the suite's temp workspace). */
  folder?: string;
  /** A `.code-workspace` file to open instead of a folder (multi-root). */
  workspaceFile?: string;
  /** Another code-server's URL builder (e.g. uiContext().startTrustingServer()'s). */
  workbenchUrl?: (o: { folder: string; extensionDevelopmentPath?: string }) => string;
  /** Load the repo as extensionDevelopmentPath (default true). */
  withExtension?: boolean;
  viewport?: { width: number; height: number };
  timeoutMs?: number;
}

/** Titles of the activity-bar containers our manifest contributes (read from package.json now). */
export function contributedContainerTitles(repo = uiContext().repo): string[] {
  const manifest = JSON.parse(readFileSync(path.join(repo, 'package.json'), 'utf8')) as {
    contributes?: { viewsContainers?: { activitybar?: { title: string }[] } };
  };
  return (manifest.contributes?.viewsContainers?.activitybar ?? []).map((c) => c.title);
}

/** Opens the workbench in a fresh browser context and waits until it is rendered. */
export async function openWorkbench(opts: OpenOptions = {}): Promise<Workbench> {
  const ctx = uiContext();
  const context = await ctx.browser.newContext({ viewport: opts.viewport ?? { width: 1400, height: 900 } });
  await context.addInitScript(xssInitScript);
  const page = await context.newPage();
  const wb = new Workbench(context, page);
  const folderUrl = (opts.workbenchUrl ?? ctx.workbenchUrl)({
    folder: opts.workspaceFile ?? opts.folder ?? ctx.workspace,
    extensionDevelopmentPath: opts.withExtension === false ? undefined : ctx.repo,
  });
  // code-server opens a workspace file with ?workspace= (same value, another parameter).
  const url = opts.workspaceFile ? folderUrl.replace('/?folder=', '/?workspace=') : folderUrl;
  try {
    await page.goto(url, { waitUntil: 'domcontentloaded', timeout: opts.timeoutMs ?? 60_000 });
    await page.locator('.monaco-workbench').waitFor({ timeout: opts.timeoutMs ?? 60_000 });
    // The status bar fills in once the workbench has restored its parts.
    await page.locator('.statusbar').waitFor({ timeout: opts.timeoutMs ?? 60_000 });
    // Our contributions show up once the extension host has scanned the development extension.
    if (opts.withExtension !== false) {
      for (const title of contributedContainerTitles()) await wb.activityBarItem(title).waitFor({ timeout: opts.timeoutMs ?? 60_000 });
    }
  } catch (e) {
    await wb.screenshot('open-workbench-failure').catch(() => undefined);
    await wb.close();
    throw e;
  }
  return wb;
}

/** One workbench window. Always `close()` it (use try/finally). */
export class Workbench {
  /** Uncaught page errors seen so far (workbench + webviews). */
  readonly pageErrors: string[] = [];
  /** Real browser dialogs that opened (they are dismissed). */
  readonly dialogs: { frame: string; call: string }[] = [];

  constructor(readonly context: BrowserContext, readonly page: Page) {
    page.on('pageerror', (e) => this.pageErrors.push(String(e)));
    page.on('dialog', (d) => {
      this.dialogs.push({ frame: page.url(), call: `${d.type()}(${d.message()})` });
      void d.dismiss().catch(() => undefined);
    });
  }

  /**
   * Runs a command from the palette by its title as shown there (e.g. "ToolWeaver: Run Script").
   * Retries until the command shows up (the extension may still be activating).
   */
  async runCommand(title: string, opts: { timeoutMs?: number } = {}): Promise<void> {
    const { page } = this;
    const deadline = Date.now() + (opts.timeoutMs ?? 30_000);
    const input = page.locator('.quick-input-widget input');
    for (;;) {
      await page.keyboard.press('F1');
      await input.waitFor({ state: 'visible', timeout: 10_000 });
      await input.fill(`>${title}`);
      const row = page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
      const found = await row.waitFor({ timeout: 1500 }).then(() => true, () => false);
      if (found) {
        await row.click();
        return;
      }
      await page.keyboard.press('Escape');
      if (Date.now() > deadline) throw new Error(`command "${title}" never appeared in the palette`);
      await page.waitForTimeout(500);
    }
  }

  /** Every frame's visible text, webviews included (frames that can't be read are skipped). */
  async frameTexts(): Promise<{ frame: Frame; text: string }[]> {
    const out: { frame: Frame; text: string }[] = [];
    for (const frame of this.page.frames()) {
      const text = await frame.evaluate(() => document.body?.innerText ?? '').catch(() => '');
      out.push({ frame, text });
    }
    return out;
  }

  /**
   * Waits until some frame other than the workbench (i.e. a webview) shows `text`; returns it.
   * Use the frame for further checks: `frame.locator(...)`, `frame.evaluate(...)`.
   */
  async findInWebviews(text: string | RegExp, opts: { timeoutMs?: number } = {}): Promise<Frame> {
    const deadline = Date.now() + (opts.timeoutMs ?? 20_000);
    const hit = (t: string) => (typeof text === 'string' ? t.includes(text) : text.test(t));
    for (;;) {
      for (const { frame, text: t } of await this.frameTexts()) {
        if (frame !== this.page.mainFrame() && hit(t)) return frame;
      }
      if (Date.now() > deadline) throw new Error(`no webview showed ${String(text)} within ${opts.timeoutMs ?? 20_000} ms`);
      await this.page.waitForTimeout(250);
    }
  }

  /** The activity-bar entry whose label starts with `title`. */
  activityBarItem(title: string): Locator {
    return this.page.locator(`.activitybar .action-item [aria-label^="${title}"]`).first();
  }

  /** Opens a view container from the activity bar by its title (e.g. "ToolWeaver"). */
  async openViewContainer(title: string): Promise<void> {
    const item = this.activityBarItem(title);
    await item.waitFor({ timeout: 20_000 });
    const selected = await item.evaluate((el) => el.closest('.action-item')?.classList.contains('checked') ?? false);
    if (!selected) await item.click();
  }

  /** The pane (header + body) of a sidebar view by its title, e.g. "Tools". */
  view(title: string): Locator {
    return this.page.locator('.pane', { has: this.page.locator('.pane-header', { hasText: title }) }).first();
  }

  /**
   * Expands the view titled `viewTitle` if needed and returns its tree rows, top to bottom, once
   * at least `minRows` are rendered (tree items arrive asynchronously from the extension host).
   * Only rendered rows are returned (trees are virtualized: scroll or enlarge the viewport).
   */
  async readTreeRows(viewTitle: string, opts: { minRows?: number; timeoutMs?: number } = {}): Promise<TreeRow[]> {
    const pane = this.view(viewTitle);
    const header = pane.locator('.pane-header').first();
    await header.waitFor({ timeout: opts.timeoutMs ?? 20_000 });
    if ((await header.getAttribute('aria-expanded')) === 'false') await header.click();
    const deadline = Date.now() + (opts.timeoutMs ?? 20_000);
    for (;;) {
      const rows = await pane.locator('.monaco-list-row').evaluateAll((els) =>
        els.map((el) => {
          const text = (sel: string) => (el.querySelector(sel)?.textContent ?? '').replace(/\s+/g, ' ').trim();
          const expanded = el.getAttribute('aria-expanded');
          return {
            label: text('.label-name') || text('.monaco-tl-contents'),
            description: text('.label-description'),
            level: Number(el.getAttribute('aria-level') ?? '1'),
            expanded: expanded === null ? undefined : expanded === 'true',
            ariaLabel: el.getAttribute('aria-label') ?? '',
          };
        }),
      );
      if (rows.length >= (opts.minRows ?? 1)) return rows;
      if (Date.now() > deadline) throw new Error(`view "${viewTitle}" showed ${rows.length} rows, wanted ${opts.minRows ?? 1}`);
      await this.page.waitForTimeout(250);
    }
  }

  /**
   * Opens a workspace file in an editor through Quick Open (`relPath` relative to the folder) and
   * waits for its tab.
   */
  async openFile(relPath: string, opts: { timeoutMs?: number } = {}): Promise<void> {
    const { page } = this;
    const name = relPath.split('/').pop() ?? relPath;
    const deadline = Date.now() + (opts.timeoutMs ?? 20_000);
    const input = page.locator('.quick-input-widget input');
    for (;;) {
      await page.keyboard.press('F1');
      await input.waitFor({ state: 'visible', timeout: 10_000 });
      await input.fill(relPath); // no '>' prefix: file search
      const row = page.locator('.quick-input-list .monaco-list-row', { hasText: name }).first();
      if (await row.waitFor({ timeout: 2000 }).then(() => true, () => false)) {
        await row.click();
        break;
      }
      await page.keyboard.press('Escape');
      if (Date.now() > deadline) throw new Error(`Quick Open did not find ${relPath}`);
      await page.waitForTimeout(500);
    }
    await page.locator('.tabs-container .tab', { hasText: name }).first().waitFor({ timeout: 10_000 });
  }

  /** Texts of the visible notification toasts. */
  async notifications(): Promise<string[]> {
    return this.page.locator('.notification-toast .notification-list-item-message').allInnerTexts();
  }

  /**
   * Saves `test-results/<name>.png` (of `target` when given — e.g. `wb.view('Tools')` or
   * `wb.page.locator('.part.sidebar')` — else the page) and returns its path.
   */
  async screenshot(name: string, target?: Locator): Promise<string> {
    const dir = uiContext().resultsDir;
    mkdirSync(dir, { recursive: true });
    const file = path.join(dir, `${name}.png`);
    if (target) await target.screenshot({ path: file });
    else await this.page.screenshot({ path: file });
    return file;
  }

  /** Scans every frame for traces of an executed or injected XSS payload (see xss.ts). */
  async xssReport(): Promise<XssReport> {
    const report: XssReport = { markers: [], dialogs: [...this.dialogs], probes: [] };
    for (const frame of this.page.frames()) {
      const r = await frame
        .evaluate(
          ([marker, attr]) => {
            const w = window as unknown as Record<string, unknown>;
            return {
              marker: w[marker] === undefined ? undefined : String(w[marker]),
              dialogs: Array.isArray(w.__xssDialogs) ? (w.__xssDialogs as string[]) : [],
              tags: Array.from(document.querySelectorAll(`[${attr}]`)).map((e) => e.tagName.toLowerCase()),
            };
          },
          [XSS_MARKER, XSS_PROBE_ATTR] as const,
        )
        .catch(() => undefined);
      if (!r) continue;
      const where = frame.url().slice(0, 160);
      if (r.marker !== undefined) report.markers.push({ frame: where, value: r.marker });
      for (const call of r.dialogs) report.dialogs.push({ frame: where, call });
      if (r.tags.length) report.probes.push({ frame: where, tags: r.tags });
    }
    return report;
  }

  /** Throws with the details if any XSS payload executed or was parsed as markup. */
  async assertNoXss(): Promise<void> {
    const r = await this.xssReport();
    if (r.markers.length || r.dialogs.length || r.probes.length) {
      throw new Error(`XSS payload became live: ${JSON.stringify(r, null, 2)}`);
    }
  }

  /** Closes the browser context (idempotent). */
  async close(): Promise<void> {
    await this.context.close().catch(() => undefined);
  }
}
