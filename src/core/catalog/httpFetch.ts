// The fetch the SDK's HTTP transports (Streamable HTTP and legacy SSE) use: every reply body is
// capped at maxReplyBytes, like stdio, and 401/403 challenges are kept for the error message.
// Invariant: at most maxReplyBytes of one reply (one SSE event) is ever held; an oversize reply to
// a request becomes a JSON-RPC error for that request id, anything else ends the stream.
import type { FetchLike } from '@modelcontextprotocol/sdk/shared/transport.js';
import { McpError } from '@modelcontextprotocol/sdk/types.js';
import { randomUUID } from 'node:crypto';

/** JSON-RPC error code of the reply we synthesize for a request whose reply was too large. */
export const REPLY_TOO_LARGE_CODE = -32097;
/** Request bodies larger than this are not parsed for their JSON-RPC id. */
const MAX_ID_SCAN_BYTES = 1024 * 1024;

/** A WWW-Authenticate challenge the server sent with a 401 or 403. */
export interface AuthChallenge {
  status: number;
  /** The header as sent (first 500 characters). */
  header: string;
  /** Auth scheme, e.g. `Bearer` or `Basic`. */
  scheme?: string;
  realm?: string;
  /** OAuth protected-resource metadata (RFC 9728), when the server names it. */
  resourceMetadata?: string;
}

export interface CappedFetchOptions {
  maxReplyBytes: number;
  /** An oversize reply that could not be pinned to a request (a GET stream): the connection must go. */
  onOversize(detail: string): void;
  /** The underlying fetch (default: global fetch). */
  fetch?: FetchLike;
}

export interface CappedFetch {
  fetch: FetchLike;
  /** The last 401/403 challenge seen, if any. */
  challenge(): AuthChallenge | undefined;
  /** True when `err` is the reply this fetch synthesized for an oversize reply (not a server's error). */
  isOversize(err: unknown): boolean;
}

/** Wraps `fetch` so that replies are capped and challenges remembered (see the file header). */
export function createCappedFetch(opts: CappedFetchOptions): CappedFetch {
  const base = opts.fetch ?? fetch;
  const cap = opts.maxReplyBytes;
  // A server can send any error code; only replies carrying this process's nonce are ours.
  const nonce = randomUUID();
  let challenge: AuthChallenge | undefined;

  const capped: FetchLike = async (url, init) => {
    const res = await base(url, init);
    if (res.status === 401 || res.status === 403) {
      const header = res.headers.get('www-authenticate');
      if (header) challenge = parseChallenge(res.status, header);
    }
    // Redirects are inspected by the SDK (type, location): hand them over untouched.
    if (!res.body || res.type === 'opaqueredirect' || (res.status >= 300 && res.status < 400)) return res;
    const id = res.ok ? requestId(init?.body) : undefined;
    const type = (res.headers.get('content-type') ?? '').split(';')[0]?.trim().toLowerCase();
    const tooLarge = (): string => JSON.stringify({ jsonrpc: '2.0', id, error: { code: REPLY_TOO_LARGE_CODE, message: `reply larger than ${cap} bytes`, data: { toolweaverReplyTooLarge: nonce, maxReplyBytes: cap } } });
    let body: ReadableStream<Uint8Array>;
    if (type === 'text/event-stream') {
      body = capEvents(res.body, cap, id === undefined ? undefined : () => `event: message\ndata: ${tooLarge()}\n\n`, opts.onOversize);
    } else {
      const declared = Number(res.headers.get('content-length') ?? NaN);
      body = capWhole(res.body, cap, declared, id === undefined ? undefined : tooLarge, opts.onOversize);
    }
    const headers = new Headers(res.headers);
    headers.delete('content-length');
    const out = new Response(body, { status: res.status, statusText: res.statusText, headers });
    Object.defineProperty(out, 'url', { value: res.url });
    return out;
  };

  return {
    fetch: capped,
    challenge: () => challenge,
    isOversize: (err) => err instanceof McpError && err.code === REPLY_TOO_LARGE_CODE && (err.data as { toolweaverReplyTooLarge?: unknown } | undefined)?.toolweaverReplyTooLarge === nonce,
  };
}

/** The JSON-RPC id of a single request in a POST body, if it is one. */
function requestId(body: unknown): string | number | undefined {
  if (typeof body !== 'string' || body.length > MAX_ID_SCAN_BYTES) return undefined;
  try {
    const msg = JSON.parse(body) as { id?: unknown; method?: unknown } | null;
    if (msg && typeof msg === 'object' && typeof msg.method === 'string' && (typeof msg.id === 'string' || typeof msg.id === 'number')) return msg.id;
  } catch {
    // not JSON: nothing to pin an error to
  }
  return undefined;
}

/** The source ended within the cap: pass on what was held and end the stream; nothing is held after. */
function flushAndClose(held: Uint8Array[], controller: ReadableStreamDefaultController<Uint8Array>): Uint8Array[] {
  for (const c of held) controller.enqueue(c);
  controller.close();
  return [];
}

