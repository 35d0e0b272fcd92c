// `npm run test:e2e` (and the last step of `npm test`): the e2e suite in a real VS Code.
// setup (cached installs) -> build (dist/ + out/e2e test bundles) -> start code-server ->
// (a) extension-host tests through the smoke-test-driver payload, (b) UI tests with playwright-core
// + Debian chromium -> stop everything. Exit 0 only if both phases ran and passed.
// Env: TOOLWEAVER_E2E_ONLY=ext|ui|vsix, TOOLWEAVER_E2E_GREP=<substring>, TOOLWEAVER_SKIP_BUILD=1,
//      VERBOSE=1 (workbench/ext-host chatter, installer output), KEEP_DATA=1 (keep temp dirs),
//      TOOLWEAVER_E2E_TIMEOUT_MS (whole run, default 15 min), TOOLWEAVER_E2E_CACHE (see setup.mjs).
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { bundleE2e } from './lib/bundle.mjs';
import { cleanupDataDir, startCodeServer } from './lib/codeServer.mjs';
import { CHROMIUM_ARGS, runExtensionTests, workbenchUrl } from './lib/extensionTests.mjs';
import { installVsix } from './lib/installVsix.mjs';
import { setup } from './setup.mjs';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const ONLY = process.env.TOOLWEAVER_E2E_ONLY;
const TOTAL_TIMEOUT_MS = Number(process.env.TOOLWEAVER_E2E_TIMEOUT_MS ?? 15 * 60_000);
const EXT_TIMEOUT_MS = Number(process.env.TOOLWEAVER_E2E_EXT_TIMEOUT_MS ?? 5 * 60_000);
const t0 = Date.now();
const timings = {};
const secs = (ms) => `${(ms / 1000).toFixed(1)}s`;
const log = (msg) => console.log(`[e2e ${secs(Date.now() - t0)}] ${msg}`);

/** Things to undo at the end, newest first; run once on success, failure, timeout or signal. */
const cleanups = [];
let cleaning;
function cleanupAll() {
  cleaning ??= (async () => {
    for (const fn of cleanups.reverse()) await fn().catch((e) => console.error(`[e2e] cleanup: ${e}`));
  })();
  return cleaning;
}
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(sig, () => {
    console.error(`[e2e] ${sig}: stopping code-server and chromium`);
    void cleanupAll().finally(() => process.exit(130));
  });
}

/** Copies the seed workspace (test/e2e/workspace) into a fresh temp folder. */
function freshWorkspace(root, name) {
  const dir = path.join(root, name);
  const seed = path.join(REPO, 'test/e2e/workspace');
  if (existsSync(seed)) cpSync(seed, dir, { recursive: true });
  else mkdirSync(dir, { recursive: true });
  return dir;
}

async function step(name, fn) {
  const s = Date.now();
  try {
    return await fn();
  } finally {
    timings[name] = Date.now() - s;
  }
}

