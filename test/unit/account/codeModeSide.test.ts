import { describe, expect, it } from 'vitest';
import type { Catalog } from '../../../src/core/catalog/types';
import { computeTokenAccount, scriptAsSent, type TokenAccountInput } from '../../../src/core/account/account';
import { createConversationAccount } from '../../../src/core/account/conversation';
import { servedCodeModeDefinitions } from '../../../src/core/discovery/servedTools';
import { formatTokenAccount } from '../../../src/core/tokens/format';
import { definitionsText } from '../../../src/core/tokens/text';
import { loadDefaultTokenizer, whitespaceTokenizer } from '../../../src/core/tokens/tokenizer';
import type { ToolSpan, Trace } from '../../../src/core/trace/schema';

// The same fixtures as account.test.ts: whitespace tokens, countable by hand.
const catalog: Catalog = {
  id: 'c',
  servers: [{ name: 's', ident: 's', source: 'demo', status: { state: 'connected' }, tools: [{ name: 't', ident: 't', description: 'one two three', inputSchema: { type: 'object' } }] }],
};
const codeModeToolDefs = [{ name: 'run_code', description: 'run it', inputSchema: { type: 'object' } }];
const sonnet = { model: 'sonnet', price: { input: 3, output: 15, cacheWrite: 3.75, cacheRead: 0.3 } };

function span(id: string, startMs: number, endMs: number, args: number, result: number): ToolSpan {
  return {
    kind: 'tool', id, startMs, endMs, status: 'ok', server: 's', tool: 't', attempt: 1, cached: false,
    args: { value: {}, bytes: 2, truncated: false }, result: { value: 1, bytes: 1, truncated: false }, tokens: { args, result },
  };
}

function trace(status: Trace['status'] = 'ok'): Pick<Trace, 'spans' | 'status' | 'value' | 'logs' | 'error' | 'script'> {
  return {
    spans: [span('a', 0, 10, 2, 10), span('b', 5, 15, 2, 20)],
    status,
    value: { value: { x: 1 }, bytes: 7, truncated: false },
    logs: [{ level: 'log', t: 1, text: 'hello world' }],
    script: { sha256: '0', bytes: 7, language: 'ts', source: 'a b c d' },
  };
}

const base = (extra: Partial<TokenAccountInput> = {}): TokenAccountInput => ({ trace: trace(), catalog, codeModeToolDefs, tokenizer: whitespaceTokenizer, pricing: sonnet, ...extra });

describe('code mode, everything it sends', () => {
  it('counts the script as sent: JSON-escaped inside run_code arguments, or as a fenced chat block', async () => {
    const tok = await loadDefaultTokenizer();
    const script = 'const r = await tools.s.t({ q: "a \\"quoted\\" word" });\nconsole.log(`done`);\nreturn r;';
    const asTool = computeTokenAccount({ ...base(), tokenizer: tok, script });
    const fenced = computeTokenAccount({ ...base(), tokenizer: tok, script, scriptAs: 'fenced' });
    expect(scriptAsSent(script)).toBe(JSON.stringify({ code: script }));
    expect(asTool.codeMode.breakdown.script).toBe(2 * tok.count(JSON.stringify({ code: script })));
    // The escapes (\n, \") cost tokens the raw text does not have.
    expect(asTool.codeMode.breakdown.script).toBeGreaterThan(2 * tok.count(script));
    expect(fenced.codeMode.breakdown.script).toBe(2 * tok.count(`\`\`\`ts\n${script}\n\`\`\``));
  });

  it('counts the definitions served over MCP (run_code with the manifest) when the caller names none', async () => {
    const tok = await loadDefaultTokenizer();
    const { codeModeToolDefs: _drop, ...rest } = base();
    const a = computeTokenAccount({ ...rest, tokenizer: tok });
    const served = tok.count(definitionsText(servedCodeModeDefinitions(catalog, 'mcp')));
    expect(a.codeMode.breakdown.definitions).toBe(served * a.codeMode.requests);
    expect(servedCodeModeDefinitions(catalog, 'mcp')[0]?.description).toContain('- tools.s: t');
  });

  it('counts a surface prompt (the chat loop) with the definitions, in every request', () => {
    const a = computeTokenAccount(base({ codeModeToolDefs: [], codeModePrompt: 'p q r' }));
    expect(a.codeMode.breakdown.definitions).toBe(3 * a.codeMode.requests);
  });

  it('counts a script the type check rejected and its error reply as an earlier round', () => {
    // D=2, attempt script {"code":"x y"} = 2, reply 3, script 4, final 3. Requests: in 2/out 2,
    // in 7/out 4, in 14/out 0. Repairs: the attempt's script once + (script + reply) in 2 later requests.
    const a = computeTokenAccount(base({ attempts: [{ script: 'x y', reply: 'bad type here' }] }));
    expect(a.codeMode).toEqual({
      requests: 3, input: 23, output: 6, total: 29, peakContext: 14,
      breakdown: { definitions: 6, docs: 0, intermediateResults: 0, arguments: 0, script: 8, finalOutput: 3, repairs: 12 },
    });
    expect(a.notes.join(' ')).toContain('1 script(s) the type check rejected');
  });

  it('adds the failed runs before this one to its code-mode side and its dollars', () => {
    const plain = computeTokenAccount(base());
    const carried = { runs: 1, tokens: 20, input: 16, output: 4, usdWarm: 0.001, usdCold: 0.002 };
    const a = computeTokenAccount(base({ carried }));
    expect(a.codeMode.total).toBe(plain.codeMode.total + 20);
    expect(a.codeMode.breakdown.repairs).toBe(20);
    expect(a.codeMode.requests).toBe(plain.codeMode.requests);
    expect(a.earlierAttempts).toEqual({ runs: 1, tokens: 20, usdWarm: 0.001, usdCold: 0.002 });
    expect(a.cost?.warm.codeMode).toBeCloseTo((plain.cost?.warm.codeMode ?? 0) + 0.001, 9);
    expect(a.savings?.total).toBe(plain.classic.total - plain.codeMode.total - 20);
    expect(formatTokenAccount(a)).toMatch(/repairs \(rejected, failed\)\s+0\s+20/);
  });

  it('says plainly on the CLI when the reply was cut and when code mode cost more', () => {
    const a = computeTokenAccount(base({ sent: { text: 'short', truncated: true } }));
    expect(a.truncated).toBe(true);
    expect(formatTokenAccount(a)).toContain('The reply was cut: the model read a preview (or cut logs), less than the run produced');
    // A one-call run with a large served definition set: code mode costs more, and the table says so.
    const big = computeTokenAccount(base({ codeModeToolDefs: [{ name: 'run_code', description: Array(200).fill('w').join(' '), inputSchema: {} }] }));
    expect(big.codeModeCostMore).toBe(true);
    expect(formatTokenAccount(big)).toContain('Code mode cost MORE');
  });
});

