// Runs VS Code extension tests (extensionDevelopmentPath + extensionTestsPath, the contract
// @vscode/test-electron uses) in code-server's real Node extension host: the web workbench, opened
// in headless chromium with the `payload` URL parameter, loads the test module in the extension
// host, forwards its console to window.codeAutomationLog and reports the exit code through
// window.codeAutomationExit(code). Needs code-server started with enable-smoke-test-driver.
import { format } from 'node:util';

// Workbench chatter that says nothing about our tests (offline marketplace, chat, accounts).
const NOISE = /ChatModelSelection|AgentHost|extensionquery|ENOTFOUND|getaddrinfo|AccountPolicyGate|open-vsx|marketplace|Long running operations during shutdown/i;

/** The first line test/e2e/suite/index.ts prints (keep in sync). */
export const SUITE_START = 'ToolWeaver e2e: extension-host suite';

/** Chromium flags for a quiet, offline, sandbox-less headless run (we run as root in CI). */
export const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-dev-shm-usage',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

/**
 * The workbench URL that opens `folder` and loads the development extension (and optionally the
 * tests) through the smoke-test-driver payload.
 * @param {{ url: string, remoteUri: (p: string) => string }} server
 * @param {{ folder: string, extensionDevelopmentPath?: string, extensionTestsPath?: string }} o
 */
export function workbenchUrl(server, o) {
  const payload = [['skipWelcome', 'true'], ['skipReleaseNotes', 'true']];
  if (o.extensionDevelopmentPath) payload.push(['extensionDevelopmentPath', server.remoteUri(o.extensionDevelopmentPath)]);
  if (o.extensionTestsPath) payload.push(['extensionTestsPath', server.remoteUri(o.extensionTestsPath)]);
  return `${server.url}/?folder=${encodeURIComponent(o.folder)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
}

/**
 * @param {import('playwright-core').Browser} browser
 * @param {{ url: string, remoteUri: (p: string) => string }} server
 * @param {{ extensionDevelopmentPath: string, extensionTestsPath: string, folder: string,
 *   timeoutMs: number, print?: (line: string) => void }} o
 * @returns {Promise<{ code: number | 'timeout', passed?: number, failed?: number, ms: number }>}
 */
export async function runExtensionTests(browser, server, o) {
  const print = o.print ?? ((l) => console.log(l));
  const t0 = Date.now();
  const context = await browser.newContext();
  let summary;
  try {
    const page = await context.newPage();
    let done;
    const result = new Promise((r) => (done = r));
    // Until our suite prints its first line, workbench start-up chatter is only kept (and shown
    // if the suite never starts); from then on, every non-noise line is forwarded.
    let started = false;
    let finished = false; // after the summary line only shutdown chatter follows
    const early = [];
    await page.exposeFunction('codeAutomationLog', (type, args) => {
      const line = format(...(Array.isArray(args) ? args : [args]));
      const text = type === 'log' || type === 'info' ? line : `[${type}] ${line}`;
      if (!started && line.includes(SUITE_START)) {
        started = true;
        print(`(suite started ${((Date.now() - t0) / 1000).toFixed(1)}s after opening the workbench)`);
      }
      const m = /^(\d+) passed, (\d+) failed/m.exec(line);
      if (process.env.VERBOSE) print(`[${((Date.now() - t0) / 1000).toFixed(1)}s] ${text}`);
      else if (finished) return;
      else if (!started) {
        if (early.length < 300) early.push(text);
      } else if (!NOISE.test(line) && type !== 'debug') print(text);
      if (m && started) {
        summary = { passed: Number(m[1]), failed: Number(m[2]) };
        finished = true;
      }
    });
    await page.exposeFunction('codeAutomationExit', (code) => done(code));
    if (process.env.VERBOSE) page.on('pageerror', (e) => print(`[pageerror] ${String(e).slice(0, 300)}`));
    const timer = setTimeout(() => done('timeout'), o.timeoutMs);
    await page.goto(workbenchUrl(server, o), { waitUntil: 'domcontentloaded', timeout: o.timeoutMs });
    const code = await result;
    clearTimeout(timer);
    if (!started && !process.env.VERBOSE) print(`--- workbench console (the suite never started) ---\n${early.join('\n')}`);
    return { code, ...summary, ms: Date.now() - t0 };
  } finally {
    await context.close().catch(() => {});
  }
}
