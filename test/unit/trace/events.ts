// Hand-written RunEvent streams and results for recorder/store/exporter tests (no sandbox needed).
import type { Catalog } from '../../../src/core/catalog/types';
import type { RunEvent, RunResult, RunStats } from '../../../src/core/sandbox/types';

export const catalog: Catalog = {
  id: 'cat-1',
  servers: [
    {
      name: 'demo',
      ident: 'demo',
      source: 'demo',
      status: { state: 'connected' },
      tools: [
        { name: 'get_user', ident: 'getUser', description: 'Get a user', inputSchema: { type: 'object', properties: { id: { type: 'string' } } } },
        { name: 'list_orders', ident: 'listOrders', description: 'List orders', inputSchema: { type: 'object' } },
      ],
    },
  ],
};

export function stats(over: Partial<RunStats> = {}): RunStats {
  return { durationMs: 50, toolCalls: 0, cachedCalls: 0, failedToolCalls: 0, peakConcurrency: 1, logBytesDropped: 0, ...over };
}

/** A retry whose first attempt fails and second succeeds, then two parallel calls, and a log line. */
export function richEvents(): RunEvent[] {
  return [
    { type: 'helper.start', spanId: 'h1', t: 1, helper: 'retry', attrs: { attempts: 3 } },
    { type: 'helper.start', spanId: 'h2', parentId: 'h1', t: 1, helper: 'attempt', attrs: { attempt: 1 } },
    { type: 'tool.start', spanId: 't1', parentId: 'h2', t: 2, server: 'demo', tool: 'get_user', args: { id: 'u1' }, line: 3 },
    { type: 'tool.end', spanId: 't1', t: 5, ok: false, error: { code: 'tool_failed', message: 'busy, mail admin@example.com' }, cached: false },
    { type: 'helper.end', spanId: 'h2', t: 5, ok: false, error: { code: 'tool_failed', message: 'busy' } },
    { type: 'helper.start', spanId: 'h3', parentId: 'h1', t: 10, helper: 'attempt', attrs: { attempt: 2 } },
    { type: 'tool.start', spanId: 't2', parentId: 'h3', t: 10, server: 'demo', tool: 'get_user', args: { id: 'u1' }, line: 3 },
    { type: 'tool.end', spanId: 't2', t: 12, ok: true, result: { id: 'u1', name: 'Ada', token: 'abcdefgh' }, cached: false },
    { type: 'helper.end', spanId: 'h3', t: 12, ok: true },
    { type: 'helper.end', spanId: 'h1', t: 12, ok: true, attrs: { attemptsUsed: 2 } },
    { type: 'tool.start', spanId: 't3', t: 20, server: 'demo', tool: 'list_orders', args: {}, line: 5 },
    { type: 'tool.start', spanId: 't4', t: 20, server: 'demo', tool: 'list_orders', args: { page: 2 }, line: 6 },
    { type: 'tool.end', spanId: 't3', t: 30, ok: true, result: [1, 2, 3], cached: false },
    { type: 'tool.end', spanId: 't4', t: 25, ok: true, result: 'x'.repeat(40_000), cached: false },
    { type: 'log', entry: { level: 'log', t: 31, text: 'done with sk-AbCdEfGhIjKlMnOpQrStUvWx1234' } },
  ];
}

export function okResult(value: unknown = { total: 3 }): RunResult {
  return { ok: true, value, logs: [{ level: 'log', t: 31, text: 'done with sk-AbCdEfGhIjKlMnOpQrStUvWx1234' }], stats: stats({ toolCalls: 4, failedToolCalls: 1, peakConcurrency: 2 }) };
}

export function failResult(code: Extract<RunResult, { ok: false }>['error']['code'], message = 'it failed'): RunResult {
  return { ok: false, error: { name: 'Error', code, message }, logs: [], stats: stats() };
}
