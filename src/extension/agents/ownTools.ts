// Recognises ToolWeaver's own tools and servers wherever a catalog could pick them up again (pure,
// no vscode import): our LM tools, VS Code's MCP view of our server, and `toolweaver mcp` entries
// in an mcp.json. Invariant: a catalog never contains ToolWeaver itself (a script calling run_code,
// or an MCP server spawning itself, would recurse).
import { parseJsonc } from '../../core/catalog/jsonc';

const OWN_MCP_TOOLS = /(^|[_.-])(run_code|search_tools|describe_tool|read_value)$/;

/** True for our LM tools (`toolweaver_*`) and for our MCP tools as VS Code lists them (e.g. `mcp_toolweaver_run_code`). */
export function isOwnToolName(name: string): boolean {
  const n = name.toLowerCase();
  return n.startsWith('toolweaver_') || (n.includes('toolweaver') && OWN_MCP_TOOLS.test(n));
}

/** True when an mcp.json server entry starts `toolweaver mcp` (any launcher: node cli.js, npx, the bin). */
export function isOwnMcpServer(entry: unknown): boolean {
  if (typeof entry !== 'object' || entry === null) return false;
  const e = entry as { command?: unknown; args?: unknown };
  if (typeof e.command !== 'string') return false;
  const words = [e.command, ...(Array.isArray(e.args) ? e.args.filter((a): a is string => typeof a === 'string') : [])];
  const launcher = words.findIndex((w) => /(^|[\\/])(toolweaver(\.cmd)?|cli\.js|toolweaver\/dist\/cli\.js)$/i.test(w) || /^toolweaver(@.*)?$/i.test(w));
  return launcher >= 0 && words.slice(launcher + 1).includes('mcp');
}

/** The mcp.json text without ToolWeaver's own servers; undefined when there are none to drop (or it does not parse). */
export function withoutOwnServers(mcpJsonText: string): { text: string; dropped: string[] } | undefined {
  let parsed: unknown;
  try {
    parsed = parseJsonc(mcpJsonText);
  } catch {
    return undefined; // broken: leave it to the loader, which reports it properly
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const servers = (parsed as { servers?: unknown }).servers;
  if (typeof servers !== 'object' || servers === null) return undefined;
  const dropped = Object.entries(servers).filter(([, v]) => isOwnMcpServer(v)).map(([k]) => k);
  if (dropped.length === 0) return undefined;
  const kept = Object.fromEntries(Object.entries(servers).filter(([k]) => !dropped.includes(k)));
  return { text: JSON.stringify({ ...parsed, servers: kept }, null, 2), dropped };
}
