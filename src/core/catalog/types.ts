// The catalog's shared data types: what every part of the engine (stubs, sandbox, traces, tokens,
// agents) knows about servers and tools. Values of these types are already validated.

/** A JSON Schema object as servers send it (validated only as "an object"). */
export type JsonSchema = { [key: string]: unknown };

/** MCP tool annotations (hints; never trusted for security on their own). */
export interface ToolAnnotations {
  title?: string;
  readOnlyHint?: boolean;
  destructiveHint?: boolean;
  idempotentHint?: boolean;
  openWorldHint?: boolean;
}

export interface CatalogTool {
  /** Original tool name, exactly as the server lists it; used for the call. */
  name: string;
  /** Valid, unique (within its server), stable TS identifier: `tools.<server.ident>.<ident>`. */
  ident: string;
  title?: string;
  description?: string;
  /** Always an object schema (`{ type: 'object', ... }`); `{type:'object'}` when the server sent none. */
  inputSchema: JsonSchema;
  outputSchema?: JsonSchema;
  annotations?: ToolAnnotations;
}

/** Where a server's tools come from. */
export type ServerSource = 'mcp' | 'vscode-lm' | 'catalog-file' | 'demo';

export type ServerStatus =
  | { state: 'connected' }
  | { state: 'offline' } // loaded from a catalog file, not connected
  | { state: 'error'; code: string; message: string };

export interface CatalogServer {
  /** Configured name (key in mcp.json `servers`). */
  name: string;
  /** Valid, unique, stable TS identifier for `tools.<ident>`. */
  ident: string;
  source: ServerSource;
  status: ServerStatus;
  /** What the server reported in `initialize`, when connected. */
  serverInfo?: { name: string; version: string };
  instructions?: string;
  tools: CatalogTool[];
}

export interface Catalog {
  /** Content hash of servers+tools (stable for the same tools): a snapshot id for traces. */
  id: string;
  servers: CatalogServer[];
}

/** Server definitions after parsing and variable substitution (VS Code's mcp.json shapes). */
export type ServerConfig = StdioServerConfig | HttpServerConfig;

export interface StdioServerConfig {
  type: 'stdio';
  command: string;
  args: string[];
  /** Configured variables only; merged over the SDK's default environment at spawn. */
  env: Record<string, string>;
  envFile?: string;
  cwd?: string;
}

export interface HttpServerConfig {
  /** `http` tries Streamable HTTP first and falls back to SSE; `sse` goes straight to SSE. */
  type: 'http' | 'sse';
  url: string;
  headers: Record<string, string>;
}

/** Values that must never appear in traces or logs (env values, headers, inputs), for redaction. */
export interface ConfigSecrets {
  values: string[];
}
