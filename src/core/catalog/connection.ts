// One live server: connect with a timeout, list tools page by page, call tools with every fault
// turned into a ToolError, reconnect lazily after a crash or an oversize reply, close fast.
// Invariants: callTool settles within its timeout (plus a probe interval for HTTP; progress
// notifications restart it), never hangs; only a dead transport drops the connection — a JSON-RPC
// error reply is the server's answer and leaves it up.
import { z } from 'zod';
import { CatalogError, ToolError, describeCause, type ToolErrorCode } from '../errors';
import { silentLogger, type Logger, type ToolCallOptions } from '../ports';
import { openClient, type OpenedClient, type ServerTarget } from './connect';
import { classifyCallError } from './callErrors';
import { startLivenessProbe } from './liveness';
import { listAllTools } from './listTools';
import { DEFAULT_MAX_MESSAGE_BYTES } from './processTransport';
import { checkOutput } from './schemaCheck';
import type { JsonSchema } from './types';
import { CallToolResultSchema, callParams, firstIssueMessage, issuePath, type WireTool } from './wire';
import { toolValue } from './toolValue';

export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
/** How often an HTTP server is pinged while calls are in flight (the SDK would wait 60 s). */
export const LIVENESS_INTERVAL_MS = 1_000;
/** setTimeout fires at once for larger delays (Node clamps them to 1 ms). */
const MAX_TIMER_MS = 2_147_483_647;
const ANY = z.unknown();

export interface ConnectionOptions {
  connectTimeoutMs?: number;
  /** How the user raises the connect timeout where they are (e.g. `--connect-timeout-ms`, a
   *  setting name); named in the connect_timeout message. Default: `connectTimeoutMs`. */
  connectTimeoutHint?: string;
  /** Largest reply (one message) on any transport; default DEFAULT_MAX_MESSAGE_BYTES (10 MiB). */
  maxReplyBytes?: number;
  logger?: Logger;
  livenessIntervalMs?: number;
}

/** `10 MiB`, `512 KiB` or `1234 bytes`, for messages about the reply cap. */
export function formatBytes(n: number): string {
  if (n >= 1024 * 1024 && n % (1024 * 1024) === 0) return `${n / (1024 * 1024)} MiB`;
  if (n >= 1024 && n % 1024 === 0) return `${n / 1024} KiB`;
  return `${n} bytes`;
}

type Lost = { kind: 'crashed' | 'oversize' | 'unreachable'; detail: string };

export class ServerConnection {
  private opened?: OpenedClient;
  private opening?: Promise<OpenedClient>;
  private lost?: Lost;
  private lostWaiters = new Set<(l: Lost) => void>();
  private inflight = 0;
  private probe?: NodeJS.Timeout;
  private closed = false;
  readonly logger: Logger;

  constructor(readonly name: string, private readonly target: ServerTarget, private readonly opts: ConnectionOptions = {}) {
    this.logger = opts.logger ?? silentLogger;
  }

  private get maxReplyBytes(): number {
    return this.opts.maxReplyBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
  }

  /** serverInfo and instructions from the last initialize. */
  get info(): { serverInfo?: { name: string; version: string }; instructions?: string } {
    const c = this.opened?.client;
    const v = c?.getServerVersion();
    return { serverInfo: v ? { name: v.name, version: v.version } : undefined, instructions: c?.getInstructions() };
  }

  /** The server's captured stderr (stdio only). */
  get stderr(): string {
    return this.opened?.process?.stderr.text() ?? '';
  }

  get pid(): number | undefined {
    return this.opened?.process?.pid;
  }

  /** Connects (once; concurrent callers share the attempt). Rejects with CatalogError. */
  open(): Promise<OpenedClient> {
    if (this.closed) return Promise.reject(new CatalogError('closed', `The connection to server "${this.name}" is closed.`, { server: this.name }));
    if (this.opened && !this.lost) return Promise.resolve(this.opened);
    this.opening ??= this.connectWithTimeout().finally(() => (this.opening = undefined));
    return this.opening;
  }

