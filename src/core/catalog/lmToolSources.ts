// Sorts VS Code's language-model tools (vscode.lm.tools) by where they come from — VS Code itself,
// an extension, or VS Code's own MCP support — and decides which enter the catalog. Pure (no vscode
// import). Invariant: nothing enters unless the user allowed its source or the tool by name, and a
// VS Code copy of an MCP server ToolWeaver already runs never enters (one connection per server).
import type { JsonSchema, ToolAnnotations } from './types';

/** What the extension host tells us about one tool (the 1.139 runtime object, checked at the boundary). */
export interface LmToolInfo {
  name: string;
  description: string;
  inputSchema: unknown;
  /** `<toolset or extension id>/<reference name>` in VS Code ≥ 1.104; absent in older hosts. */
  fullReferenceName?: string;
  tags: readonly string[];
  /** Not in the 1.139 API; read when a host provides it (the MCP hints of VS Code's MCP tools). */
  annotations?: unknown;
}

export type LmSourceKind = 'builtin' | 'extension' | 'mcp';

/** One source of language-model tools, as the user chooses it. */
export interface LmToolSource {
  /** What the allow-list names: the extension id (lower case), `mcp:<server>`, or `vscode` for VS Code's own. */
  id: string;
  kind: LmSourceKind;
  /** Catalog server name of the source's tools: the extension id, the MCP server's name, or `vscode`. */
  server: string;
  tools: LmToolInfo[];
}

/** The id of VS Code's built-in tools in the allow-list, and their catalog server name. */
export const BUILTIN_LM_SOURCE = 'vscode';
/** Allow-list entry that allows every source. */
export const ALLOW_ALL = '*';

export interface ClassifyOptions {
  /** Tool name → id of the extension whose manifest contributes it (`contributes.languageModelTools`). */
  extensionOf: ReadonlyMap<string, string>;
}

/** VS Code names its MCP tools `mcp_<server>_<tool>` and files them under `<server>/<tool>`. */
const MCP_TOOL = /^mcp_/;

/** The source of one tool. */
export function sourceOf(tool: LmToolInfo, opts: ClassifyOptions): Omit<LmToolSource, 'tools'> {
  const ext = opts.extensionOf.get(tool.name);
  if (ext) return { id: ext.toLowerCase(), kind: 'extension', server: ext.toLowerCase() };
  const prefix = tool.fullReferenceName?.includes('/') ? tool.fullReferenceName.slice(0, tool.fullReferenceName.indexOf('/')) : undefined;
  if (MCP_TOOL.test(tool.name)) {
    // VS Code's MCP toolset is the server's label, lower-cased with spaces as '-'.
    const server = prefix ?? tool.name.split('_')[1] ?? 'mcp';
    return { id: `mcp:${server}`, kind: 'mcp', server };
  }
  // An extension's tool outside a toolset is filed under `<publisher.name>/…`; VS Code's toolsets
  // (execute, read, vscodeGeneral…) never contain a dot.
  if (prefix?.includes('.')) return { id: prefix.toLowerCase(), kind: 'extension', server: prefix.toLowerCase() };
  return { id: BUILTIN_LM_SOURCE, kind: 'builtin', server: BUILTIN_LM_SOURCE };
}

