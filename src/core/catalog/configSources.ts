// Where VS Code keeps MCP server configurations for a window, in VS Code's precedence: each
// workspace folder's `.vscode/mcp.json` (folder order), the `.code-workspace` file's `settings.mcp`,
// then the user profile's `mcp.json`. Pure apart from the `exists` probe it is given. Invariant:
// ids are unique and stable for the same window; an earlier source wins a server-name clash.
import path from 'node:path';

/** One mcp.json-shaped configuration VS Code would read for this window. */
export interface McpConfigSource {
  /** `folder:<folder uri>`, `workspace-file` or `user`. */
  id: string;
  kind: 'folder' | 'workspace-file' | 'user';
  /** For people: `.vscode/mcp.json`, `api/.vscode/mcp.json`, `team.code-workspace`, `user mcp.json`. */
  label: string;
  /** The file the configuration lives in (named in error messages). */
  file: string;
  /** Value of `${workspaceFolder}` (and the cwd of its stdio servers): the folder, else the first folder. */
  workspaceFolder: string;
  /** The workspace file's `settings.mcp` value (the file itself holds other settings too). */
  value?: unknown;
}

export interface ConfigSourcesInput {
  folders: ReadonlyArray<{ name: string; uri: string; path: string }>;
  /** The open `.code-workspace` file and its `settings.mcp` value (undefined when it has none). */
  workspaceFile?: { path: string; mcp: unknown };
  /** The user profile's mcp.json (see userMcpJsonPath). */
  userMcpJson?: string;
  exists(file: string): boolean;
}

/** The sources that exist, most specific first. */
export function mcpConfigSources(input: ConfigSourcesInput): McpConfigSource[] {
  const out: McpConfigSource[] = [];
  const first = input.folders[0]?.path;
  const multi = input.folders.length > 1;
  for (const folder of input.folders) {
    const file = path.join(folder.path, '.vscode', 'mcp.json');
    if (!input.exists(file)) continue;
    out.push({ id: `folder:${folder.uri}`, kind: 'folder', label: multi ? `${folder.name}/.vscode/mcp.json` : '.vscode/mcp.json', file, workspaceFolder: folder.path });
  }
  const ws = input.workspaceFile;
  if (ws && ws.mcp !== undefined && ws.mcp !== null) {
    out.push({ id: 'workspace-file', kind: 'workspace-file', label: path.basename(ws.path), file: ws.path, workspaceFolder: first ?? path.dirname(ws.path), value: ws.mcp });
  }
  if (input.userMcpJson && input.exists(input.userMcpJson)) {
    out.push({ id: 'user', kind: 'user', label: 'user mcp.json', file: input.userMcpJson, workspaceFolder: first ?? path.dirname(input.userMcpJson) });
  }
  return out;
}

/**
 * The user profile's mcp.json from the extension's global storage folder:
 * `<user data>/User[/profiles/<id>]/globalStorage/<extension id>` → `<…>/User[/profiles/<id>]/mcp.json`,
 * the file "MCP: Open User Configuration" opens (on a remote, the remote user's file).
 */
export function userMcpJsonPath(globalStorageDir: string): string | undefined {
  const storageRoot = path.dirname(globalStorageDir);
  if (path.basename(storageRoot) !== 'globalStorage') return undefined;
  return path.join(path.dirname(storageRoot), 'mcp.json');
}
