// Requests of OpenAPI calls: auth of each kind, query styles, headers, cookies and bodies, and a
// cross-origin redirect that must not carry the credentials.
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import type { OpenApiAuth } from '../../../../src/core/catalog/openapi/apiConfig';
import { buildRequest, createHttpInvoker, type HttpApi } from '../../../../src/core/catalog/openapi/httpInvoker';
import type { OperationPlan } from '../../../../src/core/catalog/openapi/operations';
import { ToolError } from '../../../../src/core/errors';

const fail = (code: string, message: string) => new ToolError(code as never, message, { server: 's', tool: 't' });
const api = (auth?: OpenApiAuth, baseUrl = 'http://127.0.0.1:1/api/'): HttpApi => ({ name: 's', baseUrl, plans: new Map(), headers: { 'X-Client': 'tw' }, ...(auth ? { auth } : {}) });
const plan = (p: Partial<OperationPlan>): OperationPlan => ({ method: 'get', path: '/x', params: [], jsonResult: true, ...p });

describe('buildRequest', () => {
  it('adds each kind of auth where it belongs', () => {
    const bearer = buildRequest(api({ type: 'bearer', token: 'tok-1' }), plan({}), {}, fail);
    expect(bearer.headers.get('authorization')).toBe('Bearer tok-1');
    const basic = buildRequest(api({ type: 'basic', username: 'me', password: 'pw:1' }), plan({}), {}, fail);
    expect(basic.headers.get('authorization')).toBe(`Basic ${Buffer.from('me:pw:1').toString('base64')}`);
    const header = buildRequest(api({ type: 'apiKey', in: 'header', name: 'X-Api-Key', value: 'k1' }), plan({}), {}, fail);
    expect(header.headers.get('x-api-key')).toBe('k1');
    expect(header.authHeaders).toEqual(['x-client', 'x-api-key']);
    const query = buildRequest(api({ type: 'apiKey', in: 'query', name: 'key', value: 'k 2' }), plan({}), {}, fail);
    expect(query.url.href).toBe('http://127.0.0.1:1/api/x?key=k+2');
  });

  it('serializes query styles, headers, cookies and bodies', () => {
    const p = plan({
      method: 'post',
      path: '/items/{id}/{sub}',
      params: [
        { name: 'id', in: 'path' },
        { name: 'sub', in: 'path' },
        { name: 'tags', in: 'query' },
        { name: 'ids', in: 'query', explode: false },
        { name: 'filter', in: 'query', style: 'deepObject' },
        { name: 'X-Req', in: 'header' },
        { name: 'session', in: 'cookie' },
      ],
      body: { mediaType: 'application/json', kind: 'json', required: true },
    });
    const r = buildRequest(api(), p, { path: { id: 7, sub: 'a/b' }, query: { tags: ['x', 'y'], ids: [1, 2], filter: { state: 'open' } }, header: { 'X-Req': 'r1' }, cookie: { session: 's 1' }, body: { a: 1 } }, fail);
    expect(r.method).toBe('POST');
    expect(r.url.href).toBe('http://127.0.0.1:1/api/items/7/a%2Fb?tags=x&tags=y&ids=1%2C2&filter%5Bstate%5D=open');
    expect(r.headers.get('x-req')).toBe('r1');
    expect(r.headers.get('cookie')).toBe('session=s%201');
    expect(r.headers.get('content-type')).toBe('application/json');
    expect(r.body).toBe('{"a":1}');
    const form = buildRequest(api(), plan({ method: 'post', body: { mediaType: 'application/x-www-form-urlencoded', kind: 'form', required: false } }), { body: { a: 'x y', n: 2 } }, fail);
    expect(String(form.body)).toBe('a=x+y&n=2');
  });

  it('refuses an empty path parameter instead of calling a different URL', () => {
    expect(() => buildRequest(api(), plan({ path: '/x/{id}', params: [{ name: 'id', in: 'path' }] }), { path: { id: '' } }, fail)).toThrow(/path.id is required/);
  });
});

describe('redirects', () => {
  it('drop the credentials when they leave the origin', async () => {
    const seen: IncomingHttpHeaders[] = [];
    const other = createServer((req, res) => {
      seen.push(req.headers);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"ok":true}');
    });
    await new Promise<void>((r) => other.listen(0, '127.0.0.1', r));
    const target = `http://localhost:${(other.address() as AddressInfo).port}/landing`;
    const first = createServer((req, res) => {
      seen.push(req.headers);
      res.writeHead(302, { location: target });
      res.end();
    });
    await new Promise<void>((r) => first.listen(0, '127.0.0.1', r));
    try {
      const base = `http://127.0.0.1:${(first.address() as AddressInfo).port}`;
      const invoker = createHttpInvoker(new Map([['s', { ...api({ type: 'bearer', token: 'tok-secret' }, base), plans: new Map([['t', plan({})]]) }]]));
      const value = await invoker.callTool({ server: 's', tool: 't', args: {} }, { signal: new AbortController().signal, timeoutMs: 5000 });
      expect(value).toEqual({ ok: true });
      expect(seen[0]?.authorization).toBe('Bearer tok-secret');
      expect(seen[0]?.['x-client']).toBe('tw');
      expect(seen[1]?.authorization).toBeUndefined();
      expect(seen[1]?.['x-client']).toBeUndefined();
    } finally {
      first.close();
      other.close();
    }
  });
});
