import { describe, expect, it } from 'vitest';
import { billedTokens, dollars } from '../../../src/core/account/cost';
import { DEFAULT_MODEL, DEFAULT_PRICES, parsePriceTable, priceOf, PRICES_AS_OF } from '../../../src/core/account/prices';
import { ConfigError } from '../../../src/core/errors';

describe('price table', () => {
  it('has dated defaults with the published Claude Sonnet 4.5 prices', () => {
    expect(PRICES_AS_OF).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(DEFAULT_PRICES[DEFAULT_MODEL]).toEqual({ input: 3, output: 15, cacheWrite: 3.75, cacheRead: 0.3 });
    for (const m of ['claude-opus-4.5', 'claude-haiku-4.5', 'gpt-5', 'gpt-4.1', 'gemini-2.5-pro']) expect(priceOf(m).output).toBeGreaterThan(priceOf(m).input);
  });

  it('reads a user table and lets it override or add models', () => {
    const table = parsePriceTable({ 'my-model': { input: 1, output: 2 }, 'gpt-5': { input: 9, output: 9, cacheRead: 1 } }, 'prices.json');
    expect(priceOf('my-model', table)).toEqual({ input: 1, output: 2 });
    expect(priceOf('gpt-5', table).input).toBe(9);
    expect(priceOf('claude-haiku-4.5', table).input).toBe(1);
  });

  it('rejects a bad table with the field to fix, and an unknown model with the known ones', () => {
    const bad = () => parsePriceTable({ m: { input: -1, output: 2 } }, 'prices.json');
    expect(bad).toThrow(ConfigError);
    try {
      bad();
    } catch (err) {
      expect(ConfigError.is(err, 'prices_invalid')).toBe(true);
      expect((err as ConfigError).field).toBe('m.input');
    }
    expect(() => parsePriceTable({ m: { input: 1, output: 2, extra: 3 } }, 'x')).toThrow(/not valid/);
    expect(() => priceOf('nope')).toThrow(/No prices for model "nope". Known models: .*claude-sonnet-4.5/);
  });
});

describe('caching model', () => {
  it('reads the prefix the previous request sent and writes the rest', () => {
    const reqs = [{ input: 100, output: 10 }, { input: 150, output: 5 }, { input: 200, output: 0 }];
    expect(billedTokens(reqs)).toEqual({ cacheRead: 110 + 155, cacheWrite: 100 + 40 + 45, output: 15 });
    expect(billedTokens(reqs, 80)).toEqual({ cacheRead: 80 + 110 + 155, cacheWrite: 20 + 40 + 45, output: 15 });
  });

  it('prices a missing cache price at the input price', () => {
    const b = { cacheRead: 1_000_000, cacheWrite: 1_000_000, output: 1_000_000 };
    expect(dollars(b, { input: 2, output: 8 })).toBe(2 + 2 + 8);
    expect(dollars(b, { input: 3, output: 15, cacheWrite: 3.75, cacheRead: 0.3 })).toBe(0.3 + 3.75 + 15);
  });
});
