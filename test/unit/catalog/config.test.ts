import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { inputEnvName, parseMcpConfigText, parseServers } from '../../../src/core/catalog/config';
import { parseDotenv } from '../../../src/core/catalog/envFile';
import { JsoncSyntaxError, parseJsonc } from '../../../src/core/catalog/jsonc';
import { ConfigError } from '../../../src/core/errors';

const ctx = { file: '/ws/.vscode/mcp.json', workspaceFolder: '/ws', env: { HOME: '/home/me', TOKEN: 'env-token-1' } };

async function configError(text: string, extra: Partial<typeof ctx> & { inputs?: () => Promise<string | undefined> } = {}): Promise<ConfigError> {
  const err = await parseMcpConfigText(text, { ...ctx, ...extra }).catch((e: unknown) => e);
  if (!(err instanceof ConfigError)) throw new Error(`expected a ConfigError, got ${String(err)}`);
  return err;
}

describe('parseJsonc (jsonc-parser, as VS Code reads its files)', () => {
  it('accepts comments and trailing commas but never touches strings', () => {
    const text = '{\n // c\n "a": "http://x//y", /* b */ "b": [1, 2,],\n "c": "/* no */ ,}",\n}';
    expect(parseJsonc(text)).toEqual({ a: 'http://x//y', b: [1, 2], c: '/* no */ ,}' });
  });
  it('handles escaped quotes inside strings', () => {
    expect(parseJsonc('{"a": "say \\"hi\\" // not a comment",}')).toEqual({ a: 'say "hi" // not a comment' });
  });
  it('accepts a UTF-8 byte-order mark, as VS Code does', () => {
    expect(parseJsonc('\uFEFF{ "servers": {} }')).toEqual({ servers: {} });
  });
  it('keeps keys named like Object.prototype members as own properties', () => {
    const v = parseJsonc('{ "servers": { "__proto__": { "command": "x" }, "constructor": { "command": "y" } } }') as { servers: Record<string, unknown> };
    expect(Object.keys(v.servers)).toEqual(['__proto__', 'constructor']);
    expect(Object.getPrototypeOf(v.servers)).toBe(Object.prototype);
  });
  it('names the line and column of the first syntax error', () => {
    let err: unknown;
    try {
      parseJsonc('{\n  "servers": {\n    "a": { "command": "x" }\n    "b": {}\n  }\n}');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(JsoncSyntaxError);
    expect(err).toMatchObject({ line: 4, column: 5 });
    expect((err as Error).message).toMatch(/comma expected .* at line 4, column 5/);
  });
  it('reads deep nesting, and a hostile depth is a syntax error, not a crash', () => {
    expect(parseJsonc('['.repeat(500) + ']'.repeat(500))).toBeInstanceOf(Array);
    expect(() => parseJsonc('['.repeat(200_000) + ']'.repeat(200_000))).toThrow(JsoncSyntaxError);
  });
});

describe('parseMcpConfigText', () => {
  it('parses stdio (type omitted) and http servers with substitution', async () => {
    const parsed = await parseMcpConfigText(
      JSON.stringify({
        inputs: [{ type: 'promptString', id: 'key', description: 'The key', password: true }],
        servers: {
          fs: { command: 'node', args: ['${workspaceFolder}/srv.js', '${env:HOME}'], env: { KEY: '${input:key}', N: 3, GONE: null }, cwd: 'sub' },
          web: { type: 'http', url: 'https://api.example.com/mcp', headers: { Authorization: 'Bearer ${env:TOKEN}' } },
          old: { type: 'sse', url: 'http://127.0.0.1:9/sse' },
        },
      }),
      { ...ctx, inputs: async (id) => (id === 'key' ? 'input-secret' : undefined) },
    );
    expect(parsed.servers).toEqual({
      fs: { type: 'stdio', command: 'node', args: ['/ws/srv.js', '/home/me'], env: { KEY: 'input-secret', N: '3' }, cwd: '/ws/sub' },
      web: { type: 'http', url: 'https://api.example.com/mcp', headers: { Authorization: 'Bearer env-token-1' } },
      old: { type: 'sse', url: 'http://127.0.0.1:9/sse', headers: {} },
    });
    expect(parsed.secrets.values.sort()).toEqual(['Bearer env-token-1', 'input-secret']);
  });

  it('asks for each input once', async () => {
    let asked = 0;
    await parseMcpConfigText(JSON.stringify({ servers: { a: { command: 'x', args: ['${input:k}', '${input:k}'] } } }), { ...ctx, inputs: async () => (asked++, 'v') });
    expect(asked).toBe(1);
  });

  it('names the field of a bad value', async () => {
    const err = await configError('{"servers":{"github":{"command":""}}}');
    expect([err.code, err.field, err.file]).toEqual(['config_invalid', 'servers.github.command', '/ws/.vscode/mcp.json']);
    const err2 = await configError('{"servers":{"a":{"command":"x","args":[1]}}}');
    expect(err2.field).toBe('servers.a.args.0');
    const err3 = await configError('{"servers":{"w":{"type":"http","url":"ftp://x"}}}');
    expect(err3.field).toBe('servers.w.url');
    const err4 = await configError('{"servers": 5}');
    expect(err4.field).toBe('servers');
  });

  it('rejects unknown types and servers with neither command nor url', async () => {
    expect((await configError('{"servers":{"s":{"type":"ws","url":"ws://x"}}}')).code).toBe('unknown_server_type');
    const err = await configError('{"servers":{"s":{"args":[]}}}');
    expect([err.code, err.field]).toEqual(['unknown_server_type', 'servers.s.type']);
  });

  it('a missing input is input_missing naming the input and where to pass it', async () => {
    const err = await configError('{"servers":{"s":{"command":"x","env":{"T":"${input:api-token}"}}}}', { inputs: async () => undefined });
    expect(err.code).toBe('input_missing');
    expect(err.field).toBe('servers.s.env.T');
    expect(err.message).toContain('"api-token"');
    expect(err.message).toContain('TOOLWEAVER_INPUT_API_TOKEN');
  });

  it('invalid JSON is config_invalid', async () => {
    expect((await configError('{"servers": {')).code).toBe('config_invalid');
  });

  it('reads envFile (configured env wins) and collects its values as secrets', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'tw-cfg-'));
    writeFileSync(path.join(dir, '.env'), '# c\nexport A="from file"\nB=plain # note\nC=override-me\n');
    const parsed = await parseServers({ s: { command: 'x', envFile: '${workspaceFolder}/.env', env: { C: 'configured' } } }, { workspaceFolder: dir, env: {} });
    expect(parsed.servers.s).toMatchObject({ env: { A: 'from file', B: 'plain', C: 'configured' }, envFile: path.join(dir, '.env') });
    expect(parsed.secrets.values.sort()).toEqual(['configured', 'from file', 'override-me', 'plain']);
    const err = await parseServers({ s: { command: 'x', envFile: 'missing.env' } }, { workspaceFolder: dir, env: {} }).catch((e: unknown) => e);
    expect(ConfigError.is(err, 'env_file_unreadable')).toBe(true);
  });
});

