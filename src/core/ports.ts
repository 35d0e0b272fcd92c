// Ports: the small interfaces through which the engine reaches the outside world (tool servers,
// clock, logging). Core code takes these as dependencies; the CLI, the extension and tests pass
// real adapters or fakes.


export interface ToolCallRequest {
  /** Original server name (CatalogServer.name). */
  server: string;
  /** Original tool name (CatalogTool.name). */
  tool: string;
  /** Already-parsed JSON arguments (the bridge validates them against inputSchema first). */
  args: Record<string, unknown>;
  /** 1-based script line that made the call, when the sandbox knows it (approval prompts show it). */
  line?: number;
}

export interface ToolCallOptions {
  /** Aborted when the run is cancelled or the per-call timeout fires; implementations must send
   *  MCP cancellation and settle promptly (reject with ToolError 'cancelled' or 'timeout'). */
  signal: AbortSignal;
  timeoutMs: number;
  /** Told by an approving invoker (withApprovals) when the call waits for a person ('pending')
   *  and when that wait is over ('settled', before the inner call starts or the denial). The
   *  sandbox bridge stops the per-call timer and pauses the run's clock in between. */
  onApproval?: (state: 'pending' | 'settled') => void;
  /** Told of each MCP progress notification the server sends for this call (the call carries a
   *  progressToken). The invoker restarts its own timer; the sandbox bridge restarts the per-call
   *  timeout, so a tool that reports progress is not cut off while it works. */
  onProgress?: (progress: ToolProgress) => void;
  /** The same for every attempt of one logical call (each retry() attempt re-sends it), different
   *  for different calls: `${runKey}:${n}` (see src/core/sandbox/host/idempotency.ts). MCP invokers send
   *  it as `_meta.idempotencyKey` of tools/call, so a server that supports it can deduplicate. */
  idempotencyKey?: string;
}

/** One MCP `notifications/progress` of a tool call. */
export interface ToolProgress {
  progress: number;
  total?: number;
  message?: string;
}

/**
 * Calls one tool. Resolves with the tool's value: `structuredContent` when present, otherwise the
 * text content (JSON-parsed when it is JSON), otherwise the content array. Rejects only with
 * `ToolError` (see errors.ts): isError replies, crashes, timeouts, malformed or oversize replies.
 */
export interface ToolInvoker {
  callTool(req: ToolCallRequest, opts: ToolCallOptions): Promise<unknown>;
}


export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export const silentLogger: Logger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
};

export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };
