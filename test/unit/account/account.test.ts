import { describe, expect, it } from 'vitest';
import type { Catalog } from '../../../src/core/catalog/types';
import { computeTokenAccount } from '../../../src/core/account/account';
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

function span(id: string, startMs: number, endMs: number, args: number, result: number, cached = false, values: { args?: unknown; result?: unknown } = {}): ToolSpan {
  return {
    kind: 'tool', id, startMs, endMs, status: 'ok', server: 's', tool: 't', attempt: 1, cached,
    args: { value: values.args ?? {}, bytes: 2, truncated: false }, result: { value: values.result ?? 1, bytes: 1, truncated: false }, tokens: { args, result },
  };
}

const sonnet = { model: 'sonnet', price: { input: 3, output: 15, cacheWrite: 3.75, cacheRead: 0.3 } };

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

  it('computes both sides of a two-wave run by hand (waves by data dependency, cached repeats left out)', () => {
    // c uses a value from a's result: wave 2; b is independent of a although it overlaps it in time
    const a = computeTokenAccount({
      trace: trace([
        span('a', 0, 10, 2, 10, false, { result: { next: 'tok_7f3a' } }),
        span('b', 5, 15, 2, 20),
        span('c', 15, 20, 3, 5, false, { args: { token: 'tok_7f3a' } }),
        span('d', 21, 21, 9, 9, true),
      ]),
      catalog,
      codeModeToolDefs,
      tokenizer: whitespaceTokenizer,
      pricing: sonnet,
    });
    // classic: D=3; wave1 A=4 R=30; wave2 A=3 R=5. requests: in 3/out 4, in 37/out 3, in 45/out 0
    // naive (one call per turn): in 3/out 2, in 15/out 2, in 37/out 3, in 45/out 0 = 100 + 7
    expect(a.classic).toEqual({
      requests: 3, input: 85, output: 7, total: 92, peakContext: 45, waves: 2, toolCalls: 3,
      breakdown: { definitions: 9, docs: 0, intermediateResults: 65, arguments: 18, script: 0, finalOutput: 0 },
      range: { conservative: 92, naive: 107 },
    });
    // code mode: D=2, script 4, final '{"x":1}\nhello world' = 3. requests: in 2/out 4, in 9/out 0
    expect(a.codeMode).toEqual({
      requests: 2, input: 11, output: 4, total: 15, peakContext: 9,
      breakdown: { definitions: 4, docs: 0, intermediateResults: 0, arguments: 0, script: 8, finalOutput: 3 },
    });
    expect(a.savings).toEqual({ total: 77, definitions: 5, intermediateResults: 72, reduction: 0.837, peakReduction: 0.8 });
    // dollars, $/Mtok 3 / 15 / 3.75 / 0.30. classic cold: reads 0+7+40, writes 3+30+5, output 7;
    // warm: the 3 definition tokens of request 0 are a read. code mode cold: reads 0+6, writes 2+3,
    // output 4; warm: reads 2+6, writes 0+3.
    const usd = (read: number, write: number, out: number) => (read * 0.3 + write * 3.75 + out * 15) / 1e6;
    expect(a.cost?.model).toBe('sonnet');
    expect(a.cost?.cold.classic).toBeCloseTo(usd(47, 38, 7), 12);
    expect(a.cost?.warm.classic).toBeCloseTo(usd(50, 35, 7), 12);
    expect(a.cost?.cold.codeMode).toBeCloseTo(usd(6, 5, 4), 12);
    expect(a.cost?.warm.codeMode).toBeCloseTo(usd(8, 3, 4), 12);
    expect(a.cost?.warm.reduction).toBe(0.7069);
    expect(a.cost?.cold.reduction).toBe(0.6921);
    expect(a.cost?.reduction).toBe(a.cost?.warm.reduction);
    expect(a.codeModeCostMore).toBe(false);
    expect(a.truncated).toBe(false);
    expect(a.approximate).toBe(false);
    expect(a.tokenizer).toBe('whitespace');
    expect(formatTokenAccount(a)).toContain('Classic range: 92 (parallel calls, the figure above) to 107 (one call per turn).');
  });

  it('gives the serial and the Promise.all form of the same 15 reads the same classic figure', () => {
    const ids = Array.from({ length: 15 }, (_, i) => `cus_${String(i + 1).padStart(4, '0')}`);
    const list = span('list', 0, 5, 3, 60, false, { result: { customers: ids.map((id) => ({ id })) } });
    const serial = [list, ...ids.map((id, i) => span(`r${i}`, 6 + 10 * i, 15 + 10 * i, 3, 40, false, { args: { customerId: id }, result: { id } }))];
    const parallel = [list, ...ids.map((id, i) => span(`r${i}`, 6, 30 + i, 3, 40, false, { args: { customerId: id }, result: { id } }))];
    const of = (spans: ToolSpan[], source: string) => computeTokenAccount({ trace: trace(spans), catalog, codeModeToolDefs, tokenizer: whitespaceTokenizer, script: source });
    const s = of(serial, 'const l = await list(); for (const c of l.customers) await get({ customerId: c.id });');
    const p = of(parallel, 'const l = await list(); await Promise.all(l.customers.map((c) => get({ customerId: c.id })));');
    expect(s.classic.waves).toBe(2);
    expect(p.classic.waves).toBe(2);
    expect(Math.abs(s.classic.total - p.classic.total) / s.classic.total).toBeLessThanOrEqual(0.02);
    expect(s.classic.total).toBe(p.classic.total);
    expect(s.classic.range?.naive).toBeGreaterThan(s.classic.total * 3);
  });

  it('claims no saving for a failed run, and says so', () => {
    const a = computeTokenAccount({ trace: { ...trace([span('a', 0, 1, 50, 500)]), status: 'failed' }, catalog, codeModeToolDefs, tokenizer: whitespaceTokenizer });
    expect(a.savings).toBeNull();
    expect(a.classic.total).toBeGreaterThan(a.codeMode.total);
    expect(a.notes.join(' ')).toMatch(/claims no saving/);
    expect(formatTokenAccount(a)).toContain('No saving claimed');
    expect(formatTokenAccount(a)).not.toMatch(/Saved \d|saved/);
  });

  it('flags code mode as costing more when it saves tokens but not warm-cache dollars (output is dear)', () => {
    const words = (n: number) => Array.from({ length: n }, (_, i) => `w${i}`).join(' ');
    // classic: D=3, one call A=2 R=40 → requests in 3/out 2, in 45/out 0 = 50 tokens
    // code mode: D=2, script 20, final 3 → in 2/out 20, in 25/out 0 = 47 tokens, 20 of them output
    const a = computeTokenAccount({ trace: trace([span('a', 0, 1, 2, 40)]), catalog, codeModeToolDefs, tokenizer: whitespaceTokenizer, script: words(20), pricing: sonnet });
    expect(a.classic.total).toBe(50);
    expect(a.codeMode.total).toBe(47);
    expect(a.savings?.total).toBe(3);
    expect(a.cost!.warm.codeMode).toBeGreaterThan(a.cost!.warm.classic);
    expect(a.codeModeCostMore).toBe(true);
    expect(formatTokenAccount(a)).toContain('Code mode cost MORE in dollars (warm cache), though it used 3 fewer tokens');
  });

  it('counts an image result as an image block, not as base64 text', async () => {
    const { readFileSync } = await import('node:fs');
    const png = readFileSync(new URL('../../fixtures/images/big.jpg', import.meta.url)).toString('base64');
    const content = [{ type: 'image', data: png, mimeType: 'image/jpeg' }];
    const img: ToolSpan = { ...span('a', 0, 1, 0, 0), tokens: undefined, result: { value: content, bytes: png.length, truncated: false } };
    const a = computeTokenAccount({ trace: trace([img]), catalog, codeModeToolDefs, tokenizer: whitespaceTokenizer });
    // 2000×1000 px, scaled to fit ~1.2 MP: 1,599 tokens (its base64 text is one whitespace "word")
    expect(a.classic.breakdown.intermediateResults).toBe(1599);
  });

  it('passes the reply-cut flag the caller gives through as `truncated`', () => {
    const base = { trace: trace([]), catalog, codeModeToolDefs, tokenizer: whitespaceTokenizer };
    expect(computeTokenAccount(base).truncated).toBe(false);
    expect(computeTokenAccount({ ...base, sent: { text: 'a b', truncated: true } }).truncated).toBe(true);
  });

  it('adds a docs-reading request when docs were read', () => {
    const a = computeTokenAccount({ trace: trace([]), catalog, codeModeToolDefs, tokenizer: whitespaceTokenizer, docsRead: ['x y', 'z'] });
    // requests: in 2/out 0, in 5/out 4, in 12/out 0
    expect(a.codeMode).toMatchObject({ requests: 3, input: 19, output: 4, total: 23, peakContext: 12 });
    expect(a.codeMode.breakdown).toMatchObject({ definitions: 6, docs: 6, script: 8, finalOutput: 3 });
    // no calls: classic is one request with the definitions
    expect(a.classic).toMatchObject({ requests: 1, input: 3, output: 0, total: 3, waves: 0 });
    expect(a.codeModeCostMore).toBe(true);
    expect(a.savings?.total).toBe(-20);
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
