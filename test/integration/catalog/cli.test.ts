// `toolweaver catalog` through runCli: outputs, snapshot round trip and exit codes.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../src/cli/main';
import type { CliIo } from '../../../src/cli/command';
import { EVERYTHING, NODE, RAW_SERVER, tempDir } from './helpers';

async function cli(argv: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { out: (t) => out.push(t), err: (t) => err.push(t), cwd, env: { PATH: process.env.PATH, ...env } };
  const code = await runCli(['catalog', ...argv], io);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

function workspace(config: unknown): string {
  const dir = tempDir();
  mkdirSync(path.join(dir, '.vscode'));
  writeFileSync(path.join(dir, '.vscode', 'mcp.json'), JSON.stringify(config));
  return dir;
}

describe('toolweaver catalog', () => {
  it('lists servers and tools from .vscode/mcp.json, saves a snapshot that loads offline', async () => {
    const dir = workspace({ servers: { everything: { command: NODE, args: [EVERYTHING] } } });
    const r = await cli(['--save', 'snap.json'], dir);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/everything\s+connected\s+\d+ tool\(s\)/);
    expect(r.out).toMatch(/get_env\s+.+\[get-env\]/);
    expect(r.err).toContain('Saved the catalog');
    const saved = JSON.parse(readFileSync(path.join(dir, 'snap.json'), 'utf8')) as { version: number; servers: { name: string }[] };
    expect(saved.version).toBe(1);
    const offline = await cli(['--catalog', 'snap.json', '--json'], dir);
    expect(offline.code).toBe(0);
    const catalog = JSON.parse(offline.out) as { servers: { name: string; status: { state: string } }[] };
    expect(catalog.servers[0]).toMatchObject({ name: 'everything', status: { state: 'offline' } });
  });

  it('uses the embedded demo when there is no config, and says so', async () => {
    const r = await cli(['--json'], tempDir());
    expect(r.code).toBe(0);
    expect(r.err).toContain('embedded demo');
    const catalog = JSON.parse(r.out) as { servers: { name: string; source: string; tools: unknown[] }[] };
    expect(catalog.servers[0]).toMatchObject({ name: 'demo', source: 'demo' });
    expect(catalog.servers[0]?.tools.length).toBeGreaterThan(0);
  });

  it('takes inputs from --input and TOOLWEAVER_INPUT_<ID>', async () => {
    const dir = workspace({ servers: { raw: { command: NODE, args: [RAW_SERVER, '${input:mode}'], env: { K: '${input:api-key}' } } } });
    const missing = await cli([], dir);
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/Input "(mode|api-key)" .* has no value/);
    const r = await cli(['--input', 'mode=ok', '--json'], dir, { TOOLWEAVER_INPUT_API_KEY: 'k-123456' });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).servers[0].status).toEqual({ state: 'connected' });
  });

  it('exit 2 when every server failed (naming server and cause), 1 for usage errors', async () => {
    const dir = workspace({ servers: { gone: { command: 'tw-no-such-command' } } });
    const r = await cli([], dir);
    expect(r.code).toBe(2);
    expect(r.err).toContain('server "gone": command_not_found');
    expect((await cli(['--config', 'a', '--catalog', 'b'], dir)).code).toBe(1);
    expect((await cli(['--bogus'], dir)).code).toBe(1);
    const bad = await cli(['--config', 'missing.json'], dir);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('missing.json');
  });
});
