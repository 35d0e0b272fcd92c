// OpenAPI sources against real HTTP servers on 127.0.0.1: the fixture notes API (auth, errors,
// pagination, a slow endpoint, redirects, big replies) through the catalog's invoker and through
// `toolweaver run` (sandbox + trace), and Stoplight Prism mocking the same description.
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../../src/cli/command';
import { runCli } from '../../../src/cli/main';
import { loadCatalog, type LoadedCatalog } from '../../../src/core/catalog/loadCatalog';
import { describeTool, searchTools } from '../../../src/core/discovery/toolSearch';
import { ToolError } from '../../../src/core/errors';
import { startNotesApi, type NotesApi } from '../../fixtures/openapi/notesApi';
import { freePort, tempDir } from './helpers';

const ROOT = path.resolve(__dirname, '../../..');
const NOTES = path.join(ROOT, 'test/fixtures/openapi/notes.yaml');
const TOKEN = 'tw-notes-secret-7f3a9c';

let api: NotesApi;
let loaded: LoadedCatalog;

async function call(tool: string, args: Record<string, unknown>, opts: { timeoutMs?: number; signal?: AbortSignal; catalog?: LoadedCatalog } = {}): Promise<unknown> {
  return (opts.catalog ?? loaded).invoker.callTool({ server: 'notes', tool, args }, { signal: opts.signal ?? new AbortController().signal, timeoutMs: opts.timeoutMs ?? 5000 });
}

async function toolError(p: Promise<unknown>): Promise<ToolError> {
  const err = await p.then(() => undefined, (e: unknown) => e);
  if (!(err instanceof ToolError)) throw new Error(`expected a ToolError, got ${String(err)}`);
  return err;
}

beforeAll(async () => {
  api = await startNotesApi({ token: TOKEN });
  loaded = await loadCatalog({
    cwd: ROOT,
    servers: {},
    openapi: { notes: { spec: NOTES, baseUrl: api.url, auth: { type: 'bearer', token: '${input:notes-token}' }, toolweaver: { maxReplyBytes: 64 * 1024 } } },
    inputs: async (id) => (id === 'notes-token' ? TOKEN : undefined),
  });
});

afterAll(async () => {
  await loaded?.close();
  await api?.close();
});

