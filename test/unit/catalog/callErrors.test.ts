// tools/call rejections are classified by the SDK's error classes and JSON-RPC codes; the one piece
// of text handling (stripping the SDK's "MCP error <code>: " prefix) is checked against an error the
// real SDK client builds from a real server's JSON-RPC error reply.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { CallToolRequestSchema, ErrorCode, ListToolsRequestSchema, McpError } from '@modelcontextprotocol/sdk/types.js';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { classifyCallError, mcpServerMessage } from '../../../src/core/catalog/callErrors';
import { ToolError, type ToolErrorCode } from '../../../src/core/errors';

const fail = (code: ToolErrorCode, message: string, cause?: unknown, extra: { rpcCode?: number } = {}) => new ToolError(code, message, { server: 's', tool: 't', cause, ...extra });
const what = 'Tool "t" on server "s"';

/** What the SDK client rejects with when the server answers tools/call with JSON-RPC error `code`. */
async function realRpcError(code: number, message: string): Promise<unknown> {
  const server = new Server({ name: 'err', version: '0' }, { capabilities: { tools: {} } });
  server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: [] }));
  server.setRequestHandler(CallToolRequestSchema, () => {
    throw Object.assign(new Error(message), { code });
  });
  const [a, b] = InMemoryTransport.createLinkedPair();
  await server.connect(a);
  const client = new Client({ name: 'c', version: '0' });
  await client.connect(b);
  try {
    return await client.request({ method: 'tools/call', params: { name: 't', arguments: {} } }, z.unknown()).then(
      () => undefined,
      (err: unknown) => err,
    );
  } finally {
    await client.close();
    await server.close();
  }
}

describe('classifyCallError', () => {
  it("strips the SDK's prefix from a real JSON-RPC error and keeps the code", async () => {
    const err = await realRpcError(ErrorCode.InvalidParams, 'limit must be a number');
    expect(err).toBeInstanceOf(McpError);
    expect((err as McpError).message).toBe('MCP error -32602: limit must be a number'); // SDK 1.32's shape
    expect(mcpServerMessage(err as McpError)).toBe('limit must be a number');
    const e = classifyCallError(err, fail, what);
    expect([e.code, e.rpcCode, e.message]).toEqual(['invalid_arguments', -32602, `${what} rejected its arguments (JSON-RPC error -32602): limit must be a number`]);
  });

  it('maps other JSON-RPC codes to tool_failed with the code, whatever the text says', async () => {
    const err = await realRpcError(-32000, 'invalid params: timeout while connecting');
    const e = classifyCallError(err, fail, what);
    expect([e.code, e.rpcCode]).toEqual(['tool_failed', -32000]);
    expect(e.message).toBe(`${what} failed: the server answered with JSON-RPC error -32000: invalid params: timeout while connecting`);
  });

  it('classifies by class: ZodError, HTTP errors, auth refusals and fetch TypeErrors', () => {
    const zod = z.object({ a: z.string() }).safeParse({ a: 1 });
    expect(classifyCallError(zod.error, fail, what).code).toBe('malformed_reply');
    const refused = classifyCallError(new StreamableHTTPError(401, 'Unauthorized'), fail, what);
    expect(refused.code).toBe('server_unreachable');
    expect(refused.message).toContain('it needs (new) credentials');
    expect(classifyCallError(new StreamableHTTPError(404, 'Session not found'), fail, what).message).toContain('The next call will reconnect.');
    expect(classifyCallError(new TypeError('fetch failed'), fail, what).message).toContain('Check that the server is running.');
    // Text that looks like a known failure does not change the class's meaning.
    expect(classifyCallError(new Error('MCP error -32602: invalid params'), fail, what).code).toBe('server_unreachable');
  });
});
