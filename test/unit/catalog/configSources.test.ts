import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { mcpConfigSources, userMcpJsonPath } from '../../../src/core/catalog/configSources';
import { parseMcpConfigValue } from '../../../src/core/catalog/config';
import { ConfigError } from '../../../src/core/errors';

const folders = [
  { name: 'api', uri: 'file:///w/api', path: '/w/api' },
  { name: 'web', uri: 'file:///w/web', path: '/w/web' },
  { name: 'docs', uri: 'file:///w/docs', path: '/w/docs' },
];
const files = new Set(['/w/api/.vscode/mcp.json', '/w/web/.vscode/mcp.json', '/home/u/.config/Code/User/mcp.json'].map((f) => path.normalize(f)));
const exists = (f: string) => files.has(path.normalize(f));

describe('MCP configuration sources', () => {
  it('lists every folder with an mcp.json, the workspace file, then the user file, in VS Code precedence', () => {
    const sources = mcpConfigSources({ folders, workspaceFile: { path: '/w/team.code-workspace', mcp: { servers: {} } }, userMcpJson: '/home/u/.config/Code/User/mcp.json', exists });
    expect(sources.map((s) => [s.id, s.kind, s.label, s.workspaceFolder])).toEqual([
      ['folder:file:///w/api', 'folder', 'api/.vscode/mcp.json', '/w/api'],
      ['folder:file:///w/web', 'folder', 'web/.vscode/mcp.json', '/w/web'],
      ['workspace-file', 'workspace-file', 'team.code-workspace', '/w/api'],
      ['user', 'user', 'user mcp.json', '/w/api'],
    ]);
    expect(sources[2]!.value).toEqual({ servers: {} });
    expect(new Set(sources.map((s) => s.id)).size).toBe(sources.length);
  });

  it('a single folder keeps the short label; missing files and a workspace file without mcp are left out', () => {
    const sources = mcpConfigSources({ folders: [folders[0]!], workspaceFile: { path: '/w/x.code-workspace', mcp: undefined }, userMcpJson: '/nope/User/mcp.json', exists });
    expect(sources.map((s) => s.label)).toEqual(['.vscode/mcp.json']);
    expect(mcpConfigSources({ folders: [], exists })).toEqual([]);
  });

  it('finds the profile mcp.json next to globalStorage (default and named profiles)', () => {
    expect(userMcpJsonPath('/home/u/.config/Code/User/globalStorage/pub.toolweaver')).toBe(path.join('/home/u/.config/Code/User', 'mcp.json'));
    expect(userMcpJsonPath('/d/User/profiles/5a1b/globalStorage/pub.toolweaver')).toBe(path.join('/d/User/profiles/5a1b', 'mcp.json'));
    expect(userMcpJsonPath('/somewhere/else/pub.toolweaver')).toBeUndefined();
  });

  it('parses a workspace file section like an mcp.json, naming the file in errors', async () => {
    const ok = await parseMcpConfigValue({ servers: { a: { command: 'node', args: ['${workspaceFolder}/s.js'] } } }, { file: '/w/team.code-workspace', workspaceFolder: '/w/api', env: {} });
    expect(ok.servers.a).toMatchObject({ type: 'stdio', command: 'node', args: ['/w/api/s.js'] });
    const err = await parseMcpConfigValue({ servers: { a: { type: 'stdio' } } }, { file: '/w/team.code-workspace', workspaceFolder: '/w', env: {} }).catch((e: unknown) => e);
    expect(ConfigError.is(err, 'config_invalid')).toBe(true);
    expect((err as Error).message).toContain('/w/team.code-workspace');
    expect((err as Error).message).toContain('servers.a.command');
  });
});
