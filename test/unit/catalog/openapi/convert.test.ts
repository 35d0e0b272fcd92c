// OpenAPI → catalog tools: names, input nesting, output schemas, annotations, $ref handling and the
// 3.0 dialect; and every kind of bad document, each a ConfigError naming the JSON pointer.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseMcpConfigText, parseOpenApiSources } from '../../../../src/core/catalog/config';
import { convertSpec } from '../../../../src/core/catalog/openapi/operations';
import { checkVersion, loadSpec } from '../../../../src/core/catalog/openapi/specLoad';
import { compileSchema } from '../../../../src/core/catalog/schemaCheck';
import { ConfigError } from '../../../../src/core/errors';

const NOTES = path.resolve(__dirname, '../../../fixtures/openapi/notes.yaml');

function convert(doc: Record<string, unknown>) {
  return convertSpec({ ...checkVersion(doc, 'api.json'), source: 'api.json' });
}

function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

const minimal = (paths: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ openapi: '3.0.3', info: { title: 't', version: '1' }, paths, ...extra });

describe('convertSpec', () => {
  it('turns the notes API (YAML) into tools: names, nesting, outputs and annotations', async () => {
    const api = convertSpec(await loadSpec(NOTES));
    expect(api.tools.map((t) => t.name).sort()).toEqual(['big', 'createNote', 'deleteNote', 'echo', 'fail', 'getNote', 'hop', 'listNotes', 'slow']);
    expect(api.serverUrl).toBe('http://127.0.0.1:9/v1');
    const list = api.tools.find((t) => t.name === 'listNotes')!;
    // Without a description the summary leads the description (no separate title to print twice).
    expect(list.title).toBeUndefined();
    expect(list.description).toBe('List notes, one page at a time\n\nGET /notes');
    expect(list.inputSchema).toEqual({
      type: 'object',
      properties: {
        query: {
          type: 'object',
          description: 'Query-string parameters.',
          properties: {
            limit: { type: 'integer', minimum: 1, maximum: 50, default: 2, description: 'Notes per page (1-50).' },
            cursor: { type: 'string', description: 'The `next` value of the previous page.' },
            tag: { type: 'array', items: { type: 'string' }, description: 'Only notes with all of these tags.' },
          },
          additionalProperties: false,
        },
      },
      additionalProperties: false,
    });
    // Components become $defs (the closure only), nullable becomes a type union.
    expect(list.outputSchema).toMatchObject({
      properties: { items: { items: { $ref: '#/$defs/Note' } }, next: { type: ['string', 'null'] } },
      $defs: { Note: { allOf: [{ $ref: '#/$defs/NewNote' }, { properties: { parent: { $ref: '#/$defs/Note' } } }] }, NewNote: { required: ['text'] } },
    });
    expect(Object.keys(list.outputSchema!.$defs as object).sort()).toEqual(['NewNote', 'Note']);
    expect(list.annotations).toEqual({ readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true });
    const create = api.tools.find((t) => t.name === 'createNote')!;
    expect(create.inputSchema).toMatchObject({ properties: { body: { $ref: '#/$defs/NewNote' } }, required: ['body'] });
    expect(create.annotations).toMatchObject({ readOnlyHint: false, destructiveHint: false, idempotentHint: false });
    const del = api.tools.find((t) => t.name === 'deleteNote')!;
    expect(del.annotations).toMatchObject({ readOnlyHint: false, destructiveHint: true, idempotentHint: true });
    expect(del.outputSchema).toBeUndefined();
    // Path-item parameters reach every operation of the path; path params are required.
    expect(api.tools.find((t) => t.name === 'getNote')!.inputSchema).toMatchObject({ properties: { path: { required: ['id'] } }, required: ['path'] });
    expect(api.plans.get('getNote')).toEqual({ method: 'get', path: '/notes/{id}', params: [{ name: 'id', in: 'path' }], jsonResult: true });
    expect(api.plans.get('big')).toMatchObject({ jsonResult: false });
  });

  it('produces schemas ajv compiles and that check arguments (self-reference included)', async () => {
    const api = convertSpec(await loadSpec(NOTES));
    const create = compileSchema(api.tools.find((t) => t.name === 'createNote')!.inputSchema);
    expect(create({ body: { text: 'hi', tags: ['a'] } })).toBe(true);
    expect(create({ body: { text: '' } })).toBe(false);
    expect(create({ body: { text: 'x' }, extra: 1 })).toBe(false);
    const out = compileSchema(api.tools.find((t) => t.name === 'listNotes')!.outputSchema!);
    expect(out({ items: [{ id: 'a', text: 't', parent: { id: 'b', text: 'u' } }], next: null })).toBe(true);
  });

  it('keeps the summary as title and only the first paragraph of a description, without link targets', () => {
    const description = 'Lists the [pulls](https://docs.example.com/pulls) of a repo.\n\nThis endpoint supports custom media types.\n\n- raw\n- html';
    const [tool] = convert(minimal({ '/p': { get: { operationId: 'p', summary: 'List pulls', description, deprecated: true, responses: {} } } })).tools;
    expect(tool!.title).toBe('List pulls');
    expect(tool!.annotations?.title).toBe('List pulls');
    expect(tool!.description).toBe('Lists the pulls of a repo.\n\nGET /p (deprecated)');
  });

  it('names operations without an operationId by method and path, never taking an operationId', () => {
    const api = convert(minimal({ '/a/{x}': { parameters: [{ name: 'x', in: 'path', schema: { type: 'string' } }], get: { responses: {} }, put: { operationId: 'get_/a/{x}', responses: {} } } }));
    expect(api.tools.map((t) => t.name).sort()).toEqual(['get_/a/{x}', 'get_/a/{x}_2']);
  });

  it('marks 3.1 schemas as 2020-12 and keeps their null types', () => {
    const api = convert({ openapi: '3.1.0', info: { title: 't', version: '1' }, paths: { '/p': { get: { operationId: 'p', responses: { '200': { description: 'ok', content: { 'application/json': { schema: { type: ['string', 'null'] } } } } } } } } });
    expect(api.tools[0]!.outputSchema).toEqual({ $schema: 'https://json-schema.org/draft/2020-12/schema', type: ['string', 'null'] });
  });

  it('drops examples and x- extensions but keeps properties named like them', () => {
    const api = convert(minimal({ '/p': { post: { operationId: 'p', requestBody: { content: { 'application/json': { schema: { type: 'object', example: { a: 1 }, 'x-internal': true, properties: { example: { type: 'string' } } } } } }, responses: {} } } }));
    expect(api.tools[0]!.inputSchema.properties).toEqual({ body: { type: 'object', properties: { example: { type: 'string' } } } });
  });
});

