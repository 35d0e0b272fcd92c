// The reply-capping fetch against a real HTTP server on 127.0.0.1: whole replies and SSE events
// over the cap become an error reply for their request id, a stream without one is ended, replies
// under the cap pass byte for byte, and 401 challenges are parsed.
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { McpError } from '@modelcontextprotocol/sdk/types.js';
import { createCappedFetch, parseChallenge, REPLY_TOO_LARGE_CODE } from '../../../src/core/catalog/httpFetch';

const CAP = 64 * 1024;
let server: Server;
let base: string;

function sse(res: ServerResponse, events: string[]): void {
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  for (const e of events) res.write(`event: message\ndata: ${e}\n\n`);
  res.end();
}

beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume();
    const size = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('size') ?? 10);
    const route = new URL(req.url ?? '/', 'http://x').pathname;
    if (route === '/json') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ jsonrpc: '2.0', id: 7, result: { text: 'x'.repeat(size) } }));
    } else if (route === '/sse') {
      sse(res, [JSON.stringify({ jsonrpc: '2.0', method: 'notifications/progress', params: { progress: 1, progressToken: 7 } }), JSON.stringify({ jsonrpc: '2.0', id: 7, result: { text: 'y'.repeat(size) } })]);
    } else if (route === '/auth') {
      res.writeHead(401, { 'www-authenticate': 'Bearer realm="corp", error="invalid_token", resource_metadata="https://auth.example/.well-known/oauth-protected-resource"' });
      res.end('no');
    } else {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const post = { method: 'POST', body: JSON.stringify({ jsonrpc: '2.0', id: 7, method: 'tools/call', params: {} }) };

describe('createCappedFetch', () => {
  it('passes a JSON reply under the cap unchanged', async () => {
    const capped = createCappedFetch({ maxReplyBytes: CAP, onOversize: () => undefined });
    const body = (await (await capped.fetch(`${base}/json?size=1000`, post)).json()) as { result: { text: string } };
    expect(body.result.text).toHaveLength(1000);
  });

  it('replaces an oversize JSON reply with a JSON-RPC error for the same id', async () => {
    const oversize: string[] = [];
    const capped = createCappedFetch({ maxReplyBytes: CAP, onOversize: (d) => oversize.push(d) });
    const body = (await (await capped.fetch(`${base}/json?size=${CAP * 4}`, post)).json()) as { id: number; error: { code: number; message: string; data: unknown } };
    expect(body.id).toBe(7);
    expect(body.error.code).toBe(REPLY_TOO_LARGE_CODE);
    expect(capped.isOversize(new McpError(body.error.code, body.error.message, body.error.data))).toBe(true);
    // A server sending the same code is not mistaken for the cap.
    expect(capped.isOversize(new McpError(REPLY_TOO_LARGE_CODE, 'x', { toolweaverReplyTooLarge: 'guess' }))).toBe(false);
    expect(oversize).toEqual([]);
  });

  it('passes SSE events under the cap whole and replaces an oversize one', async () => {
    const capped = createCappedFetch({ maxReplyBytes: CAP, onOversize: () => undefined });
    const small = await (await capped.fetch(`${base}/sse?size=1000`, post)).text();
    expect(small.split('\n\n').filter(Boolean)).toHaveLength(2);
    expect(small).toContain('y'.repeat(1000));
    const big = await (await capped.fetch(`${base}/sse?size=${CAP * 4}`, post)).text();
    expect(big).toContain('notifications/progress'); // the event before passed
    expect(big).not.toContain('yyyy');
    const last = big.split('\n\n').filter((e) => e.includes('data:')).pop() ?? '';
    const reply = JSON.parse(last.slice(last.indexOf('data: ') + 6)) as { id: number; error: { code: number } };
    expect(reply).toMatchObject({ id: 7, error: { code: REPLY_TOO_LARGE_CODE } });
  });

  it('catches an oversize event that arrives whole in one chunk', async () => {
    const capped = createCappedFetch({ maxReplyBytes: 4096, onOversize: () => undefined });
    const text = await (await capped.fetch(`${base}/sse?size=10000`, post)).text();
    expect(text).not.toContain('yyyy');
    expect(text).toContain(String(REPLY_TOO_LARGE_CODE));
  });

  it('ends a stream that belongs to no request and tells the connection', async () => {
    const oversize: string[] = [];
    const capped = createCappedFetch({ maxReplyBytes: CAP, onOversize: (d) => oversize.push(d) });
    const res = await capped.fetch(`${base}/sse?size=${CAP * 4}`, { method: 'GET' });
    await expect(res.text()).rejects.toThrow(/larger than 65536 bytes/);
    expect(oversize).toHaveLength(1);
  });

  it('keeps the 401 challenge', async () => {
    const capped = createCappedFetch({ maxReplyBytes: CAP, onOversize: () => undefined });
    const res = await capped.fetch(`${base}/auth`, post);
    expect(res.status).toBe(401);
    expect(capped.challenge()).toMatchObject({ status: 401, scheme: 'Bearer', realm: 'corp', resourceMetadata: 'https://auth.example/.well-known/oauth-protected-resource' });
  });
});

describe('parseChallenge', () => {
  it('reads scheme and realm, quoted or not', () => {
    expect(parseChallenge(401, 'Basic realm=intranet')).toMatchObject({ scheme: 'Basic', realm: 'intranet' });
    expect(parseChallenge(401, 'Bearer realm="a \\"quoted\\" realm"')).toMatchObject({ scheme: 'Bearer', realm: 'a "quoted" realm' });
    expect(parseChallenge(401, 'Negotiate')).toEqual({ status: 401, header: 'Negotiate', scheme: 'Negotiate' });
  });
});
