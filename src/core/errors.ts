// Typed errors of the engine. Each class has a literal `name`, a `code` union and a static
// `is(err, code?)`; callers branch on codes, never on message text. Messages are full sentences
// that say what failed, where, and what to do.

/** Problems with configuration the user wrote: mcp.json, settings, catalog files, inputs. */
export type ConfigErrorCode =
  | 'config_not_found'
  | 'config_unreadable'
  | 'config_invalid'
  | 'unknown_server_type'
  | 'input_missing'
  | 'env_file_unreadable'
  | 'catalog_file_invalid'
  | 'stubs_manifest_invalid' // the stubs' manifest.json is not JSON or not a manifest (regenerate the stubs)
  | 'prices_invalid' // a price table (--prices FILE, toolweaver.tokens.prices) that does not parse
  | 'unknown_model' // --model / toolweaver.tokens.model names no model of the price table
  | 'baseline_invalid' // an eval baseline (bench/baselines/tokens.json, DIR/baseline.json) that does not parse
  | 'eval_task_invalid' // an eval task's check module is missing, does not load, or exports no check
  | 'openapi_invalid' // an OpenAPI document that does not parse or breaks the spec (field = its JSON pointer)
  | 'openapi_unsupported' // Swagger 2.0, or an `openapi` version other than 3.0.x/3.1.x
  | 'openapi_unreadable' // the spec file is missing or the spec URL does not answer
  | 'types_file_invalid'; // a learned or pinned output-types file (src/core/learned/typesFile.ts) that does not parse

/** Problems reaching a server or reading its tool list. */
export type CatalogErrorCode =
  | 'command_not_found'
  | 'server_exited'
  | 'connect_timeout'
  | 'connect_failed'
  | 'invalid_tools_list'
  | 'duplicate_name'
  | 'unknown_server'
  | 'auth_required' // an HTTP server answered 401: it needs credentials (headers or inputs in mcp.json)
  | 'closed';

/** Problems with one tool call. The sandbox surfaces these to scripts as catchable ToolErrors. */
export type ToolErrorCode =
  | 'unknown_tool'
  | 'invalid_arguments'
  | 'tool_failed' // the server answered with isError: true, or with a JSON-RPC error (see ToolError.rpcCode)
  | 'server_crashed'
  | 'server_unreachable'
  | 'timeout'
  | 'reply_too_large'
  | 'malformed_reply'
  | 'cancelled'
  | 'rate_limited'
  | 'quota_exceeded'
  | 'denied' // a user or policy refused the call
  | 'replay_divergence'; // a replay (src/core/replay) met a call its recorded trace cannot answer

/** Bad command-line usage. */
export type UsageErrorCode = 'usage';