describe('bad OpenAPI documents', () => {
  it('refuses Swagger 2.0 with a way out', () => {
    const err = configError(() => checkVersion({ swagger: '2.0', paths: {} }, 'old.json'));
    expect(err.code).toBe('openapi_unsupported');
    expect(err.message).toContain('Swagger 2.0');
    expect(err.message).toContain('Convert it to OpenAPI 3');
  });

  it('refuses other versions and non-documents', () => {
    expect(configError(() => checkVersion({ openapi: '4.0.0' }, 'x')).code).toBe('openapi_unsupported');
    expect(configError(() => checkVersion([], 'x')).code).toBe('openapi_invalid');
    expect(configError(() => checkVersion({ info: {} }, 'x')).field).toBe('#/openapi');
  });

  it('names the JSON pointer of an invalid part', () => {
    const err = configError(() => convert(minimal({ '/r/{id}': { get: { parameters: [{ name: 'id', in: 'body' }], responses: {} } } })));
    expect(err.code).toBe('openapi_invalid');
    expect(err.field).toBe('#/paths/~1r~1{id}/get/parameters/0/in');
    expect(err.message).toContain('at #/paths/~1r~1{id}/get/parameters/0/in must be one of "path", "query", "header", "cookie"');
    expect(configError(() => convert(minimal({ 'r': {} }))).field).toBe('#/paths/r');
    expect(configError(() => convert(minimal({ '/r/{id}': { get: { responses: {} } } }))).message).toContain('does not declare the path parameter "id"');
    expect(configError(() => convert({ openapi: '3.0.0', info: {} })).field).toBe('#/paths');
  });

  it('names an unresolvable $ref where it is written', () => {
    const err = configError(() => convert(minimal({ '/p': { get: { operationId: 'p', responses: { '200': { description: '', content: { 'application/json': { schema: { type: 'array', items: { $ref: '#/components/schemas/Missing' } } } } } } } } })));
    expect(err.code).toBe('openapi_invalid');
    expect(err.field).toBe('#/paths/~1p/get/responses/200/content/application~1json/schema/items/$ref');
    expect(err.message).toContain('"#/components/schemas/Missing", which does not exist');
    const param = configError(() => convert(minimal({ '/p': { get: { parameters: [{ $ref: '#/components/parameters/nope' }], responses: {} } } })));
    expect(param.field).toBe('#/paths/~1p/get/parameters/0/$ref');
    const external = configError(() => convert(minimal({ '/p': { get: { parameters: [{ $ref: 'other.yaml#/P' }], responses: {} } } })));
    expect(external.message).toContain('external $ref "other.yaml#/P"');
  });

  it('refuses duplicate operationIds, naming both operations', () => {
    const err = configError(() => convert(minimal({ '/a': { get: { operationId: 'same', responses: {} } }, '/b': { post: { operationId: 'same', responses: {} } } })));
    expect(err.field).toBe('#/paths/~1b/post/operationId');
    expect(err.message).toContain('repeats the operationId "same" of #/paths/~1a/get');
  });

  it('says when a file is missing, is not JSON/YAML, or a URL does not answer', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'tw-openapi-'));
    const missing = await loadSpec(path.join(dir, 'none.json')).catch((e: unknown) => e);
    expect(ConfigError.is(missing, 'openapi_unreadable')).toBe(true);
    writeFileSync(path.join(dir, 'bad.yaml'), 'openapi: [3\n  x: : :');
    const bad = await loadSpec(path.join(dir, 'bad.yaml')).catch((e: unknown) => e);
    expect(ConfigError.is(bad, 'openapi_invalid')).toBe(true);
    // A port nothing listens on, and a server that never answers (bounded by the timeout).
    const closed = await loadSpec('http://127.0.0.1:9/spec.json').catch((e: unknown) => e);
    expect(ConfigError.is(closed, 'openapi_unreadable')).toBe(true);
    expect((closed as ConfigError).message).toContain('could not be loaded');
    const silent = createServer(() => undefined);
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    try {
      const url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/spec.json`;
      const hung = await loadSpec(url, { timeoutMs: 300 }).catch((e: unknown) => e);
      expect(ConfigError.is(hung, 'openapi_unreadable')).toBe(true);
      expect((hung as ConfigError).message).toContain('no answer within 300 ms');
    } finally {
      silent.closeAllConnections();
      silent.close();
    }
  });
});

describe('openapi entries in the catalog config', () => {
  const ctx = { file: 'settings', workspaceFolder: '/ws', env: { NOTES_TOKEN: 'env-secret-token' } };
  it('resolves variables, makes the spec path absolute and collects auth values as secrets', async () => {
    const parsed = await parseOpenApiSources({ notes: { spec: 'api/notes.yaml', baseUrl: 'http://127.0.0.1:1/v1', auth: { type: 'bearer', token: '${env:NOTES_TOKEN}' } }, b: { spec: 'https://x.test/o.json', auth: { type: 'basic', username: 'me', password: '${input:pw}' } } }, { ...ctx, inputs: async () => 'input-password' });
    expect(parsed.apis?.notes).toEqual({ type: 'openapi', spec: path.resolve('/ws', 'api/notes.yaml'), baseUrl: 'http://127.0.0.1:1/v1', headers: {}, auth: { type: 'bearer', token: 'env-secret-token' } });
    expect(parsed.apis?.b?.spec).toBe('https://x.test/o.json');
    expect(parsed.secrets.values).toEqual(expect.arrayContaining(['env-secret-token', 'input-password', Buffer.from('me:input-password').toString('base64')]));
  });
  it('names the offending field', async () => {
    const err = await parseOpenApiSources({ a: { spec: 'x.json', auth: { type: 'oauth' } } }, ctx).catch((e: unknown) => e);
    expect(ConfigError.is(err, 'config_invalid')).toBe(true);
    expect((err as ConfigError).field).toBe('openapi.a.auth.type');
    const url = await parseOpenApiSources({ a: { spec: 'x.json', baseUrl: 'ftp://x' } }, ctx).catch((e: unknown) => e);
    expect((url as ConfigError).field).toBe('openapi.a.baseUrl');
  });
  it('refuses an OpenAPI description passed as the MCP config (it used to load as 0 servers)', async () => {
    const err = await parseMcpConfigText(JSON.stringify({ openapi: '3.0.3', info: {}, paths: {} }), { file: 'openapi.json', workspaceFolder: '/ws', env: {} }).catch((e: unknown) => e);
    expect(ConfigError.is(err, 'config_invalid')).toBe(true);
    expect((err as ConfigError).message).toContain('is an OpenAPI description, not an MCP configuration. Pass it with --openapi NAME=openapi.json');
    const swagger = await parseMcpConfigText('{"swagger": "2.0", "paths": {}}', { file: 'old.json', workspaceFolder: '/ws', env: {} }).catch((e: unknown) => e);
    expect(ConfigError.is(swagger, 'config_invalid')).toBe(true);
  });
});
