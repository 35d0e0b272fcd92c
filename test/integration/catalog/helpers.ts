// Shared helpers for catalog integration tests: reference server paths, free ports, an
// HTTP server-everything bound to 127.0.0.1, and process liveness checks.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(__dirname, '../../..');
const mcp = (pkg: string): string => path.join(root, 'node_modules/@modelcontextprotocol', pkg, 'dist/index.js');

export const EVERYTHING = mcp('server-everything');
export const FILESYSTEM = mcp('server-filesystem');
export const MEMORY = mcp('server-memory');
export const RAW_SERVER = path.join(root, 'test/fixtures/catalog/rawServer.mjs');
export const BIND_LOCALHOST = path.join(root, 'test/fixtures/catalog/bindLocalhost.cjs');
export const NODE = process.execPath;

export function tempDir(prefix = 'tw-catalog-'): string {
  return mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

export interface HttpServer {
  url: string;
  child: ChildProcess;
  kill(): Promise<void>;
}

/** Starts server-everything in Streamable HTTP (or legacy SSE) mode on 127.0.0.1 and waits until it listens. */
export async function startEverythingHttp(mode: 'streamableHttp' | 'sse' = 'streamableHttp'): Promise<HttpServer> {
  const port = await freePort();
  const child = spawn(NODE, ['--require', BIND_LOCALHOST, EVERYTHING, mode], {
    env: { PATH: process.env.PATH ?? '', PORT: String(port) },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  child.stderr?.resume();
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (await canConnect(port)) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    url: `http://127.0.0.1:${port}/${mode === 'sse' ? 'sse' : 'mcp'}`,
    child,
    kill: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGKILL');
      }),
  };
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

/** True when a process with this pid exists and is not a zombie. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    // A zombie waits only for its reaper; it is not running anymore.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.split(') ')[1]?.[0] !== 'Z';
  } catch {
    return false;
  }
}

export const signal = (): AbortSignal => new AbortController().signal;
