// Installs the .vsix that `npm run package` builds into code-server the way a user installs it
// (`--install-extension file.vsix`), then checks VS Code lists it and that the installed files run.
// Invariant: uses its own extensions dir, so the development-path tests are not affected.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { buildVsix } from '../../../scripts/buildVsix.mjs';
import { cleanChildEnv } from '../../../scripts/lib/childEnv.mjs';

/**
 * @param {{ repo: string, node24: string, codeServer: string, dir: string }} opts
 * @returns {{ ok: boolean, detail: string }}
 */
export function installVsix({ repo, node24, codeServer, dir }) {
  const { version, publisher, name } = JSON.parse(readFileSync(path.join(repo, 'package.json'), 'utf8'));
  mkdirSync(dir, { recursive: true });
  const vsix = buildVsix(path.join(dir, 'toolweaver.vsix'));
  const extDir = path.join(dir, 'extensions');
  const home = path.join(dir, 'home');
  mkdirSync(home, { recursive: true });
  const env = cleanChildEnv(process.env, { HOME: home, XDG_CONFIG_HOME: path.join(home, '.config'), XDG_DATA_HOME: path.join(home, '.local/share') });
  const cs = (...args) =>
    spawnSync(node24, [codeServer, '--user-data-dir', path.join(dir, 'user'), '--extensions-dir', extDir, ...args], { env, encoding: 'utf8', timeout: 120_000 });
  const installed = cs('--install-extension', vsix.file);
  if (installed.status !== 0) return { ok: false, detail: `--install-extension exited ${installed.status ?? installed.signal}: ${installed.stderr || installed.stdout}` };
  const listed = cs('--list-extensions', '--show-versions');
  const id = `${publisher}.${name}@${version}`;
  if (!listed.stdout.split('\n').some((l) => l.trim() === id)) return { ok: false, detail: `${id} not listed after install: ${listed.stdout.trim()}` };
  // The installed copy runs alone under the Node VS Code's extension host uses.
  const cli = path.join(extDir, `${publisher}.${name}-${version}`, 'dist', 'cli.js');
  const demo = spawnSync(node24, [cli, 'demo', '--json'], { cwd: home, env, encoding: 'utf8', timeout: 120_000 });
  let ok = false;
  try {
    ok = demo.status === 0 && JSON.parse(demo.stdout).ok === true;
  } catch {
    ok = false;
  }
  if (!ok) return { ok: false, detail: `the installed CLI failed (exit ${demo.status}): ${demo.stderr.slice(0, 500)}` };
  return { ok: true, detail: `${id} installed from ${(vsix.bytes / 1e6).toFixed(2)} MB .vsix, listed, its CLI ran the demo` };
}