abstract class ToolWeaverError<C extends string> extends Error {
  abstract override readonly name: string;
  readonly code: C;
  constructor(code: C, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

export class ConfigError extends ToolWeaverError<ConfigErrorCode> {
  override readonly name = 'ConfigError' as const;
  /** File the problem is in, when there is one. */
  readonly file?: string;
  /** Dotted path of the offending field, e.g. `servers.github.command`. */
  readonly field?: string;
  constructor(
    code: ConfigErrorCode,
    message: string,
    options?: { cause?: unknown; file?: string; field?: string },
  ) {
    super(code, message, options);
    this.file = options?.file;
    this.field = options?.field;
  }
  static is(err: unknown, code?: ConfigErrorCode): err is ConfigError {
    return err instanceof ConfigError && (code === undefined || err.code === code);
  }
}

export class CatalogError extends ToolWeaverError<CatalogErrorCode> {
  override readonly name = 'CatalogError' as const;
  /** The server (its configured name) the problem is with. */
  readonly server?: string;
  readonly field?: string;
  constructor(
    code: CatalogErrorCode,
    message: string,
    options?: { cause?: unknown; server?: string; field?: string },
  ) {
    super(code, message, options);
    this.server = options?.server;
    this.field = options?.field;
  }
  static is(err: unknown, code?: CatalogErrorCode): err is CatalogError {
    return err instanceof CatalogError && (code === undefined || err.code === code);
  }
}

export class ToolError extends ToolWeaverError<ToolErrorCode> {
  override readonly name = 'ToolError' as const;
  readonly server: string;
  readonly tool: string;
  /** For invalid_arguments: the dotted path of the offending field. */
  readonly field?: string;
  /** When the server answered with a JSON-RPC error: its error code (e.g. -32000, -32603). */
  readonly rpcCode?: number;
  /** When an HTTP API (an OpenAPI catalog source) answered with an error status: that status. */
  readonly httpStatus?: number;
  constructor(
    code: ToolErrorCode,
    message: string,
    options: { server: string; tool: string; cause?: unknown; field?: string; rpcCode?: number; httpStatus?: number },
  ) {
    super(code, message, options);
    this.server = options.server;
    this.tool = options.tool;
    this.field = options.field;
    if (options.rpcCode !== undefined) this.rpcCode = options.rpcCode;
    if (options.httpStatus !== undefined) this.httpStatus = options.httpStatus;
  }
  static is(err: unknown, code?: ToolErrorCode): err is ToolError {
    return err instanceof ToolError && (code === undefined || err.code === code);
  }
}

export class UsageError extends ToolWeaverError<UsageErrorCode> {
  override readonly name = 'UsageError' as const;
  constructor(message: string) {
    super('usage', message);
  }
  static is(err: unknown): err is UsageError {
    return err instanceof UsageError;
  }
}

/** Problems reading or writing the trace store (src/core/trace/store.ts). */
export type TraceStoreErrorCode = 'invalid_trace_id' | 'trace_not_found' | 'trace_corrupt';

export class TraceStoreError extends ToolWeaverError<TraceStoreErrorCode> {
  override readonly name = 'TraceStoreError' as const;
  /** The trace file concerned, when there is one. */
  readonly file?: string;
  constructor(code: TraceStoreErrorCode, message: string, options?: { cause?: unknown; file?: string }) {
    super(code, message, options);
    this.file = options?.file;
  }
  static is(err: unknown, code?: TraceStoreErrorCode): err is TraceStoreError {
    return err instanceof TraceStoreError && (code === undefined || err.code === code);
  }
}

/** A file, folder or port the user named cannot be used: permissions, a missing parent, a full
 *  disk, a port already in use. The CLI exits 2 with the message, never a stack trace. */
export type IoErrorCode = 'unwritable' | 'unreadable' | 'port_in_use';

export class IoError extends ToolWeaverError<IoErrorCode> {
  override readonly name = 'IoError' as const;
  /** The path or address concerned. */
  readonly target: string;
  constructor(code: IoErrorCode, message: string, options: { target: string; cause?: unknown }) {
    super(code, message, options);
    this.target = options.target;
  }
  static is(err: unknown, code?: IoErrorCode): err is IoError {
    return err instanceof IoError && (code === undefined || err.code === code);
  }
}

/** Node's system-error code (EACCES, ENOENT, EADDRINUSE…) of a thrown value, if it has one. */
export function systemErrorCode(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return err instanceof Error && typeof code === 'string' && /^E[A-Z0-9]+$/.test(code) ? code : undefined;
}

/** A few words for the common system-error codes, for messages. */
export function describeSystemError(err: unknown): string {
  const code = systemErrorCode(err);
  const words: Record<string, string> = {
    EACCES: 'permission denied',
    EPERM: 'operation not permitted',
    ENOENT: 'no such file or folder',
    ENOTDIR: 'a part of the path is a file, not a folder',
    EISDIR: 'it is a folder',
    EROFS: 'read-only file system',
    ENOSPC: 'no space left on the device',
    EEXIST: 'it already exists',
    EADDRINUSE: 'the address is already in use',
    EADDRNOTAVAIL: 'the address is not available',
  };
  return code ? `${code}${words[code] ? `: ${words[code]}` : ''}` : describeCause(err);
}

/** A short, single-line description of any thrown value, for messages and logs. */
export function describeCause(cause: unknown): string {
  if (cause instanceof Error) return cause.message || cause.name;
  if (typeof cause === 'string') return cause;
  try {
    return JSON.stringify(cause) ?? String(cause);
  } catch {
    return String(cause);
  }
}

/** Problems with skills (src/core/skills/): a file that does not load, a name nobody defined, a save
 *  that would overwrite a skill. A broken skill file is listed with its error; it never throws here. */
export type SkillErrorCode = 'skill_not_found' | 'skill_invalid' | 'skill_exists' | 'skill_unsaveable';

export class SkillError extends ToolWeaverError<SkillErrorCode> {
  override readonly name = 'SkillError' as const;
  /** The skill file concerned, when there is one. */
  readonly file?: string;
  constructor(code: SkillErrorCode, message: string, options?: { cause?: unknown; file?: string }) {
    super(code, message, options);
    this.file = options?.file;
  }
  static is(err: unknown, code?: SkillErrorCode): err is SkillError {
    return err instanceof SkillError && (code === undefined || err.code === code);
  }
}
