import { describe, expect, it, vi } from 'vitest';
import { bestBy, collect, majorityVote } from '../../../src/core/flow/aggregate';
import { createLlmBridge, LLM_UNAVAILABLE_MESSAGE } from '../../../src/core/llm/llmBridge';
import { ToolError } from '../../../src/core/errors';
import { createFakeModel } from '../../fixtures/fakeModel';

describe('createLlmBridge', () => {
  it('says clearly that llm() is unavailable without a model provider', async () => {
    const err = await createLlmBridge({}).call('hi').catch((e: unknown) => e);
    expect(ToolError.is(err, 'server_unreachable')).toBe(true);
    expect((err as Error).message).toBe(LLM_UNAVAILABLE_MESSAGE);
  });

  it('returns streamed text, counts tokens and enforces the call quota', async () => {
    const model = createFakeModel(['positive sentiment overall', { text: 'no', usage: { inputTokens: 10, outputTokens: 1 } }]);
    const bridge = createLlmBridge({ model, maxCalls: 2 });
    expect(await bridge.call('Classify: great product', { system: 'Be brief.' })).toBe('positive sentiment overall');
    expect(model.prompts[0]).toEqual([{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Classify: great product' }]);
    expect(await bridge.call('again')).toBe('no');
    const err = await bridge.call('third').catch((e: unknown) => e);
    expect(ToolError.is(err, 'quota_exceeded')).toBe(true);
    expect(bridge.usage()).toEqual({ calls: 2, inputTokens: 9 + 10, outputTokens: 7 + 1, estimated: true });
  });

  it('enforces the token budget and reports model errors and timeouts as ToolErrors', async () => {
    const budget = createLlmBridge({ model: createFakeModel([{ text: 'x', usage: { inputTokens: 90, outputTokens: 20 } }, 'y']), maxTokens: 100 });
    await budget.call('a');
    await expect(budget.call('b')).rejects.toThrow('llm() used its token budget for this run (100 tokens).');

    const broken = createLlmBridge({ model: createFakeModel([{ error: 'rate limited by provider' }]) });
    await expect(broken.call('a')).rejects.toThrow('llm() failed: fake-model returned an error (rate limited by provider).');

    vi.useFakeTimers();
    try {
      const slow = createLlmBridge({ model: createFakeModel([{ hang: true }]), timeoutMs: 1000 });
      const p = slow.call('a').catch((e: unknown) => e);
      await vi.advanceTimersByTimeAsync(1001);
      expect(ToolError.is(await p, 'timeout')).toBe(true);
    } finally {
      vi.useRealTimers();
    }
  });

  it('resolves named models and rejects unknown names', async () => {
    const a = createFakeModel(['from a'], 'a');
    const bridge = createLlmBridge({ model: (name) => (name === undefined || name === 'a' ? a : undefined) });
    expect(await bridge.call('q', { model: 'a' })).toBe('from a');
    await expect(bridge.call('q', { model: 'zzz' })).rejects.toThrow('llm(): no model named "zzz" is available.');
  });
});

describe('aggregation helpers', () => {
  it('collect splits settled results into values and indexed errors', async () => {
    const settled = await Promise.allSettled([Promise.resolve(1), Promise.reject(new Error('boom')), Promise.resolve(3)]);
    expect(collect(settled)).toEqual({ values: [1, 3], errors: [{ index: 1, message: 'boom' }] });
    expect(collect(['a', 'b'])).toEqual({ values: ['a', 'b'], errors: [] });
  });

  it('majorityVote normalizes text, reports counts and ties', () => {
    expect(majorityVote(['Yes', 'no', ' yes ', 'YES'])).toEqual({ winner: 'Yes', count: 3, total: 4, tie: false });
    expect(majorityVote(['a', 'b'])).toEqual({ winner: 'a', count: 1, total: 2, tie: true });
    expect(majorityVote([])).toEqual({ winner: undefined, count: 0, total: 0, tie: false });
    expect(majorityVote([{ n: 1 }, { n: 2 }, { n: 1 }], (v) => String(v.n)).winner).toEqual({ n: 1 });
  });

  it('bestBy picks the highest score, first on a tie', () => {
    expect(bestBy(['aa', 'bbbb', 'cccc'], (s) => s.length)).toBe('bbbb');
    expect(bestBy([], () => 1)).toBeUndefined();
  });
});
