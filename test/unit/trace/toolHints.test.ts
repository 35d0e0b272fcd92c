import { describe, expect, it } from 'vitest';
import { buildCatalog } from '../../../src/core/catalog/catalogId';
import { recordToolHints } from '../../../src/core/trace/toolHints';
import type { ToolSpan, Trace } from '../../../src/core/trace/schema';

function toolSpan(id: string, tool: string): ToolSpan {
  return { kind: 'tool', id, startMs: 0, endMs: 1, status: 'ok', server: 'crm', tool, attempt: 1, cached: false, args: { value: {}, bytes: 2, truncated: false } };
}

describe('recordToolHints', () => {
  it('copies the declared read-only / idempotent / destructive hints onto each tool span, and nothing else', () => {
    const catalog = buildCatalog([
      {
        name: 'crm',
        source: 'catalog-file',
        status: { state: 'offline' },
        tools: [
          { name: 'lookup', inputSchema: { type: 'object' }, annotations: { readOnlyHint: true, idempotentHint: true, title: 'Look up' } },
          { name: 'add', inputSchema: { type: 'object' }, annotations: { destructiveHint: false, idempotentHint: false } },
          { name: 'plain', inputSchema: { type: 'object' } },
        ],
      },
    ]);
    const trace = { spans: [toolSpan('a', 'lookup'), toolSpan('b', 'add'), toolSpan('c', 'plain'), toolSpan('d', 'gone')] } as unknown as Trace;
    expect(recordToolHints(trace, catalog)).toBe(2);
    const hints = (trace.spans as ToolSpan[]).map((s) => s.hints);
    expect(hints).toEqual([{ readOnlyHint: true, idempotentHint: true }, { destructiveHint: false, idempotentHint: false }, undefined, undefined]);
  });
});
