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
  /** An output type learned from recorded results (src/core/learned) of a tool that declares no
   *  outputSchema. Only stubs and describe texts use it: results are never checked against it (a
   *  result that does not fit is a schema drift in the trace, not an error). Not in the catalog id. */
  learnedOutput?: LearnedOutput;
}

/** A learned output type: a JSON Schema inferred from `calls` recorded results on `date` (YYYY-MM-DD). */
export interface LearnedOutput {
  schema: JsonSchema;
  calls: number;
  date: string;
  /** Accepted by a person: kept in the pinned-types file in the repo. */
  pinned: boolean;
}

/** Where a server's tools come from. */
export type ServerSource = 'mcp' | 'vscode-lm' | 'catalog-file' | 'demo' | 'openapi';

export type ServerStatus =
  | { state: 'connected' }
  | { state: 'offline' } // loaded from a catalog file, not connected
  | { state: 'error'; code: string; message: string };

export interface CatalogServer {
  /** Configured name (key in mcp.json `servers`). */
  name: string;
  /** Throttling and the per-call timeout from the server's `toolweaver` settings, if any. Not part
   *  of the catalog id (it does not change the tools); the sandbox bridge reads it per run. */
  limits?: ServerLimits;
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

/** Throttling of one server: a token bucket (requests/second with burst), a concurrency cap and a
 *  per-call timeout. Calls over the rate or the cap wait (within the run's clock); they do not fail.
 *  Set per server in the `toolweaver` key of its mcp.json entry (see ServerSettings). */
export interface ServerLimits {
  /** Sustained requests per second. */
  rps?: number;
  /** Bucket size: calls that may start at once after an idle period. Default: max(1, rps). */
  burst?: number;
  /** Calls in flight to this server at once, across runs. */
  maxConcurrency?: number;
  /** Timeout of each call to this server (ms), instead of the run's toolCallTimeoutMs. */
  toolCallTimeoutMs?: number;
}

/** ToolWeaver's own settings of one server: the `toolweaver` object of its mcp.json entry. */
export interface ServerSettings extends ServerLimits {
  /** Largest reply (one message) accepted from this server, in bytes; default 10 MiB. */
  maxReplyBytes?: number;
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
  /** The entry's `toolweaver` settings, when it has them. */
  settings?: ServerSettings;
}

export interface HttpServerConfig {
  /** `http` tries Streamable HTTP first and falls back to SSE; `sse` goes straight to SSE. */
  type: 'http' | 'sse';
  url: string;
  headers: Record<string, string>;
  /** The entry's `toolweaver` settings, when it has them. */
  settings?: ServerSettings;
}

/** Values that must never appear in traces or logs (env values, headers, inputs), for redaction. */
export interface ConfigSecrets {
  values: string[];
  /** Names of the values that have one (the env variable or header that holds it, else the
   *  input id), so the privacy firewall can say `«secret:MY_TOKEN»` (src/core/firewall). */
  named?: Array<{ name: string; value: string }>;
}
