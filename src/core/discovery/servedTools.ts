// The code-mode tool definitions exactly as each surface serves them for a catalog: `toolweaver mcp`
// (run_code's description carries the catalog manifest and the run limit) and VS Code's LM tools
// (package.json's static descriptions). Invariant: the MCP server registers these texts and the token
// account counts the same ones (test/integration/mcpServer checks against tools/list).
import type { Catalog } from '../catalog/types';
import { codeModeToolDefinitions, type CodeModeSurface, type ToolDefinition } from '../codeMode/tools';
import { buildManifest, MANIFEST_NAME_LIMIT } from './manifest';

/** The catalog manifest run_code's description carries over MCP: signatures or names sized to the catalog. */
export function mcpManifest(catalog: Catalog): string {
  const total = catalog.servers.reduce((n, s) => n + s.tools.length, 0);
  return total <= MANIFEST_NAME_LIMIT ? buildManifest(catalog) : `${buildManifest(catalog)}\n(Use search_tools to find tools.)`;
}

/**
 * The four definitions a surface sends with every model request: over MCP with the catalog manifest
 * and `maxTimeoutMs` (the server's run limit) in run_code's description; as LM tools the static
 * package.json entries (VS Code serves no manifest there).
 */
export function servedCodeModeDefinitions(catalog: Catalog, surface: CodeModeSurface, maxTimeoutMs?: number): ToolDefinition[] {
  if (surface === 'lm') return codeModeToolDefinitions('lm');
  return codeModeToolDefinitions('mcp', { manifest: mcpManifest(catalog), ...(maxTimeoutMs !== undefined ? { maxTimeoutMs } : {}) });
}
