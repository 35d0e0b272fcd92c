import { describe, expect, it } from 'vitest';
import { annotationsOf, extensionToolMap, groupBySource, selectLmTools, sourceOf, toLmToolInfo, type LmToolInfo } from '../../../src/core/catalog/lmToolSources';

// What VS Code 1.139 (code-server 4.139.1) lists with no other extension installed, as measured by
// an e2e probe: name and fullReferenceName (absent for some internal tools).
const BUILTIN: Array<[string, string | undefined]> = [
  ['setup_tools_createNewWorkspace', 'new'],
  ['vscode_listCodeUsages', 'vscodeGeneral/usages'],
  ['vscode_editFile_internal', undefined],
  ['run_in_terminal', 'execute/runInTerminal'],
  ['kill_terminal', 'execute/killTerminal'],
  ['terminal_selection', 'read/terminalSelection'],
  ['manage_todo_list', 'todo'],
  ['vscode_searchExtensions_internal', 'vscode/extensions'],
];
const tool = (name: string, full?: string, extra: Partial<LmToolInfo> = {}): LmToolInfo => ({ name, description: `${name} does things`, inputSchema: { type: 'object' }, tags: [], ...(full ? { fullReferenceName: full } : {}), ...extra });
const builtins = BUILTIN.map(([n, f]) => tool(n, f));
const python = [tool('python_env_info', 'ms-python.python/envInfo'), tool('python_install', 'ms-python.python/install')];
// VS Code's copies of MCP servers: `mcp_<label>_<tool>`, filed under `<label lower-cased, spaces as ->/<tool>`.
const mcp = [tool('mcp_everything_echo', 'everything/echo'), tool('mcp_my_server_get', 'my-server/get')];
// A tool whose manifest says which extension contributes it, though it sits in a toolset without a dot.
const fromManifest = tool('gitlens_blame', 'git/blame');
const extensionOf = extensionToolMap([
  { id: 'eamodio.gitlens', packageJSON: { contributes: { languageModelTools: [{ name: 'gitlens_blame' }, { bogus: 1 }] } } },
  { id: 'vscode.git', packageJSON: { contributes: {} } },
  { id: 'broken', packageJSON: null },
]);
const all = [...builtins, ...python, ...mcp, fromManifest];

describe('language-model tool sources', () => {
  it('tells VS Code internals, extensions and VS Code MCP servers apart', () => {
    expect(sourceOf(tool('run_in_terminal', 'execute/runInTerminal'), { extensionOf })).toEqual({ id: 'vscode', kind: 'builtin', server: 'vscode' });
    expect(sourceOf(tool('vscode_editFile_internal'), { extensionOf })).toEqual({ id: 'vscode', kind: 'builtin', server: 'vscode' });
    expect(sourceOf(python[0]!, { extensionOf })).toEqual({ id: 'ms-python.python', kind: 'extension', server: 'ms-python.python' });
    expect(sourceOf(fromManifest, { extensionOf })).toEqual({ id: 'eamodio.gitlens', kind: 'extension', server: 'eamodio.gitlens' });
    expect(sourceOf(mcp[1]!, { extensionOf })).toEqual({ id: 'mcp:my-server', kind: 'mcp', server: 'my-server' });
    // Without fullReferenceName (older hosts) the MCP server comes from the tool name.
    expect(sourceOf(tool('mcp_github_search'), { extensionOf })).toEqual({ id: 'mcp:github', kind: 'mcp', server: 'github' });
  });

  it('groups by source: extensions, then MCP servers, then VS Code, each sorted', () => {
    const groups = groupBySource(all, { extensionOf });
    expect(groups.map((g) => `${g.kind}:${g.id}:${g.tools.length}`)).toEqual([
      'extension:eamodio.gitlens:1',
      'extension:ms-python.python:2',
      'mcp:mcp:everything:1',
      'mcp:mcp:my-server:1',
      `builtin:vscode:${BUILTIN.length}`,
    ]);
    expect(groups[4]!.tools[0]!.name).toBe('kill_terminal');
  });

  it('lets nothing in by default and offers everything but the duplicates', () => {
    const sel = selectLmTools(all, { allow: [], ownServers: ['everything'], extensionOf });
    expect(sel.chosen).toEqual([]);
    expect(sel.duplicates).toEqual(['mcp:everything']);
    expect(sel.offered.map((s) => s.id)).toEqual(['eamodio.gitlens', 'ms-python.python', 'mcp:my-server', 'vscode']);
  });

  it('allows by source id, by tool name (case-insensitive) and `*` (which leaves VS Code internals out)', () => {
    const bySource = selectLmTools(all, { allow: ['MS-Python.Python', 'run_in_terminal'], ownServers: [], extensionOf });
    expect(bySource.chosen.map((s) => `${s.id}:${s.tools.map((t) => t.name).join(',')}`)).toEqual(['ms-python.python:python_env_info,python_install', 'vscode:run_in_terminal']);
    // The rest of VS Code's tools are still offered, run_in_terminal is not offered twice.
    const rest = bySource.offered.find((s) => s.id === 'vscode')!;
    expect(rest.tools.map((t) => t.name)).not.toContain('run_in_terminal');
    expect(rest.tools).toHaveLength(BUILTIN.length - 1);

    const star = selectLmTools(all, { allow: ['*'], ownServers: ['My Server'], extensionOf });
    expect(star.chosen.map((s) => s.id)).toEqual(['eamodio.gitlens', 'ms-python.python', 'mcp:everything']);
    expect(star.duplicates).toEqual(['mcp:my-server']);
    expect(star.offered.map((s) => s.id)).toEqual(['vscode']);

    const everything = selectLmTools(all, { allow: ['vscode'], ownServers: [], extensionOf });
    expect(everything.chosen.map((s) => s.id)).toEqual(['vscode']);
  });

  it('a VS Code copy of a server ToolWeaver runs is dropped even when allowed', () => {
    const sel = selectLmTools(all, { allow: ['mcp:everything', 'mcp_everything_echo'], ownServers: ['everything'], extensionOf });
    expect(sel.chosen).toEqual([]);
    expect(sel.duplicates).toEqual(['mcp:everything']);
  });

  it('reads runtime tool objects defensively and keeps only boolean MCP hints', () => {
    expect(toLmToolInfo(null)).toBeUndefined();
    expect(toLmToolInfo({ name: '' })).toBeUndefined();
    expect(toLmToolInfo({ name: 'x', description: 3, tags: ['a', 2], fullReferenceName: 'e.x/x', source: undefined })).toEqual({ name: 'x', description: '', inputSchema: undefined, tags: ['a'], fullReferenceName: 'e.x/x' });
    expect(annotationsOf(tool('x'))).toBeUndefined();
    expect(annotationsOf(tool('x', undefined, { annotations: { readOnlyHint: true, destructiveHint: 'no', title: 'X' } }))).toEqual({ readOnlyHint: true, title: 'X' });
    expect(annotationsOf(tool('x', undefined, { annotations: { other: true } }))).toBeUndefined();
  });
});