describe('an OpenAPI source against the notes API', () => {
  it('is a connected server of the catalog whose auth value is a secret', () => {
    const server = loaded.catalog.servers.find((s) => s.name === 'notes')!;
    expect(server).toMatchObject({ source: 'openapi', status: { state: 'connected' }, serverInfo: { name: 'Notes API', version: '1.0.0' } });
    expect(server.tools).toHaveLength(9);
    expect(loaded.secrets.values).toContain(TOKEN);
  });

  it('is searched and described like an MCP server', () => {
    expect(searchTools(loaded.catalog, 'create a note', { limit: 3 })[0]).toMatchObject({ server: 'notes', tool: 'createNote', ident: 'notes.createNote' });
    const text = describeTool(loaded.catalog, 'notes.listNotes');
    expect(text).toContain('tools.notes.listNotes(');
    expect(text).toContain('cursor?: string');
  });

  it('builds path, query and header with encoding, and sends the bearer token', async () => {
    const got = (await call('echo', { path: { name: 'a b/ç?' }, query: { q: 'x&y=z #' }, header: { 'X-Trace': 't-1' } })) as Record<string, unknown>;
    expect(got).toEqual({ name: 'a b/ç?', q: 'x&y=z #', trace: 't-1', rawUrl: '/v1/echo/a%20b%2F%C3%A7%3F?q=x%26y%3Dz+%23' });
    expect(api.authorizations.at(-1)).toBe(`Bearer ${TOKEN}`);
  });

  it('pages through a list with the cursor, repeats array query parameters, posts JSON and deletes', async () => {
    const ids: string[] = [];
    let cursor: string | null = null;
    do {
      const page = (await call('listNotes', { query: { limit: 2, ...(cursor ? { cursor } : {}) } })) as { items: { id: string }[]; next: string | null };
      ids.push(...page.items.map((n) => n.id));
      cursor = page.next;
    } while (cursor);
    expect(ids).toEqual(['n1', 'n2', 'n3', 'n4', 'n5']);
    const odd = (await call('listNotes', { query: { limit: 50, tag: ['odd'] } })) as { items: { id: string }[] };
    expect(odd.items.map((n) => n.id)).toEqual(['n2', 'n4']);
    const created = (await call('createNote', { body: { text: 'new one', tags: ['x'] } })) as { id: string };
    expect(created).toEqual({ id: 'n6', text: 'new one', tags: ['x'] });
    expect(await call('deleteNote', { path: { id: 'n6' } })).toBeNull();
  });

  it('turns 4xx/5xx into typed errors with the status and the (truncated) error body', async () => {
    const missing = await toolError(call('getNote', { path: { id: 'nope' } }));
    expect(missing).toMatchObject({ code: 'tool_failed', httpStatus: 404, server: 'notes', tool: 'getNote' });
    expect(missing.message).toContain('HTTP 404');
    expect(missing.message).toContain('no note nope');
    const bad = await toolError(call('createNote', { body: { text: '' } }));
    expect(bad).toMatchObject({ code: 'invalid_arguments', httpStatus: 422 });
    const crash = await toolError(call('fail', {}));
    expect(crash).toMatchObject({ code: 'tool_failed', httpStatus: 500 });
    expect(crash.message).toContain('failure 500 as asked');
    expect(crash.message.length).toBeLessThan(1400);
    expect(crash.message).toMatch(/… \(\d+ characters\)/);
    expect(await toolError(call('fail', { query: { status: 429 } }))).toMatchObject({ code: 'rate_limited', httpStatus: 429 });
  });

  it('refuses wrong credentials with a typed error that says what to fix', async () => {
    const wrong = await loadCatalog({ cwd: ROOT, openapi: { notes: { spec: NOTES, baseUrl: api.url, auth: { type: 'bearer', token: 'wrong-token' } } } });
    try {
      const err = await toolError(call('getNote', { path: { id: 'n1' } }, { catalog: wrong }));
      expect(err).toMatchObject({ code: 'tool_failed', httpStatus: 401 });
      expect(err.message).toContain('check "auth"');
    } finally {
      await wrong.close();
    }
  });

  it('times out a slow call and aborts its request; cancels on the caller\'s signal', async () => {
    const before = api.abortedSlow;
    const started = Date.now();
    const timedOut = await toolError(call('slow', { query: { ms: 10_000 } }, { timeoutMs: 300 }));
    expect(timedOut.code).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(5000);
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 200);
    const cancelled = await toolError(call('slow', { query: { ms: 10_000 } }, { signal: ac.signal }));
    expect(cancelled.code).toBe('cancelled');
    // The server saw both requests go away (the socket closed before its answer).
    for (let i = 0; i < 50 && api.abortedSlow < before + 2; i++) await new Promise((r) => setTimeout(r, 50));
    expect(api.abortedSlow).toBe(before + 2);
    expect(await call('slow', { query: { ms: 10 } })).toEqual({ waited: 10 });
  });

  it('follows a few redirects, refuses too many, and caps the reply size', async () => {
    expect(await call('hop', { query: { n: 3 } })).toEqual({ arrived: true });
    const loop = await toolError(call('hop', { query: { n: 9 } }));
    expect(loop.code).toBe('server_unreachable');
    expect(loop.message).toContain('redirected more than 5 times');
    expect(await call('big', { query: { bytes: 1000 } })).toBe('b'.repeat(1000));
    expect((await toolError(call('big', { query: { bytes: 200_000 } }))).code).toBe('reply_too_large');
  });

  it('says an API is unreachable when nothing listens at its base URL', async () => {
    const port = await freePort();
    const gone = await loadCatalog({ cwd: ROOT, openapi: { notes: { spec: NOTES, baseUrl: `http://127.0.0.1:${port}/v1` } } });
    try {
      expect((await toolError(call('getNote', { path: { id: 'n1' } }, { catalog: gone }))).code).toBe('server_unreachable');
    } finally {
      await gone.close();
    }
  });
});