describe('helpers', () => {
  it('inputEnvName', () => {
    expect(inputEnvName('api-token')).toBe('TOOLWEAVER_INPUT_API_TOKEN');
  });
  it('parseDotenv', () => {
    expect(parseDotenv("A=1\nB='x y'\nbad line\n")).toEqual({ A: '1', B: 'x y' });
  });
});

describe('server names are data', () => {
  it('keeps servers called __proto__, constructor and toString', async () => {
    const parsed = await parseMcpConfigText('{ "servers": { "__proto__": { "command": "a" }, "constructor": { "command": "b" }, "toString": { "url": "http://127.0.0.1:1/mcp" } } }', ctx);
    expect(Object.keys(parsed.servers).sort()).toEqual(['__proto__', 'constructor', 'toString']);
    expect(Object.getPrototypeOf(parsed.servers)).toBeNull();
    expect(parsed.servers['__proto__']).toMatchObject({ type: 'stdio', command: 'a' });
  });
  it('rejects a servers value that is not an object', async () => {
    const err = await configError('{ "servers": [1] }');
    expect({ code: err.code, field: err.field }).toEqual({ code: 'config_invalid', field: 'servers' });
  });
});

describe('the toolweaver key of a server entry', () => {
  it('parses limits, the per-call timeout and the reply cap', async () => {
    const parsed = await parseMcpConfigText(
      '{ "servers": { "gh": { "url": "http://127.0.0.1:1/mcp", "toolweaver": { "rps": 2.5, "burst": 5, "maxConcurrency": 2, "toolCallTimeoutMs": 60000, "maxReplyBytes": 1048576 } }, "plain": { "command": "x" } } }',
      ctx,
    );
    expect(parsed.servers.gh?.settings).toEqual({ rps: 2.5, burst: 5, maxConcurrency: 2, toolCallTimeoutMs: 60000, maxReplyBytes: 1048576 });
    expect(parsed.servers.plain?.settings).toBeUndefined();
  });
  it('names the field of a bad or unknown setting', async () => {
    const bad = await configError('{ "servers": { "gh": { "command": "x", "toolweaver": { "maxConcurrency": 0 } } } }');
    expect({ code: bad.code, field: bad.field }).toEqual({ code: 'config_invalid', field: 'servers.gh.toolweaver.maxConcurrency' });
    const unknown = await configError('{ "servers": { "gh": { "command": "x", "toolweaver": { "rateLimit": 3 } } } }');
    expect(unknown.field).toBe('servers.gh.toolweaver');
    expect(unknown.message).toContain('rateLimit');
  });
});
