// Newline-delimited JSON-RPC from a server's stdout: lines are reassembled across chunks, capped at
// maxMessageBytes, and validated. Invariant: a reply we cannot use still settles its request at once
// (as a synthesized JSON-RPC error) instead of leaving it to time out; nothing else is delivered.
import { JSONRPCMessageSchema, type JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';

/** JSON-RPC error code we synthesize when a server's reply to a request is not valid JSON-RPC. */
export const MALFORMED_REPLY_CODE = -32098;

export interface JsonRpcLineHandlers {
  maxMessageBytes: number;
  message(message: JSONRPCMessage): void;
  /** A line that is not JSON, or not JSON-RPC and no reply: logged, the connection goes on. */
  error(err: Error): void;
  /** A message above maxMessageBytes: the reader drops what it buffered; the owner closes. */
  oversize(): void;
}

export interface JsonRpcLineReader {
  push(chunk: Buffer): void;
}

export function createJsonRpcLineReader(on: JsonRpcLineHandlers): JsonRpcLineReader {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let over = false;

  function deliver(line: string): void {
    const text = line.replace(/\r$/, '');
    if (!text.trim()) return;
    if (Buffer.byteLength(text) > on.maxMessageBytes) {
      over = true;
      on.oversize();
      return;
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      on.error(new Error(`The server wrote a line that is not JSON: ${text.slice(0, 200)}`));
      return;
    }
    const parsed = JSONRPCMessageSchema.safeParse(json);
    if (parsed.success) {
      on.message(parsed.data);
      return;
    }
    const id = (json as { id?: unknown } | null)?.id;
    const isReply = typeof json === 'object' && json !== null && !('method' in json);
    if (isReply && (typeof id === 'number' || typeof id === 'string')) {
      const issue = parsed.error.issues[0];
      on.message({
        jsonrpc: '2.0',
        id,
        error: {
          code: MALFORMED_REPLY_CODE,
          message: `malformed JSON-RPC reply${issue ? ` (${issue.path.join('.') || 'message'}: ${issue.message})` : ''}`,
        },
      });
    } else {
      on.error(new Error(`The server sent an invalid JSON-RPC message: ${text.slice(0, 200)}`));
    }
  }

  return {
    push(chunk) {
      if (over) return;
      let start = 0;
      for (let nl = chunk.indexOf(10); nl !== -1 && !over; nl = chunk.indexOf(10, start)) {
        pending.push(chunk.subarray(start, nl));
        const line = Buffer.concat(pending).toString('utf8');
        pending = [];
        pendingBytes = 0;
        start = nl + 1;
        deliver(line);
      }
      if (over) return;
      if (start < chunk.length) {
        pending.push(chunk.subarray(start));
        pendingBytes += chunk.length - start;
      }
      if (pendingBytes > on.maxMessageBytes) {
        over = true;
        pending = [];
        on.oversize();
      }
    },
  };
}
