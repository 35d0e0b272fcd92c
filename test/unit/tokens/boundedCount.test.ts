import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Catalog } from '../../../src/core/catalog/types';
import { computeTokenAccount, countTokenAccount } from '../../../src/core/account/account';
import { countBounded, countBudgetMs, DEFAULT_EXACT_FLOOR_CHARS, MAX_COUNT_BUDGET_MS } from '../../../src/core/tokens/boundedCount';
import { TokenAccountSchema } from '../../../src/core/tokens/schema';
import { loadDefaultTokenizer, whitespaceTokenizer, type Tokenizer } from '../../../src/core/tokens/tokenizer';
import type { Trace } from '../../../src/core/trace/schema';

function jsonOf(bytes: number): string {
  const rows: string[] = [];
  let n = 2;
  for (let i = 0; n < bytes; i++) {
    const row = JSON.stringify({ id: i, name: `User ${i}`, email: `user${i}@example.com`, score: (i * 37) % 1000, tags: ['alpha', i % 3 ? 'beta' : 'gamma'], active: i % 2 === 0 });
    rows.push(row);
    n += row.length + 1;
  }
  return `[${rows.join(',')}]`;
}

/** A clock that moves `step` ms every time it is read: deterministic "slow" counting. */
function steppingClock(step: number): () => number {
  let t = 0;
  return () => (t += step);
}

const catalog: Catalog = { id: 'c', servers: [] };

function traceOf(source: string): Pick<Trace, 'spans' | 'status' | 'value' | 'logs' | 'error' | 'script'> {
  return { spans: [], status: 'ok', logs: [], script: { sha256: '0', bytes: source.length, language: 'js', source } };
}

describe('bounded token counting', () => {
  it('counts small texts exactly, whatever the clock says', async () => {
    const tk = await loadDefaultTokenizer();
    const texts = ['hello world', jsonOf(20_000), 'x'.repeat(5000), ''];
    const r = await countBounded(tk, texts.map((text) => ({ text })), { now: steppingClock(1000) });
    expect(r.counts).toEqual(texts.map((t) => tk.count(t)));
    expect(r).toMatchObject({ estimatedChars: 0, cutRuns: 1 });
  });

  it('estimates past the budget, from the counted part, and says how much', async () => {
    const tk = await loadDefaultTokenizer();
    const text = jsonOf(2 * 1024 * 1024);
    const exact = tk.count(text);
    // every clock read costs 1 ms, so the 105 ms budget is gone when the exact floor is reached
    const r = await countBounded(tk, [{ text }], { now: steppingClock(1), budgetMs: 105 });
    expect(r.estimatedChars).toBeGreaterThan(text.length / 2);
    expect(r.estimatedChars).toBeLessThan(text.length - DEFAULT_EXACT_FLOOR_CHARS + 1);
    expect(Math.abs((r.counts[0] as number) - exact) / exact).toBeLessThan(0.03);
  });

  it('shares the budget among texts by length and calibrates a text it could not start on', async () => {
    const tk = await loadDefaultTokenizer();
    const big = jsonOf(1024 * 1024);
    const items = [{ text: big }, { text: big.slice(0, 300_000) }];
    const r = await countBounded(tk, items, { now: steppingClock(5), budgetMs: 0, exactFloorChars: 10_000 });
    expect(r.estimatedChars).toBeGreaterThan(1_000_000);
    const truth = items.map((it) => tk.count(it.text));
    r.counts.forEach((c, i) => expect(Math.abs(c - (truth[i] as number)) / (truth[i] as number)).toBeLessThan(0.05));
  });

  it('keeps to 50 ms + 40 ms per MiB, at most 2 s, by default', () => {
    expect(countBudgetMs(0)).toBe(50);
    expect(countBudgetMs(1024 * 1024)).toBe(90);
    expect(countBudgetMs(1e9)).toBe(MAX_COUNT_BUDGET_MS);
  });

  it('remembers reusable texts (the catalog definitions) across accounts', async () => {
    let calls = 0;
    const counting: Tokenizer = { name: 'counting', count: (t) => (calls++, whitespaceTokenizer.count(t)) };
    const defs = 'word '.repeat(2000);
    const a = await countBounded(counting, [{ text: defs, reuse: true }]);
    const before = calls;
    const b = await countBounded(counting, [{ text: defs, reuse: true }, { text: 'a b' }]);
    expect(b.counts).toEqual([a.counts[0], 2]);
    expect(a.counts[0]).toBe(2000);
    expect(calls - before).toBe(1);
  });

  it('cuts texts for tokenizers without countSlice at whitespace, so word counts stay exact', async () => {
    const text = Array.from({ length: 20_000 }, (_, i) => `w${i}`).join(' ');
    expect(text.length).toBeGreaterThan(4 * 16 * 1024); // several slices
    const r = await countBounded(whitespaceTokenizer, [{ text }], { budgetMs: 60_000 });
    expect(r.counts).toEqual([20_000]);
    expect(r.estimatedChars).toBe(0);
  });

  it('lets timers fire while it counts 20 MiB of text', async () => {
    const tk = await loadDefaultTokenizer();
    const text = jsonOf(8 * 1024 * 1024) + randomBytes(6 * 1024 * 1024).toString('base64') + 'A'.repeat(4 * 1024 * 1024);
    let maxGap = 0;
    let last = performance.now();
    let ticks = 0;
    const timer = setInterval(() => {
      const t = performance.now();
      maxGap = Math.max(maxGap, t - last);
      last = t;
      ticks++;
    }, 5);
    const t0 = performance.now();
    try {
      const r = await countBounded(tk, [{ text }]);
      const ms = performance.now() - t0;
      expect(r.budgetMs).toBe(countBudgetMs(text.length)); // 850 ms for 20 MiB
      // generous: the machine is shared; the bound is the budget plus a slice, not minutes
      expect(ms).toBeLessThan(r.budgetMs + 3000);
      expect(r.estimatedChars).toBeGreaterThan(0);
      expect(r.counts[0]).toBeGreaterThan(text.length / 10);
    } finally {
      clearInterval(timer);
    }
    expect(ticks).toBeGreaterThan(10);
    expect(maxGap).toBeLessThan(500);
  });

  it('marks the account approximate and keeps it valid when counting was estimated', async () => {
    const tk = await loadDefaultTokenizer();
    const source = `return ${JSON.stringify(jsonOf(3 * 1024 * 1024))}`;
    const { account, counts } = await countTokenAccount({ trace: traceOf(source), catalog, script: source, tokenizer: tk }, { budgetMs: 0, exactFloorChars: 0 });
    expect(TokenAccountSchema.parse(account)).toEqual(account);
    expect(account.approximate).toBe(true);
    expect(account.estimatedChars).toBe(counts.estimatedChars);
    expect(account.estimatedChars).toBeGreaterThan(3_000_000);
    expect(account.notes.some((n) => n.includes('were estimated'))).toBe(true);
    expect(account.codeMode.breakdown.script).toBeGreaterThan(0);

    const small = await countTokenAccount({ trace: traceOf('return 1'), catalog, script: 'return 1', tokenizer: tk });
    expect(small.account).toEqual(computeTokenAccount({ trace: traceOf('return 1'), catalog, script: 'return 1', tokenizer: tk }));
    expect(small.account.approximate).toBe(false);
    expect(small.account.estimatedChars).toBeUndefined();
  });
});
