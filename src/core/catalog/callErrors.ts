// What a tools/call rejection means, for a transport known to be alive: a ToolError code chosen by
// the SDK's error classes and JSON-RPC codes (McpError, ZodError, StreamableHTTPError, SseError,
// UnauthorizedError, fetch's TypeError), never by message text.
import { SseError } from '@modelcontextprotocol/sdk/client/sse.js';
import { StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { UnauthorizedError } from '@modelcontextprotocol/sdk/client/auth.js';
import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { describeCause, type ToolError, type ToolErrorCode } from '../errors';
import { MALFORMED_REPLY_CODE } from './stdioLines';
import { firstIssueMessage, issuePath } from './wire';

/**
 * The server's own text of a JSON-RPC error reply. This is the one place that reads error text, and
 * only to strip a prefix, never to classify: SDK 1.32's McpError keeps the code (`err.code`) and the
 * data (`err.data`) but not the server's message, which it folds into `message` as
 * `MCP error <code>: <message>` (types.js, `new McpError(code, message, data)`). Without the prefix,
 * the text goes into our own sentence once, not as "MCP error -32602: MCP error -32602: …".
 */
export function mcpServerMessage(err: McpError): string {
  const prefix = `MCP error ${err.code}: `;
  return err.message.startsWith(prefix) ? err.message.slice(prefix.length) : err.message;
}

/**
 * Classifies what client.request() rejected with once the transport is known to be alive (a dead
 * one was handled before): by error class and code, never by message text.
 */
export function classifyCallError(err: unknown, fail: (code: ToolErrorCode, message: string, cause?: unknown, extra?: { rpcCode?: number }) => ToolError, what: string): ToolError {
  // The SDK rejects with a raw ZodError when a reply fails its own schema.
  if (err instanceof z.ZodError) return fail('malformed_reply', `${what} sent a malformed reply: ${issuePath(err)} ${firstIssueMessage(err)}.`, err);
  if (err instanceof McpError) {
    // A JSON-RPC error reply (any code, -32000 included): the server answered; the connection stays.
    const rpcCode = err.code;
    const text = mcpServerMessage(err).slice(0, 4096);
    if (rpcCode === MALFORMED_REPLY_CODE) return fail('malformed_reply', `${what} sent a reply that is not valid JSON-RPC (${text}). This is a bug in the server.`, err);
    if (rpcCode === ErrorCode.InvalidParams) return fail('invalid_arguments', `${what} rejected its arguments (JSON-RPC error ${rpcCode}): ${text}`, err, { rpcCode });
    return fail('tool_failed', `${what} failed: the server answered with JSON-RPC error ${rpcCode}: ${text || '(no message)'}`, err, { rpcCode });
  }
  if (err instanceof UnauthorizedError || ((err instanceof StreamableHTTPError || err instanceof SseError) && (err.code === 401 || err.code === 403))) {
    return fail('server_unreachable', `${what} was refused by the server (${describeCause(err)}): it needs (new) credentials. Set them as "headers" in mcp.json, with an input for the secret.`, err);
  }
  if (err instanceof StreamableHTTPError || err instanceof SseError) return fail('server_unreachable', `${what} could not be reached: ${describeCause(err)}. The next call will reconnect.`, err);
  // fetch() rejects with a TypeError when nothing answers at the address.
  if (err instanceof TypeError) return fail('server_unreachable', `${what} could not be reached: ${describeCause(err)}. Check that the server is running.`, err);
  return fail('server_unreachable', `${what} failed: ${describeCause(err)}.`, err);
}
