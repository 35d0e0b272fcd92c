// Installs what the e2e suite needs, once, into a cache: Debian packages (chromium, the compilers
// and krb5 headers code-server's native modules build with), Node 24 from the npm package `node@24`,
// and `code-server` (VS Code's server + web workbench) installed by npm running on that Node 24.
// Invariant: a second run with the same versions installs nothing (stamp file keyed by versions).
// Usage: node test/e2e/setup.mjs            (or import { setup } from './setup.mjs')
// Env: TOOLWEAVER_E2E_CACHE (default ~/.cache/toolweaver-e2e), VERBOSE=1 (show installer output).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { cleanChildEnv } from '../../scripts/lib/childEnv.mjs';

/** Versions the harness is built and measured against. Bump here; the stamp forces a reinstall. */
export const NODE_SPEC = '24';
export const CODE_SERVER_VERSION = '4.139.1';
export const APT_PACKAGES = ['chromium', 'libkrb5-dev', 'g++', 'make', 'python3', 'pkg-config'];
export const CHROMIUM_PATH = process.env.CHROMIUM ?? '/usr/bin/chromium';
const STAMP_SCHEMA = 1;
const LOCK_STALE_MS = 20 * 60_000;

/** @returns {string} the cache folder (created on demand). */
export function cacheDir() {
  return process.env.TOOLWEAVER_E2E_CACHE ?? path.join(os.homedir(), '.cache', 'toolweaver-e2e');
}

class SetupError extends Error {
  /** @param {string} step @param {string} message */
  constructor(step, message) {
    super(`e2e setup failed at step "${step}": ${message}`);
    this.name = 'SetupError';
    this.step = step;
  }
}

const verbose = () => !!process.env.VERBOSE;
const log = (msg) => console.log(`[e2e setup] ${msg}`);

/** Runs a command; on failure throws a SetupError naming the step and showing the output tail. */
function sh(step, cmd, args, { env, hint } = {}) {
  if (verbose()) log(`$ ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, {
    env: cleanChildEnv(process.env, env),
    stdio: verbose() ? 'inherit' : 'pipe',
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.error) throw new SetupError(step, `could not start ${cmd}: ${r.error.message}. ${hint ?? ''}`);
  if (r.status !== 0) {
    const out = `${r.stdout ?? ''}\n${r.stderr ?? ''}`.trim().split('\n').slice(-25).join('\n');
    throw new SetupError(step, `\`${cmd} ${args.join(' ')}\` exited ${r.status ?? r.signal}.\n${out}\n${hint ?? ''}`);
  }
  return r.stdout ?? '';
}

/** Debian packages not installed yet (dpkg -s per package; ~10 ms each). */
function missingAptPackages() {
  return APT_PACKAGES.filter((p) => {
    const r = spawnSync('dpkg-query', ['-W', '-f=${Status}', p], { encoding: 'utf8' });
    return r.status !== 0 || !r.stdout.includes('install ok installed');
  });
}

function ensureAptPackages() {
  const missing = missingAptPackages();
  if (missing.length === 0) return 'present';
  const hint = 'Install them yourself (as root): apt-get update && apt-get install -y --no-install-recommends ' + APT_PACKAGES.join(' ');
  const isRoot = process.getuid?.() === 0;
  const sudo = isRoot ? [] : ['sudo', '-n'];
  if (!isRoot && spawnSync('sudo', ['-n', 'true']).status !== 0) {
    throw new SetupError('apt', `missing Debian packages ${missing.join(', ')} and no root/sudo to install them. ${hint}`);
  }
  const run = (args) => {
    const [cmd, ...rest] = [...sudo, ...args];
    sh('apt', cmd, rest, { env: { DEBIAN_FRONTEND: 'noninteractive' }, hint });
  };
  log(`installing Debian packages: ${missing.join(' ')}`);
  run(['apt-get', 'update', '-qq']);
  run(['apt-get', 'install', '-y', '-qq', '--no-install-recommends', ...missing]);
  const still = missingAptPackages();
  if (still.length) throw new SetupError('apt', `still missing after install: ${still.join(', ')}. ${hint}`);
  return `installed ${missing.join(' ')}`;
}

/** Where npm's `node` package puts the platform binary package (hoisted or nested). */
function findNodePkg(prefix) {
  const arch = { x64: 'x64', arm64: 'arm64' }[process.arch] ?? process.arch;
  const name = `node-${process.platform}-${arch}`;
  for (const dir of [
    path.join(prefix, 'node_modules', 'node', 'node_modules', name),
    path.join(prefix, 'node_modules', name),
  ]) {
    if (existsSync(path.join(dir, 'bin', 'node'))) return dir;
  }
  return undefined;
}