/** Groups tools by source (sources and tools in a stable order: extensions, MCP, then VS Code's own). */
export function groupBySource(tools: readonly LmToolInfo[], opts: ClassifyOptions): LmToolSource[] {
  const byId = new Map<string, LmToolSource>();
  for (const tool of tools) {
    const s = sourceOf(tool, opts);
    let group = byId.get(s.id);
    if (!group) byId.set(s.id, (group = { ...s, tools: [] }));
    group.tools.push(tool);
  }
  const rank: Record<LmSourceKind, number> = { extension: 0, mcp: 1, builtin: 2 };
  const groups = [...byId.values()].sort((a, b) => rank[a.kind] - rank[b.kind] || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  for (const g of groups) g.tools.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return groups;
}

/** True when the server name is the one VS Code gives (its label lower-cased, spaces as '-'). */
function sameServer(vscodeName: string, ours: string): boolean {
  return vscodeName === ours.toLowerCase().replace(/\s+/g, '-');
}

export interface SelectOptions extends ClassifyOptions {
  /** `toolweaver.catalog.languageModelTools`: source ids, tool names, or `*`. Case-insensitive. */
  allow: readonly string[];
  /** Names of the servers ToolWeaver connects to itself (mcp.json, settings…): their VS Code copies are dropped. */
  ownServers: readonly string[];
}

export interface LmSelection {
  /** Allowed sources with only their allowed tools (each becomes a catalog server). */
  chosen: LmToolSource[];
  /** Sources with tools the user has not allowed (what "Choose Tool Sources" offers). */
  offered: LmToolSource[];
  /** VS Code's copies of servers ToolWeaver runs itself, left out: `mcp:<server>` ids. */
  duplicates: string[];
}

/** Splits the tools into what enters the catalog, what is only offered, and VS Code's duplicates. */
export function selectLmTools(tools: readonly LmToolInfo[], opts: SelectOptions): LmSelection {
  const allow = new Set(opts.allow.map((a) => a.trim().toLowerCase()).filter(Boolean));
  const chosen: LmToolSource[] = [];
  const offered: LmToolSource[] = [];
  const duplicates: string[] = [];
  for (const group of groupBySource(tools, opts)) {
    if (group.kind === 'mcp' && opts.ownServers.some((s) => sameServer(group.server, s))) {
      duplicates.push(group.id);
      continue;
    }
    // `*` brings in every extension and MCP source; VS Code's internal tools only by name or `vscode`.
    const wholeSource = allow.has(group.id) || (allow.has(ALLOW_ALL) && group.kind !== 'builtin');
    const picked = wholeSource ? group.tools : group.tools.filter((t) => allow.has(t.name.toLowerCase()));
    const rest = group.tools.filter((t) => !picked.includes(t));
    if (picked.length) chosen.push({ ...group, tools: picked });
    if (rest.length) offered.push({ ...group, tools: rest });
  }
  return { chosen, offered, duplicates };
}

/** MCP hints of a tool, when the host gives any (booleans only; anything else is dropped). */
export function annotationsOf(tool: LmToolInfo): ToolAnnotations | undefined {
  const raw = tool.annotations;
  if (typeof raw !== 'object' || raw === null) return undefined;
  const a = raw as Record<string, unknown>;
  const out: ToolAnnotations = {};
  for (const key of ['readOnlyHint', 'destructiveHint', 'idempotentHint', 'openWorldHint'] as const) {
    if (typeof a[key] === 'boolean') out[key] = a[key];
  }
  if (typeof a.title === 'string' && a.title) out.title = a.title;
  return Object.keys(out).length ? out : undefined;
}

/** The tool's input schema as the catalog keeps it: an object schema, `{type:'object'}` when it has none. */
export function inputSchemaOf(tool: LmToolInfo): JsonSchema {
  return tool.inputSchema && typeof tool.inputSchema === 'object' && !Array.isArray(tool.inputSchema) ? (tool.inputSchema as JsonSchema) : { type: 'object' };
}

/** Reads one runtime tool object defensively (a host may add or drop fields). */
export function toLmToolInfo(raw: unknown): LmToolInfo | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const t = raw as Record<string, unknown>;
  if (typeof t.name !== 'string' || !t.name) return undefined;
  return {
    name: t.name,
    description: typeof t.description === 'string' ? t.description : '',
    inputSchema: t.inputSchema,
    ...(typeof t.fullReferenceName === 'string' ? { fullReferenceName: t.fullReferenceName } : {}),
    tags: Array.isArray(t.tags) ? t.tags.filter((x): x is string => typeof x === 'string') : [],
    ...(t.annotations !== undefined ? { annotations: t.annotations } : {}),
  };
}

/** Tool name → extension id, from extensions' manifests (`contributes.languageModelTools[].name`). */
export function extensionToolMap(extensions: ReadonlyArray<{ id: string; packageJSON: unknown }>): Map<string, string> {
  const map = new Map<string, string>();
  for (const ext of extensions) {
    const contributes = (ext.packageJSON as { contributes?: { languageModelTools?: unknown } } | undefined)?.contributes;
    const list = contributes?.languageModelTools;
    if (!Array.isArray(list)) continue;
    for (const t of list) {
      const name = (t as { name?: unknown } | null)?.name;
      if (typeof name === 'string') map.set(name, ext.id);
    }
  }
  return map;
}
