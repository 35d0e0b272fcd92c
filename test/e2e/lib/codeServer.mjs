// Starts code-server (VS Code server + web workbench, real Node extension host) for the e2e suite:
// 127.0.0.1 on a free port, no auth, fresh user-data/extensions/HOME/XDG dirs, in its own process
// group. Invariant: stop() (and the process 'exit' hook) kill the whole group — no orphans.
import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { cleanChildEnv } from '../../../scripts/lib/childEnv.mjs';

/** Resolves a free TCP port on 127.0.0.1 (the kernel picks; tiny race until code-server binds). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = /** @type {net.AddressInfo} */ (srv.address());
      srv.close(() => resolve(port));
    });
  });
}

/**
 * User settings of every e2e window: quiet, offline, nothing opened on start, the secondary side
 * bar (chat) closed so screenshots show the editor area. Tests add theirs through the workspace
 * seed's .vscode/settings.json or startCodeServer's `settings`.
 */
export const DEFAULT_USER_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'git.openRepositoryInParentFolders': 'never',
};

/**
 * @typedef {object} CodeServer
 * @property {string} url       e.g. http://127.0.0.1:41234
 * @property {string} authority host:port, the remote authority of vscode-remote:// URIs
 * @property {number} pgid
 * @property {string} dataDir   temp dir holding user-data, extensions, HOME, XDG, the log
 * @property {string} logFile
 * @property {(p: string) => string} remoteUri  absolute server path -> vscode-remote:// URI
 * @property {(lines?: number) => string} logTail
 * @property {() => Promise<void>} stop  idempotent; SIGTERM the group, then SIGKILL
 */

/**
 * @param {{ node24: string, codeServer: string, dataDir: string, workspace: string,
 *   env?: Record<string, string>, settings?: Record<string, unknown>, startTimeoutMs?: number,
 *   workspaceTrust?: boolean }} opts  workspaceTrust: keep VS Code's workspace trust on (default off:
 *   every folder is trusted), for the untrusted-folder journeys.
 * @returns {Promise<CodeServer>}
 */
export async function startCodeServer(opts) {
  const { node24, codeServer, dataDir, workspace } = opts;
  const startTimeoutMs = opts.startTimeoutMs ?? 60_000;
  const dirs = ['user', 'ext', 'home', 'xdg/config', 'xdg/data', 'xdg/cache', 'xdg/state'].map((d) => path.join(dataDir, d));
  for (const d of dirs) mkdirSync(d, { recursive: true });
  mkdirSync(path.join(dataDir, 'user', 'User'), { recursive: true });
  writeFileSync(
    path.join(dataDir, 'user', 'User', 'settings.json'),
    JSON.stringify({ ...DEFAULT_USER_SETTINGS, ...opts.settings }, null, 2),
  );
  const logFile = path.join(dataDir, 'code-server.log');
  let lastError;
  for (let attempt = 1; attempt <= 3; attempt++) {
    const port = await freePort();
    const out = openSync(logFile, 'a');
    const child = spawn(
      node24,
      [
        codeServer,
        '--bind-addr', `127.0.0.1:${port}`,
        '--auth', 'none',
        '--user-data-dir', path.join(dataDir, 'user'),
        '--extensions-dir', path.join(dataDir, 'ext'),
        '--disable-telemetry', '--disable-update-check',
        ...(opts.workspaceTrust ? [] : ['--disable-workspace-trust']),
        '--disable-getting-started-override', '--ignore-last-opened',
        '--reconnection-grace-time', '10',
        // Without this a built workbench silently ignores the extension-development `payload`.
        '--vscode-option', 'enable-smoke-test-driver',
        workspace,
      ],
      {
        detached: true, // setsid: own process group, so the extension host etc. die with it
        stdio: ['ignore', out, out],
        // No npm_config_* etc. from `npm test`: the extension host must see a user's environment.
        env: cleanChildEnv(process.env, {
          HOME: path.join(dataDir, 'home'),
          XDG_CONFIG_HOME: path.join(dataDir, 'xdg/config'),
          XDG_DATA_HOME: path.join(dataDir, 'xdg/data'),
          XDG_CACHE_HOME: path.join(dataDir, 'xdg/cache'),
          XDG_STATE_HOME: path.join(dataDir, 'xdg/state'),
          // The machine's npm/node settings must not leak into the extension host.
          NODE_OPTIONS: '',
          ...opts.env,
        }),
      },
    );
    closeSync(out);
    const pgid = /** @type {number} */ (child.pid);
    let exited = false;
    child.on('exit', () => (exited = true));
    const killGroup = (sig) => {
      try {
        process.kill(-pgid, sig);
      } catch {
        /* already gone */
      }
    };
    const onExit = () => killGroup('SIGKILL');
    process.on('exit', onExit);
    let stopped = false;
    const server = {
      url: `http://127.0.0.1:${port}`,
      authority: `127.0.0.1:${port}`,
      pgid,
      dataDir,
      logFile,
      remoteUri: (p) => `vscode-remote://127.0.0.1:${port}${path.resolve(p)}`,
      logTail: (lines = 30) => {
        try {
          return readFileSync(logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
        } catch {
          return '(no code-server log)';
        }
      },
      stop: async () => {
        if (stopped) return;
        stopped = true;
        killGroup('SIGTERM');
        for (let i = 0; i < 20 && groupAlive(pgid); i++) await sleep(100);
        killGroup('SIGKILL');
        process.off('exit', onExit);
      },
    };
    const t0 = Date.now();
    while (Date.now() - t0 < startTimeoutMs && !exited) {
      if (await healthy(server.url)) return server;
      await sleep(200);
    }
    await server.stop();
    lastError = exited
      ? `code-server exited during startup (attempt ${attempt}, port ${port})`
      : `code-server did not answer /healthz within ${startTimeoutMs} ms`;
    if (!exited || !/EADDRINUSE/.test(server.logTail(50))) break; // only a port race is worth a retry
  }
  const tail = (() => {
    try {
      return readFileSync(logFile, 'utf8').trimEnd().split('\n').slice(-30).join('\n');
    } catch {
      return '';
    }
  })();
  throw new Error(`${lastError}.\n--- code-server log tail (${logFile}) ---\n${tail}`);
}

/** Removes the data dir unless KEEP_DATA is set (then says where it is). */
export function cleanupDataDir(dataDir) {
  if (process.env.KEEP_DATA) console.log(`[e2e] KEEP_DATA: left ${dataDir}`);
  else rmSync(dataDir, { recursive: true, force: true });
}

function groupAlive(pgid) {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

async function healthy(url) {
  try {
    const r = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2000) });
    return r.ok;
  } catch {
    return false;
  }
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