  private async connectWithTimeout(): Promise<OpenedClient> {
    const stale = this.opened;
    this.opened = undefined;
    if (stale) await this.shutdown(stale);
    const timeoutMs = this.opts.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
    const ac = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        ac.abort();
        const hint = this.opts.connectTimeoutHint ?? 'connectTimeoutMs';
        reject(new CatalogError('connect_timeout', `Server "${this.name}" did not finish starting within ${timeoutMs} ms. Check that it starts on its own, or raise the connect timeout (${hint}).`, { server: this.name }));
      }, timeoutMs);
    });
    // An oversize message on an HTTP stream that no request owns: that connection has to go.
    let current: OpenedClient | undefined;
    const onOversize = (detail: string): void => {
      if (current && this.opened === current) this.markLost({ kind: 'oversize', detail });
    };
    const attempt = openClient(this.name, this.target, { signal: ac.signal, maxReplyBytes: this.maxReplyBytes, onOversize }).then((o) => (current = o));
    try {
      const opened = await Promise.race([attempt, timeout]);
      this.adopt(opened);
      return opened;
    } catch (err) {
      // A late success after the timeout must not leak a process.
      void attempt.then((o) => this.shutdown(o), () => undefined);
      throw err instanceof CatalogError ? err : new CatalogError('connect_failed', `Could not connect to server "${this.name}": ${describeCause(err)}.`, { server: this.name, cause: err });
    } finally {
      clearTimeout(timer);
    }
  }

  private adopt(opened: OpenedClient): void {
    this.opened = opened;
    this.lost = undefined;
    opened.client.onerror = (err) => this.logger.debug(`[${this.name}] ${describeCause(err)}`);
    opened.client.onclose = () => {
      if (this.opened !== opened || this.closed) return;
      const proc = opened.process;
      if (proc?.oversize) this.markLost({ kind: 'oversize', detail: `it sent a reply larger than ${formatBytes(this.maxReplyBytes)}` });
      else {
        const exit = proc?.exit;
        const how = exit ? (exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`) : 'closed the connection';
        const tail = proc?.stderr.tail(3);
        this.markLost({ kind: 'crashed', detail: `the server ${how}${tail ? ` (stderr: ${tail})` : ''}` });
      }
    };
  }

  private markLost(lost: Lost): void {
    if (this.lost) return;
    this.lost = lost;
    this.logger.warn(`Server "${this.name}" connection lost: ${lost.detail}.`);
    for (const w of this.lostWaiters) w(lost);
    this.lostWaiters.clear();
    this.stopProbe();
  }

  /** Lists every tool, following nextCursor. Rejects with CatalogError 'invalid_tools_list' / 'duplicate_name'. */
  async listTools(): Promise<WireTool[]> {
    const { client } = await this.open();
    return listAllTools(client, this.name, this.opts.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS);
  }

  /**
   * Calls one tool; resolves with its value or rejects with a ToolError (see ports.ts ToolInvoker).
   * The request carries a progressToken: each progress notification restarts the call's timer and
   * is passed to `opts.onProgress`. With `outputSchema`, structuredContent is checked against it.
   * `opts.idempotencyKey` goes as `_meta.idempotencyKey`; a retry after a crash or a lost
   * connection reconnects and sends the key its caller gave again (nothing here re-sends by itself).
   */
  async callTool(tool: string, args: Record<string, unknown>, opts: ToolCallOptions, outputSchema?: JsonSchema): Promise<unknown> {
    const fail = (code: ToolErrorCode, message: string, cause?: unknown, extra: { rpcCode?: number; field?: string } = {}): ToolError =>
      new ToolError(code, message, { server: this.name, tool, cause, ...extra });
    const what = `Tool "${tool}" on server "${this.name}"`;
    if (opts.signal.aborted) throw fail('cancelled', `${what} was not called: the run was cancelled.`);
    const ac = new AbortController();
    let reason: 'timeout' | 'cancelled' | undefined;
    const timeoutMs = Number.isFinite(opts.timeoutMs) ? Math.min(Math.max(opts.timeoutMs, 1), MAX_TIMER_MS - 60_000) : MAX_TIMER_MS - 60_000;
    const onTimer = (): void => {
      reason = 'timeout';
      ac.abort('timeout');
    };
    let timer = setTimeout(onTimer, timeoutMs);
    const onAbort = (): void => {
      reason ??= 'cancelled';
      ac.abort('cancelled');
    };
    opts.signal.addEventListener('abort', onAbort, { once: true });
    // The call's own deadline and the caller's signal also bound a (re)connect.
    const aborted = new Promise<never>((_, reject) => ac.signal.addEventListener('abort', () => reject(new Error(String(reason))), { once: true }));
    void aborted.catch(() => undefined);
    const ended = (err: unknown): ToolError | undefined => {
      if (reason === 'timeout') {
        const knob = `the run's toolCallTimeoutMs, or "toolweaver": { "toolCallTimeoutMs": … } in the server's mcp.json entry`;
        return fail('timeout', `${what} did not answer within ${opts.timeoutMs} ms (and sent no progress); the call was cancelled. Raise the per-call timeout (${knob}) if the tool is slow, or check the server.`, err);
      }
      if (reason === 'cancelled') return fail('cancelled', `${what} was cancelled before it answered.`, err);
      return undefined;
    };
    let opened: OpenedClient;
    try {
      opened = await Promise.race([this.open(), aborted]);
    } catch (err) {
      clearTimeout(timer);
      opts.signal.removeEventListener('abort', onAbort);
      throw ended(err) ?? fail('server_unreachable', `${what} cannot be called: ${describeCause(err)}`, err);
    }
    let onLost: ((l: Lost) => void) | undefined;
    const lost = new Promise<never>((_, reject) => {
      onLost = (l) => reject(Object.assign(new Error(l.detail), { lost: l }));
      this.lostWaiters.add(onLost);
    });
    this.inflight++;
    this.startProbe(opened);
    let raw: unknown;
    try {
      const onprogress = (p: { progress: number; total?: number; message?: string }): void => {
        if (reason) return;
        // The server is working on it: the call's own timer starts afresh (the SDK's does too).
        clearTimeout(timer);
        timer = setTimeout(onTimer, timeoutMs);
        try {
          opts.onProgress?.({ progress: p.progress, ...(p.total !== undefined ? { total: p.total } : {}), ...(p.message !== undefined ? { message: p.message } : {}) });
        } catch (err) {
          this.logger.debug(`[${this.name}] progress listener failed: ${describeCause(err)}`);
        }
      };
      raw = await Promise.race([
        opened.client.request({ method: 'tools/call', params: callParams(tool, args, opts.idempotencyKey) }, ANY, {
          signal: ac.signal,
          timeout: timeoutMs + 60_000,
          onprogress,
          resetTimeoutOnProgress: true,
        }),
        lost,
      ]);
    } catch (err) {
      const stopped = ended(err);
      if (stopped) throw stopped;
      const l: Lost | undefined = (err as { lost?: Lost }).lost ?? this.lost;
      if (l?.kind === 'oversize') throw fail('reply_too_large', `${what} sent a reply larger than ${formatBytes(this.maxReplyBytes)}, which was dropped; the connection will be re-established for the next call. Ask for less data (paging, filters).`, err);
      if (l) throw fail(l.kind === 'unreachable' ? 'server_unreachable' : 'server_crashed', `${what} failed: ${l.detail}. The next call will try to restart/reconnect the server; check its logs if this repeats.`, err);
      if (opened.http?.isOversize(err)) {
        // The capping fetch answered for the server: the reply was dropped, the session is fine.
        throw fail('reply_too_large', `${what} sent a reply larger than ${formatBytes(this.maxReplyBytes)}, which was dropped; the connection stays open. Ask for less data (paging, filters).`, err);
      }
      const error = classifyCallError(err, fail, what);
      // Transport-level failures (fetch errors, HTTP errors such as an expired session) reconnect next time.
      if (error.code === 'server_unreachable' || error.code === 'server_crashed') this.markLost({ kind: 'unreachable', detail: describeCause(err) });
      throw error;
    } finally {
      clearTimeout(timer);
      opts.signal.removeEventListener('abort', onAbort);
      if (onLost) this.lostWaiters.delete(onLost);
      void lost.catch(() => undefined);
      this.inflight--;
      if (this.inflight === 0) this.stopProbe();
    }
    const parsed = CallToolResultSchema.safeParse(raw);
    if (!parsed.success) {
      throw fail('malformed_reply', `${what} sent a malformed result: field "${issuePath(parsed.error)}" ${firstIssueMessage(parsed.error)}. This is a bug in the server.`, parsed.error);
    }
    const result = parsed.data;
    if (result.isError) {
      const text = result.content.map((c) => (typeof c.text === 'string' ? c.text : '')).filter(Boolean).join('\n').slice(0, 4096);
      throw fail('tool_failed', `${what} failed: ${text || '(no message)'}`);
    }
    if (outputSchema) {
      // MCP: clients SHOULD validate structuredContent against a declared outputSchema. A mismatch
      // is a ToolError, as in the SDK's own Client.callTool: the stubs promise that shape.
      const bad = checkOutput(outputSchema, result.structuredContent, (m) => this.logger.debug(`[${this.name}] the outputSchema of ${tool} does not compile (${m}); its results are not checked.`));
      if (bad) throw fail('malformed_reply', `${what} sent a result that does not match its declared outputSchema: ${bad.message}. This is a bug in the server.`, undefined, { field: bad.field });
    }
    return toolValue(result);
  }

  /** For HTTP servers, a ping per interval while calls are in flight: a dead server fails calls in seconds. */
  private startProbe(opened: OpenedClient): void {
    if (this.probe || (opened.via !== 'streamable-http' && opened.via !== 'sse')) return;
    this.probe = startLivenessProbe(opened.client, this.opts.livenessIntervalMs ?? LIVENESS_INTERVAL_MS, {
      paused: () => this.lost !== undefined,
      onDead: (detail) => this.markLost({ kind: 'unreachable', detail }),
    });
  }

  private stopProbe(): void {
    if (this.probe) clearInterval(this.probe);
    this.probe = undefined;
  }

  private async shutdown(opened: OpenedClient): Promise<void> {
    await opened.client.close().catch(() => undefined);
    await opened.process?.close();
    await opened.closeServer?.().catch(() => undefined);
  }

  /** Closes the connection and kills the server's process tree. Safe to call twice. */
  async close(): Promise<void> {
    this.closed = true;
    this.stopProbe();
    const opened = this.opened ?? (await this.opening?.catch(() => undefined));
    this.opened = undefined;
    if (opened) await this.shutdown(opened);
  }
}
