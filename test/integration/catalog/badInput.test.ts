// Bad input and failing servers: each ends as a typed error or a server with status error, and
// never blocks the servers that work.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, ToolError } from '../../../src/core/errors';
import { loadCatalog } from '../../../src/core/catalog/loadCatalog';
import { NODE, RAW_SERVER, signal, tempDir } from './helpers';

function writeConfig(text: string): string {
  const dir = tempDir();
  mkdirSync(path.join(dir, '.vscode'));
  writeFileSync(path.join(dir, '.vscode', 'mcp.json'), text);
  return dir;
}

const raw = (mode: string): { command: string; args: string[] } => ({ command: NODE, args: [RAW_SERVER, mode] });

describe('configuration problems', () => {
  it('missing config without demo fallback is config_not_found', async () => {
    const err = await loadCatalog({ cwd: tempDir() }).catch((e: unknown) => e);
    expect(ConfigError.is(err, 'config_not_found')).toBe(true);
  });

  it('an explicit --config that does not exist is config_not_found naming the file', async () => {
    const dir = tempDir();
    const err = await loadCatalog({ cwd: dir, configFile: 'nope.json' }).catch((e: unknown) => e);
    expect(ConfigError.is(err, 'config_not_found')).toBe(true);
    expect((err as ConfigError).file).toBe(path.join(dir, 'nope.json'));
  });

  it('malformed mcp.json names the field', async () => {
    const dir = writeConfig('{ "servers": { "github": { "command": 42 } } }');
    const err = (await loadCatalog({ cwd: dir }).catch((e: unknown) => e)) as ConfigError;
    expect(ConfigError.is(err, 'config_invalid')).toBe(true);
    expect(err.field).toBe('servers.github.command');
    expect(err.file).toBe(path.join(dir, '.vscode', 'mcp.json'));
    expect(err.message).toContain('servers.github.command');
  });

  it('unknown server type is unknown_server_type', async () => {
    const dir = writeConfig('{ "servers": { "x": { "type": "websocket", "url": "ws://a" } } }');
    const err = (await loadCatalog({ cwd: dir }).catch((e: unknown) => e)) as ConfigError;
    expect(ConfigError.is(err, 'unknown_server_type')).toBe(true);
    expect(err.field).toBe('servers.x.type');
  });

  it('reads JSONC (comments, trailing commas) and resolves inputs through the provider', async () => {
    const dir = writeConfig(`{
      // a comment
      "inputs": [{ "type": "promptString", "id": "token", "description": "API token", "password": true }],
      "servers": {
        "raw": { "command": ${JSON.stringify(NODE)}, "args": [${JSON.stringify(RAW_SERVER)}, "ok"], "env": { "TOKEN": "\${input:token}" }, },
      },
    }`);
    const asked: string[] = [];
    const loaded = await loadCatalog({ cwd: dir, inputs: async (id, description, password) => (asked.push(`${id}|${description}|${password}`), 'tok-12345') });
    try {
      expect(asked).toEqual(['token|API token|true']);
      expect(loaded.origin).toBe('config');
      expect(loaded.configPath).toBe(path.join(dir, '.vscode', 'mcp.json'));
      expect(loaded.secrets.values).toEqual(['tok-12345']);
      expect(loaded.catalog.servers[0]?.status).toEqual({ state: 'connected' });
    } finally {
      await loaded.close();
    }
  });
});

describe('failing servers', () => {
  it('one bad server never blocks the others; each failure has its own code', async () => {
    const started = Date.now();
    const loaded = await loadCatalog({
      cwd: tempDir(),
      connectTimeoutMs: 1500,
      servers: {
        good: raw('ok'),
        missing: { command: 'tw-no-such-command-xyz', args: [] },
        exits: raw('exit'),
        hangs: raw('hang'),
        badtools: raw('bad-tools'),
        dup: raw('duplicate'),
      },
    });
    try {
      const elapsed = Date.now() - started;
      const status = Object.fromEntries(loaded.catalog.servers.map((s) => [s.name, s.status]));
      expect(status.good).toEqual({ state: 'connected' });
      expect(status.missing).toMatchObject({ state: 'error', code: 'command_not_found' });
      expect(status.exits).toMatchObject({ state: 'error', code: 'server_exited' });
      expect((status.exits as { message: string }).message).toContain('fatal: missing API key');
      expect((status.exits as { message: string }).message).toContain('code 3');
      expect(status.hangs).toMatchObject({ state: 'error', code: 'connect_timeout' });
      expect(status.badtools).toMatchObject({ state: 'error', code: 'invalid_tools_list' });
      expect((status.badtools as { message: string }).message).toContain('tools[1].inputSchema');
      expect((status.badtools as { message: string }).message).toContain('"badtools"');
      expect(status.dup).toMatchObject({ state: 'error', code: 'duplicate_name' });
      expect(elapsed).toBeLessThan(1500 + 2000); // parallel: bounded by the slowest timeout
      const err = await loaded.invoker.callTool({ server: 'hangs', tool: 'x', args: {} }, { signal: signal(), timeoutMs: 1000 }).catch((e: unknown) => e);
      expect(ToolError.is(err, 'server_unreachable')).toBe(true);
      expect(await loaded.invoker.callTool({ server: 'good', tool: 'echo', args: { a: 1 } }, { signal: signal(), timeoutMs: 2000 })).toEqual({ echoed: { a: 1 } });
    } finally {
      await loaded.close();
    }
  });

  it('follows nextCursor pages and collapses identical duplicates', async () => {
    const loaded = await loadCatalog({ cwd: tempDir(), servers: { paged: raw('paged'), same: raw('same-duplicate') } });
    try {
      expect(loaded.catalog.servers[0]?.tools.map((t) => t.name)).toEqual(['t0a', 't0b', 't1a', 't1b', 't2a', 't2b']);
      expect(loaded.catalog.servers[1]?.tools.map((t) => t.name)).toEqual(['dup', 'other']);
    } finally {
      await loaded.close();
    }
  });

  it('unknown servers and tools are unknown_tool with server and tool set', async () => {
    const loaded = await loadCatalog({ cwd: tempDir(), servers: { good: raw('ok') } });
    try {
      const a = (await loaded.invoker.callTool({ server: 'nope', tool: 'echo', args: {} }, { signal: signal(), timeoutMs: 1000 }).catch((e: unknown) => e)) as ToolError;
      expect(ToolError.is(a, 'unknown_tool')).toBe(true);
      expect([a.server, a.tool]).toEqual(['nope', 'echo']);
      const b = (await loaded.invoker.callTool({ server: 'good', tool: 'nope', args: {} }, { signal: signal(), timeoutMs: 1000 }).catch((e: unknown) => e)) as ToolError;
      expect(ToolError.is(b, 'unknown_tool')).toBe(true);
      expect(b.message).toContain('no tool "nope"');
    } finally {
      await loaded.close();
    }
  });
});