/**
 * Ends a capped stream that went over its cap: cancels the source, then sends `replacement` (an
 * error reply for the request) or, without one, reports `detail` and errors the stream.
 */
async function endOversize(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  controller: ReadableStreamDefaultController<Uint8Array>,
  replacement: (() => string) | undefined,
  detail: string,
  onOversize: (detail: string) => void,
): Promise<void> {
  await reader.cancel().catch(() => undefined);
  if (replacement) {
    controller.enqueue(new TextEncoder().encode(replacement()));
    controller.close();
  } else {
    onOversize(detail);
    controller.error(new Error(detail));
  }
}

/**
 * A whole-body reply (JSON, or an error page): held until complete, since a JSON parser needs all
 * of it anyway. Past `cap` the source is cancelled and `replacement` (an error reply for the
 * request) is sent instead; without one the stream ends in an error.
 */
function capWhole(source: ReadableStream<Uint8Array>, cap: number, declared: number, replacement: (() => string) | undefined, onOversize: (detail: string) => void): ReadableStream<Uint8Array> {
  const reader = source.getReader();
  let held: Uint8Array[] = [];
  let size = 0;
  const overflow = (controller: ReadableStreamDefaultController<Uint8Array>): Promise<void> => {
    held = [];
    return endOversize(reader, controller, replacement, `the server sent a reply larger than ${cap} bytes`, onOversize);
  };
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (Number.isFinite(declared) && declared > cap) return overflow(controller);
      for (;;) {
        const { done, value } = await reader.read();
        if (done) {
          held = flushAndClose(held, controller);
          return;
        }
        size += value.byteLength;
        if (size > cap) return overflow(controller);
        held.push(value);
      }
    },
    cancel: (reason) => reader.cancel(reason),
  });
}

/**
 * An SSE stream: each event is held until its blank line, then passed on, so an oversize event is
 * never delivered. Past `cap` within one event the source is cancelled; a reply to a request gets
 * `replacement` (an error event for its id), a stream without a request ends in an error.
 */
function capEvents(source: ReadableStream<Uint8Array>, cap: number, replacement: (() => string) | undefined, onOversize: (detail: string) => void): ReadableStream<Uint8Array> {
  const reader = source.getReader();
  let held: Uint8Array[] = [];
  let heldBytes = 0;
  let atLineStart = true;
  let prevCR = false;
  const overflow = (controller: ReadableStreamDefaultController<Uint8Array>): Promise<void> => {
    held = [];
    // The blank line first ends anything a parser may have buffered from this stream.
    return endOversize(reader, controller, replacement && (() => `\n\n${replacement()}`), `the server sent an event larger than ${cap} bytes`, onOversize);
  };
  return new ReadableStream<Uint8Array>({
    // pull() must enqueue (or end) before it returns: a pull that only buffers is not called again.
    async pull(controller) {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) {
          held = flushAndClose(held, controller);
          return;
        }
        let segStart = 0;
        for (let i = 0; i < value.length; i++) {
          const b = value[i] as number;
          if (b === 10 && prevCR) {
            prevCR = false;
            continue; // second half of CRLF
          }
          if (b !== 10 && b !== 13) {
            prevCR = false;
            atLineStart = false;
            continue;
          }
          prevCR = b === 13;
          if (atLineStart) {
            // A blank line ends the event: pass it on whole, unless it is over the cap.
            if (heldBytes + (i + 1 - segStart) > cap) return overflow(controller);
            for (const c of held) controller.enqueue(c);
            held = [];
            heldBytes = 0;
            controller.enqueue(value.subarray(segStart, i + 1));
            segStart = i + 1;
          }
          atLineStart = true;
        }
        const passed = segStart > 0;
        const rest = value.subarray(segStart);
        heldBytes += rest.byteLength;
        if (heldBytes > cap) return overflow(controller);
        if (rest.byteLength) held.push(rest);
        if (passed) return;
      }
    },
    cancel: (reason) => reader.cancel(reason),
  });
}

/** Parses `Bearer realm="x", error="invalid_token"` (the first challenge only). */
export function parseChallenge(status: number, header: string): AuthChallenge {
  const text = header.slice(0, 500);
  const out: AuthChallenge = { status, header: text };
  const scheme = /^\s*([A-Za-z0-9!#$%&'*+.^_`|~-]+)/.exec(text)?.[1];
  if (scheme) out.scheme = scheme;
  for (const m of text.matchAll(/([A-Za-z_][A-Za-z0-9_-]*)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]+))/g)) {
    const key = (m[1] ?? '').toLowerCase();
    const value = (m[2] ?? m[3] ?? '').replace(/\\(.)/g, '$1');
    if (key === 'realm' && out.realm === undefined) out.realm = value;
    if (key === 'resource_metadata' && out.resourceMetadata === undefined) out.resourceMetadata = value;
  }
  return out;
}
