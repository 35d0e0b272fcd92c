import { describe, expect, it } from 'vitest';
import type { Catalog } from '../../../src/core/catalog/types';
import { computeTokenAccount, computeWaves } from '../../../src/core/account/account';
import { formatTokenAccount } from '../../../src/core/tokens/format';
import { catalogDefinitions, definitionsText } from '../../../src/core/tokens/text';
import { loadDefaultTokenizer, loadTokenizer, whitespaceTokenizer } from '../../../src/core/tokens/tokenizer';
import type { ToolSpan, Trace } from '../../../src/core/trace/schema';

// Whitespace tokenizer: every number below is countable by hand.
const catalog: Catalog = {
  id: 'c',
  servers: [{ name: 's', ident: 's', source: 'demo', status: { state: 'connected' }, tools: [{ name: 't', ident: 't', description: 'one two three', inputSchema: { type: 'object' } }] }],
};
const codeModeToolDefs = [{ name: 'run_code', description: 'run it', inputSchema: { type: 'object' } }];

function span(id: string, startMs: number, endMs: number, args: number, result: number, cached = false): ToolSpan {
  return {
    kind: 'tool', id, startMs, endMs, status: 'ok', server: 's', tool: 't', attempt: 1, cached,
    args: { value: {}, bytes: 2, truncated: false }, result: { value: 1, bytes: 1, truncated: false }, tokens: { args, result },
  };
}

function trace(spans: ToolSpan[]): Pick<Trace, 'spans' | 'status' | 'value' | 'logs' | 'error' | 'script'> {
  return {
    spans,
    status: 'ok',
    value: { value: { x: 1 }, bytes: 7, truncated: false },
    logs: [{ level: 'log', t: 1, text: 'hello world' }],
    script: { sha256: '0', bytes: 7, language: 'ts', source: 'a b c d' },
  };
}

describe('token account', () => {
  it('counts definitions as sent (hand check of the fixtures)', () => {
    expect(whitespaceTokenizer.count(definitionsText(catalogDefinitions(catalog)))).toBe(3);
    expect(whitespaceTokenizer.count(definitionsText(codeModeToolDefs))).toBe(2);
  });

  it('groups concurrent calls into waves and skips cached repeats', () => {
    const waves = computeWaves([span('a', 0, 10, 0, 0), span('b', 5, 15, 0, 0), span('c', 15, 20, 0, 0), span('d', 21, 21, 0, 0, true)]);
    expect(waves.map((w) => w.map((s) => s.id))).toEqual([['a', 'b'], ['c']]);
    // zero-length calls issued at the same instant are one wave; a later one is the next
    expect(computeWaves([span('a', 0, 0, 0, 0), span('b', 0, 0, 0, 0), span('c', 1, 1, 0, 0)]).map((w) => w.length)).toEqual([2, 1]);
    expect(computeWaves([])).toEqual([]);
  });

  it('computes both sides of a two-wave run by hand', () => {
    const a = computeTokenAccount({
      trace: trace([span('a', 0, 10, 2, 10), span('b', 5, 15, 2, 20), span('c', 15, 20, 3, 5), span('d', 21, 21, 9, 9, true)]),
      catalog,
      codeModeToolDefs,
      tokenizer: whitespaceTokenizer,
    });
    // classic: D=3; wave1 A=4 R=30; wave2 A=3 R=5. requests: in 3/out 4, in 37/out 3, in 45/out 0
    expect(a.classic).toEqual({
      requests: 3, input: 85, output: 7, total: 92, peakContext: 45, waves: 2, toolCalls: 3,
      breakdown: { definitions: 9, docs: 0, intermediateResults: 65, arguments: 18, script: 0, finalOutput: 0 },
    });
    // code mode: D=2, script 4, final '{"x":1}\nhello world' = 3. requests: in 2/out 4, in 9/out 0
    expect(a.codeMode).toEqual({
      requests: 2, input: 11, output: 4, total: 15, peakContext: 9,
      breakdown: { definitions: 4, docs: 0, intermediateResults: 0, arguments: 0, script: 8, finalOutput: 3 },
    });
    expect(a.savings).toEqual({ total: 77, definitions: 5, intermediateResults: 72, reduction: 0.837, peakReduction: 0.8 });
    expect(a.codeModeCostMore).toBe(false);
    expect(a.approximate).toBe(false);
    expect(a.tokenizer).toBe('whitespace');
  });

  it('adds a docs-reading request when docs were read', () => {
    const a = computeTokenAccount({ trace: trace([]), catalog, codeModeToolDefs, tokenizer: whitespaceTokenizer, docsRead: ['x y', 'z'] });
    // requests: in 2/out 0, in 5/out 4, in 12/out 0
    expect(a.codeMode).toMatchObject({ requests: 3, input: 19, output: 4, total: 23, peakContext: 12 });
    expect(a.codeMode.breakdown).toMatchObject({ definitions: 6, docs: 6, script: 8, finalOutput: 3 });
    // no calls: classic is one request with the definitions
    expect(a.classic).toMatchObject({ requests: 1, input: 3, output: 0, total: 3, waves: 0 });
    expect(a.codeModeCostMore).toBe(true);
    expect(a.savings.total).toBe(-20);
    expect(formatTokenAccount(a)).toContain('Code mode cost MORE: 20 tokens');
  });

  it('prefers the full run result over the truncated trace value, and flags estimates', () => {
    const t = trace([{ ...span('a', 0, 1, 0, 0), tokens: undefined, result: { preview: '"cut', bytes: 9000, truncated: true } }]);
    const a = computeTokenAccount({
      trace: t, catalog, codeModeToolDefs, tokenizer: whitespaceTokenizer,
      result: { ok: true, value: 'p q r s', logs: [], stats: { durationMs: 1, toolCalls: 1, cachedCalls: 0, failedToolCalls: 0, peakConcurrency: 1, logBytesDropped: 0 } },
    });
    expect(a.codeMode.breakdown.finalOutput).toBe(4);
    expect(a.approximate).toBe(true);
    expect(a.notes.join(' ')).toMatch(/underestimates/);
  });

  it('names the default tokenizer and counts with o200k_base', async () => {
    const tk = await loadDefaultTokenizer();
    expect(tk.name).toMatch(/o200k_base/);
    expect(tk.count('hello world')).toBe(2);
    expect(tk.count('<|endoftext|>')).toBeGreaterThan(1); // plain text, not a special token
    expect(tk.count('')).toBe(0);
    const cl = await loadTokenizer('cl100k_base');
    expect(cl.name).toBe('cl100k_base (gpt-tokenizer 4.0.0)');
    expect(cl.count('hello world')).toBe(2);
  });
});