function codeServerEntry(prefix) {
  return path.join(prefix, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
}

/** npm args that never read the machine's audit/fund/update settings or print progress. */
const NPM_QUIET = ['--no-audit', '--no-fund', '--no-update-notifier', '--loglevel=error'];

/**
 * Simple cross-process lock (mkdir is atomic) so two concurrent `npm test` runs on one machine
 * don't install into the same cache at once.
 */
async function withLock(dir, fn) {
  const lock = path.join(dir, '.lock');
  const t0 = Date.now();
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch (e) {
      if (e.code !== 'EEXIST') throw e;
      const age = Date.now() - statSync(lock, { throwIfNoEntry: false })?.mtimeMs;
      if (age > LOCK_STALE_MS) rmSync(lock, { recursive: true, force: true });
      else if (Date.now() - t0 > LOCK_STALE_MS) throw new SetupError('lock', `${lock} held for too long; remove it if no setup is running.`);
      else await new Promise((r) => setTimeout(r, 1000));
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/**
 * @typedef {object} E2eTools
 * @property {string} node24      absolute path of the Node 24 binary
 * @property {string} node24Dir   its package dir (bin/ + include/ headers)
 * @property {string} codeServer  absolute path of code-server's out/node/entry.js
 * @property {string} chromium    absolute path of the chromium binary
 * @property {string} cache       the cache folder
 * @property {Record<string, number>} timings  seconds per step
 */

/**
 * Makes sure everything is installed; returns the paths. Idempotent: with a valid stamp it only
 * checks the Debian packages (dpkg) and that the files exist.
 * @returns {Promise<E2eTools>}
 */
export async function setup() {
  const cache = cacheDir();
  mkdirSync(cache, { recursive: true });
  const nodePrefix = path.join(cache, `node${NODE_SPEC}`);
  const csPrefix = path.join(cache, `code-server-${CODE_SERVER_VERSION}`);
  const stampFile = path.join(cache, 'vscode-host.stamp.json');
  const key = `${STAMP_SCHEMA}|node@${NODE_SPEC}|code-server@${CODE_SERVER_VERSION}|${process.platform}-${process.arch}`;
  const timings = {};
  const time = async (name, fn) => {
    const t0 = Date.now();
    const what = await fn();
    timings[name] = (Date.now() - t0) / 1000;
    log(`${name}: ${what} (${timings[name].toFixed(1)}s)`);
  };
  const t0 = Date.now();

  return withLock(cache, async () => {
    await time('apt', async () => ensureAptPackages());
    if (!existsSync(CHROMIUM_PATH)) throw new SetupError('chromium', `${CHROMIUM_PATH} not found; install the Debian package chromium or set CHROMIUM.`);

    const stamp = existsSync(stampFile) ? JSON.parse(readFileSync(stampFile, 'utf8')) : undefined;
    const fresh = stamp?.key === key && findNodePkg(nodePrefix) && existsSync(codeServerEntry(csPrefix));

    let node24Dir = findNodePkg(nodePrefix);
    if (fresh && node24Dir) {
      log(`cache hit (${key}) in ${cache}`);
    } else {
      await time('node24', async () => {
        sh('node24', 'npm', ['i', '--prefix', nodePrefix, ...NPM_QUIET, `node@${NODE_SPEC}`], {
          hint: 'Check that the npm registry is reachable (npm ping).',
        });
        node24Dir = findNodePkg(nodePrefix);
        if (!node24Dir) throw new SetupError('node24', `npm installed node@${NODE_SPEC} but no bin/node under ${nodePrefix}.`);
        return sh('node24', path.join(node24Dir, 'bin', 'node'), ['--version']).trim();
      });
      await time('code-server', async () => {
        // npm must RUN on Node 24 (code-server's postinstall checks the npm user agent) and node-gyp
        // must compile against Node 24's headers (~/.npmrc may point nodedir at the system Node).
        sh('code-server', 'npm', ['i', '--prefix', csPrefix, ...NPM_QUIET, `code-server@${CODE_SERVER_VERSION}`], {
          env: {
            PATH: `${path.join(node24Dir, 'bin')}${path.delimiter}${process.env.PATH}`,
            npm_config_nodedir: node24Dir,
            JOBS: process.env.JOBS ?? 'max', // node-gyp: make -j<cores> for the native modules
          },
          hint: 'Native modules (kerberos) need g++, make, python3 and libkrb5-dev; rerun with VERBOSE=1 for the full log.',
        });
        if (!existsSync(codeServerEntry(csPrefix))) throw new SetupError('code-server', `${codeServerEntry(csPrefix)} missing after install.`);
        return `code-server@${CODE_SERVER_VERSION}`;
      });
      writeFileSync(stampFile, JSON.stringify({ key, installedAt: new Date().toISOString(), timings }, null, 2));
    }
    timings.total = (Date.now() - t0) / 1000;
    log(`ready in ${timings.total.toFixed(1)}s`);
    return {
      node24: path.join(node24Dir, 'bin', 'node'),
      node24Dir,
      codeServer: codeServerEntry(csPrefix),
      chromium: CHROMIUM_PATH,
      cache,
      timings,
    };
  });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  setup().then(
    (t) => console.log(JSON.stringify({ node24: t.node24, codeServer: t.codeServer, chromium: t.chromium, timings: t.timings }, null, 2)),
    (e) => {
      console.error(e instanceof SetupError ? e.message : e);
      process.exit(1);
    },
  );
}