describe('toolweaver run against an OpenAPI source', () => {
  it('calls operations from a script; the token reaches the API but never the sandbox or the trace', async () => {
    const dir = tempDir('tw-openapi-run-');
    writeFileSync(
      path.join(dir, 'mcp.json'),
      JSON.stringify({
        inputs: [{ type: 'promptString', id: 'notes-token', password: true }],
        servers: { notes: { type: 'openapi', spec: NOTES, baseUrl: api.url, auth: { type: 'bearer', token: '${input:notes-token}' } } },
      }),
    );
    writeFileSync(
      path.join(dir, 'script.ts'),
      [
        'const ids: string[] = [];',
        'let cursor: string | undefined;',
        'do {',
        '  const page = await tools.notes.listNotes({ query: { limit: 2, ...(cursor ? { cursor } : {}) } });',
        '  ids.push(...page.items.map((n) => n.id));',
        '  cursor = page.next ?? undefined;',
        '} while (cursor);',
        'let failed = "";',
        'try { await tools.notes.getNote({ path: { id: "nope" } }); } catch (err) { failed = (err as { code: string }).code; }',
        'const g = globalThis as Record<string, unknown>;',
        'return { ids, failed, seen: JSON.stringify(Object.keys(g)) + JSON.stringify(tools) };',
      ].join('\n'),
    );
    const out: string[] = [];
    const err: string[] = [];
    const io: CliIo = { out: (t) => out.push(t), err: (t) => err.push(t), cwd: dir, env: { PATH: process.env.PATH, TOOLWEAVER_INPUT_NOTES_TOKEN: TOKEN } };
    const before = api.authorizations.length;
    const code = await runCli(['run', 'script.ts', '--config', 'mcp.json', '--json', '--trace-dir', 'traces'], io);
    expect(err.join('\n')).not.toContain('error');
    expect(code).toBe(0);
    const result = JSON.parse(out.join('\n')) as { ok: boolean; value: { ids: string[]; failed: string; seen: string }; traceFile: string };
    expect(result.value.ids).toEqual(['n1', 'n2', 'n3', 'n4', 'n5']);
    expect(result.value.failed).toBe('tool_failed');
    expect(api.authorizations.slice(before)).toEqual(Array(4).fill(`Bearer ${TOKEN}`));
    expect(out.join('\n')).not.toContain(TOKEN);
    const traces = readdirSync(path.join(dir, 'traces'), { recursive: true }).map(String);
    expect(traces.length).toBeGreaterThan(0);
    for (const f of traces) {
      const full = path.join(dir, 'traces', f);
      if (f.endsWith('.json') || f.endsWith('.jsonl')) expect(readFileSync(full, 'utf8')).not.toContain(TOKEN);
    }
    expect(readFileSync(result.traceFile, 'utf8')).toContain('listNotes');
  });
});

describe('Stoplight Prism mocking the notes description', () => {
  let prism: ChildProcess | undefined;
  let base = '';
  beforeAll(async () => {
    const port = await freePort();
    prism = spawn(process.execPath, [path.join(ROOT, 'node_modules/.bin/prism'), 'mock', NOTES, '-h', '127.0.0.1', '-p', String(port)], { stdio: ['ignore', 'pipe', 'pipe'] });
    base = `http://127.0.0.1:${port}`;
    let log = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`Prism did not start within 45 s:\n${log}`)), 45_000);
      const onData = (d: Buffer): void => {
        log += d.toString();
        if (/Prism is listening/.test(log)) {
          clearTimeout(timer);
          resolve();
        }
      };
      prism!.stdout!.on('data', onData);
      prism!.stderr!.on('data', onData);
      prism!.once('exit', (c) => reject(new Error(`Prism exited (${c}):\n${log}`)));
    });
  }, 60_000);
  afterAll(() => {
    prism?.kill('SIGTERM');
  });

  it('calls operations the mock answers from the schema, and gets its validation errors as typed errors', async () => {
    const mock = await loadCatalog({ cwd: ROOT, openapi: { notes: { spec: NOTES, baseUrl: base, auth: { type: 'apiKey', in: 'header', name: 'X-Api-Key', value: 'k-123456' } } } });
    try {
      const note = (await call('getNote', { path: { id: 'n1' } }, { catalog: mock })) as Record<string, unknown>;
      expect(typeof note.id).toBe('string');
      expect(typeof note.text).toBe('string');
      const page = (await call('listNotes', { query: { limit: 3 } }, { catalog: mock })) as { items: unknown[] };
      expect(Array.isArray(page.items)).toBe(true);
      // Prism validates requests against the description: a missing required query parameter is a 422.
      const err = await toolError(call('slow', {}, { catalog: mock }));
      expect(err.httpStatus).toBe(422);
      expect(err.code).toBe('invalid_arguments');
    } finally {
      await mock.close();
    }
  });
});
