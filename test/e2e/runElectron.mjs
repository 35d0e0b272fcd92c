// `npm run test:e2e:electron`: the same extension-host suite (out/e2e/extension-tests.js) in a
// desktop VS Code downloaded by @vscode/test-electron — for machines that can download VS Code.
// Not used by `npm test`: the CI machines here cannot download it (getaddrinfo ENOTFOUND), so
// run.mjs runs the suite in code-server instead. Same extensionDevelopmentPath/extensionTestsPath
// contract, so a test that passes in one passes in the other. Needs a display (use xvfb-run on Linux).
// Env: VSCODE_VERSION (default 'stable'), TOOLWEAVER_E2E_GREP, KEEP_DATA.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runTests } from '@vscode/test-electron';
import { bundleE2e } from './lib/bundle.mjs';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

async function main() {
  if (process.env.TOOLWEAVER_SKIP_BUILD !== '1') {
    const r = spawnSync(process.execPath, ['esbuild.mjs'], { cwd: REPO, stdio: 'inherit' });
    if (r.status !== 0) throw new Error(`build failed: node esbuild.mjs exited ${r.status ?? r.signal}`);
  }
  const { extensionTests } = await bundleE2e(REPO);
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'tw-e2e-electron-'));
  const workspace = path.join(tmp, 'workspace');
  cpSync(path.join(REPO, 'test/e2e/workspace'), workspace, { recursive: true });
  try {
    await runTests({
      version: process.env.VSCODE_VERSION ?? 'stable',
      extensionDevelopmentPath: REPO,
      extensionTestsPath: extensionTests,
      extensionTestsEnv: { TOOLWEAVER_E2E_REPO: REPO, TOOLWEAVER_E2E_TMP: tmp },
      launchArgs: [
        workspace,
        '--disable-extensions', // other installed extensions; the development one still loads
        '--disable-workspace-trust',
        '--user-data-dir', path.join(tmp, 'user'),
        '--extensions-dir', path.join(tmp, 'ext'),
      ],
    });
  } finally {
    if (process.env.KEEP_DATA) console.log(`[e2e] KEEP_DATA: left ${tmp}`);
    else rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((e) => {
  const msg = e instanceof Error ? e.message : String(e);
  const offline = /ENOTFOUND|EAI_AGAIN|ECONNREFUSED/.test(msg);
  console.error(`[e2e electron] ${msg}${offline ? '\nThis machine cannot download VS Code; run the same suite in code-server: npm run test:e2e' : ''}`);
  process.exit(1);
});
