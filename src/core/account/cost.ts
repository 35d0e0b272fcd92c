// The dollar side of the account: a conversation's requests priced with prompt caching. Invariant:
// pure; each request's input is the previous request's input and output plus something new (the
// conversations of account.ts are built that way), so that prefix is what a cache can serve.
import type { CostSides } from '../tokens/schema';
import type { ModelPrice } from './prices';

/** One model request of a conversation, in tokens. */
export interface ModelRequest {
  input: number;
  output: number;
}

/** How many of each kind of token a conversation bills. */
export interface BilledTokens {
  cacheRead: number;
  cacheWrite: number;
  output: number;
}

/**
 * Splits a conversation's input into cache reads and writes: a request reads the prefix the request
 * before it sent (its input and output), and writes the rest so the next one can read it. The first
 * request reads `cachedPrefix` tokens (a warm cache: the definitions every conversation starts with)
 * and writes the rest.
 */
export function billedTokens(requests: readonly ModelRequest[], cachedPrefix = 0): BilledTokens {
  const billed: BilledTokens = { cacheRead: 0, cacheWrite: 0, output: 0 };
  let prefix = cachedPrefix;
  for (const r of requests) {
    const read = Math.min(r.input, prefix);
    billed.cacheRead += read;
    billed.cacheWrite += r.input - read;
    billed.output += r.output;
    prefix = r.input + r.output;
  }
  return billed;
}

/** US dollars for billed tokens at a model's prices (a missing cache price is the input price). */
export function dollars(b: BilledTokens, price: ModelPrice): number {
  const usd = (b.cacheRead * (price.cacheRead ?? price.input) + b.cacheWrite * (price.cacheWrite ?? price.input) + b.output * price.output) / 1e6;
  return Math.round(usd * 1e9) / 1e9;
}

/** 1 - part / whole, to four decimals (0 when whole is 0). */
export function reduction(part: number, whole: number): number {
  return whole === 0 ? 0 : Math.round((1 - part / whole) * 10_000) / 10_000;
}

/** Both sides in dollars under one cache assumption. */
export function costSides(classic: number, codeMode: number): CostSides {
  return { classic, codeMode, reduction: reduction(codeMode, classic) };
}