describe('conversation scope', () => {
  it('re-sends earlier turns on both sides: two runs cost more than the sum of the single runs', () => {
    const c = createConversationAccount({ definitions: codeModeToolDefs, tracksDocs: true });
    const a = computeTokenAccount(base());
    // code mode: total 15, last request 9 = D 2 + 7 of turns; classic: one wave, total 44 in 2 requests, last 37 = D 3 + 34.
    expect([a.codeMode.total, a.codeMode.peakContext, a.classic.total, a.classic.peakContext, a.classic.requests]).toEqual([15, 9, 44, 37, 2]);
    c.record(a, sonnet.price);
    const t = c.record(a, sonnet.price);
    expect(t.runs).toBe(2);
    expect(t.codeMode).toBe(15 + 15 + 7 * a.codeMode.requests);
    expect(t.codeMode).toBeGreaterThan(2 * a.codeMode.total);
    expect(t.classic).toBe(44 + 44 + 34 * a.classic.requests);
    expect(t.cost.codeMode).toBeCloseTo(2 * (a.cost?.warm.codeMode ?? 0) + (7 * a.codeMode.requests * 0.3) / 1e6, 9);
    expect(t.codeModeCostMore).toBe(false);
  });

  it('a failed run claims no saving; its cost goes to the next attempt and counts once in the conversation', () => {
    const c = createConversationAccount({ definitions: codeModeToolDefs, tracksDocs: true });
    const failed = computeTokenAccount(base({ ...c.takeForRun(), trace: trace('failed') }));
    expect(failed.savings).toBeNull();
    const t1 = c.record(failed, sonnet.price);
    expect(t1).toMatchObject({ runs: 1, failedRuns: 1, classic: 0, codeModeCostMore: true });
    const ctx = c.takeForRun();
    expect(ctx.carried).toMatchObject({ runs: 1, tokens: failed.codeMode.total });
    expect(c.takeForRun().carried).toBeUndefined(); // taken once
    const fixed = computeTokenAccount(base({ carried: ctx.carried }));
    expect(fixed.codeMode.total).toBe(computeTokenAccount(base()).codeMode.total + failed.codeMode.total);
    const t2 = c.record(fixed, sonnet.price);
    // the failed run's cost once, the fixed run's own cost, and the fixed run re-sending the failed turn
    const turn = failed.codeMode.peakContext - 2;
    expect(t2.codeMode).toBe(failed.codeMode.total + (fixed.codeMode.total - failed.codeMode.total) + turn * fixed.codeMode.requests);
    expect(t2.classic).toBe(fixed.classic.total);
    expect(t2.failedRuns).toBe(1);
  });

  it('hands docs read and rejected scripts to the next run only', () => {
    const c = createConversationAccount({ definitions: [], prompt: 'p', scriptAs: 'fenced', tracksDocs: true });
    expect(c.takeForRun().docsRead).toEqual([]);
    c.docRead('search reply');
    c.rejected({ script: 's', reply: 'r' });
    const ctx = c.takeForRun();
    expect(ctx).toMatchObject({ docsRead: ['search reply'], attempts: [{ script: 's', reply: 'r' }], surface: { prompt: 'p', scriptAs: 'fenced' } });
    expect(c.takeForRun()).toMatchObject({ docsRead: [], attempts: [] });
    expect(createConversationAccount({ definitions: [], tracksDocs: false }).takeForRun().docsRead).toBeUndefined();
  });
});