async function main() {
  const tools = await step('setup', () => setup());

  const bundles = await step('build', async () => {
    if (process.env.TOOLWEAVER_SKIP_BUILD !== '1') {
      const r = spawnSync(process.execPath, ['esbuild.mjs'], { cwd: REPO, stdio: 'inherit' });
      if (r.status !== 0) throw new Error(`build failed: node esbuild.mjs exited ${r.status ?? r.signal}`);
    }
    return bundleE2e(REPO);
  });
  log(`built; ${bundles.extensionTestFiles.length} extension test file(s), ${bundles.uiTestFiles.length} UI test file(s)`);

  const tmp = mkdtempSync(path.join(os.tmpdir(), 'tw-e2e-'));
  cleanups.push(async () => cleanupDataDir(tmp));
  const server = await step('code-server start', () =>
    startCodeServer({
      node24: tools.node24,
      codeServer: tools.codeServer,
      dataDir: path.join(tmp, 'code-server'),
      workspace: freshWorkspace(tmp, 'workspace-start'),
      // Inherited by the extension host: where the tests find the repo and the run's temp root.
      env: { TOOLWEAVER_E2E_REPO: REPO, TOOLWEAVER_E2E_TMP: tmp },
    }),
  );
  cleanups.push(() => server.stop());
  log(`code-server ${server.url} (pgid ${server.pgid}, data ${server.dataDir})`);

  const chromeHome = path.join(tmp, 'chromium-home');
  const browser = await chromium.launch({
    executablePath: tools.chromium,
    headless: true,
    args: CHROMIUM_ARGS,
    // Our signal handlers close the browser and then stop code-server and remove the temp dir;
    // playwright's own would exit(130) before that.
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
    // keep chromium's crashpad/dconf files out of the real $HOME
    env: { ...process.env, HOME: chromeHome, XDG_CONFIG_HOME: `${chromeHome}/.config`, XDG_CACHE_HOME: `${chromeHome}/.cache` },
  });
  cleanups.push(() => browser.close());

  const results = [];
  let harnessError = false;
  if (!ONLY || ONLY === 'vsix') {
    log('the .vsix, installed as a user installs it:');
    const r = await step('vsix install', async () => installVsix({ repo: REPO, node24: tools.node24, codeServer: tools.codeServer, dir: path.join(tmp, 'vsix') }));
    log(`  ${r.ok ? 'ok' : 'FAILED'}: ${r.detail}`);
    results.push({ phase: 'vsix install', ok: r.ok, detail: `${r.ok ? 1 : 0} passed, ${r.ok ? 0 : 1} failed (${r.detail})` });
  }
  if (ONLY !== 'ui' && ONLY !== 'vsix') {
    log('extension-host tests:');
    const r = await step('extension tests', () =>
      runExtensionTests(browser, server, {
        extensionDevelopmentPath: REPO,
        extensionTestsPath: bundles.extensionTests,
        folder: freshWorkspace(tmp, 'workspace-ext'),
        timeoutMs: EXT_TIMEOUT_MS,
      }),
    );
    const counts = r.passed === undefined ? 'no result line' : `${r.passed} passed, ${r.failed} failed`;
    const ok = r.code === 0 && r.passed !== undefined && r.failed === 0;
    if (r.code === 'timeout' || r.passed === undefined) harnessError = true;
    results.push({ phase: 'extension host', ok, detail: `exit ${r.code}, ${counts}` });
  }
  if (ONLY !== 'ext' && ONLY !== 'vsix') {
    log('UI tests:');
    const ui = await import(pathToFileURL(bundles.uiTests).href);
    const sum = await step('UI tests', () =>
      ui.run({
        browser,
        baseUrl: server.url,
        repo: REPO,
        workspace: freshWorkspace(tmp, 'workspace-ui'),
        resultsDir: path.join(REPO, 'test-results'),
        workbenchUrl: (o) => workbenchUrl(server, o),
        startTrustingServer: async () => {
          const trusting = await startCodeServer({
            node24: tools.node24,
            codeServer: tools.codeServer,
            dataDir: mkdtempSync(path.join(tmp, 'code-server-trust-')),
            workspace: freshWorkspace(tmp, `workspace-trust-${Date.now()}`),
            env: { TOOLWEAVER_E2E_REPO: REPO, TOOLWEAVER_E2E_TMP: tmp },
            workspaceTrust: true,
            // No startup prompt: an unknown folder opens in Restricted Mode, as after "Don't Trust".
            settings: { 'security.workspace.trust.startupPrompt': 'never', 'security.workspace.trust.banner': 'never' },
          });
          cleanups.push(() => trusting.stop());
          return { baseUrl: trusting.url, workbenchUrl: (o) => workbenchUrl(trusting, o), stop: () => trusting.stop() };
        },
      }),
    );
    const ok = sum.failed === 0 && (sum.passed > 0 || !!process.env.TOOLWEAVER_E2E_GREP);
    results.push({ phase: 'UI', ok, detail: `${sum.passed} passed, ${sum.failed} failed` });
  }

  const failed = results.filter((r) => !r.ok);
  if (failed.length && (harnessError || process.env.VERBOSE)) {
    console.log(`--- code-server log tail (${server.logFile}) ---\n${server.logTail(40)}`);
  }
  await step('teardown', () => cleanupAll());
  console.log(`\n[e2e] timings: ${Object.entries(timings).map(([k, v]) => `${k} ${secs(v)}`).join(', ')}; total ${secs(Date.now() - t0)}`);
  for (const r of results) console.log(`[e2e] ${r.ok ? 'PASS' : 'FAIL'} ${r.phase}: ${r.detail}`);
  return failed.length === 0 && results.length > 0 ? 0 : 1;
}

const watchdog = setTimeout(() => {
  console.error(`[e2e] timed out after ${secs(TOTAL_TIMEOUT_MS)} (TOOLWEAVER_E2E_TIMEOUT_MS); stopping everything.`);
  void cleanupAll().finally(() => process.exit(2));
}, TOTAL_TIMEOUT_MS);
watchdog.unref();

main().then(
  (code) => {
    process.exitCode = code;
  },
  async (e) => {
    console.error(`[e2e] harness error: ${e instanceof Error ? e.message : e}`);
    if (process.env.VERBOSE && e instanceof Error) console.error(e.stack);
    await cleanupAll();
    process.exitCode = 2;
  },
).finally(() => clearTimeout(watchdog));
