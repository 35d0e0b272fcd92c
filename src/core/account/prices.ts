// Model prices for the dollar side of the account: a dated default table and the schema of a
// user-supplied one. Invariant: every price is US dollars per million tokens; a missing cache
// price means the provider bills that part at the input price (no discount, no surcharge).
import { z } from 'zod';
import { ConfigError } from '../errors';

/** One model's prices in US dollars per million tokens. */
export const ModelPriceSchema = z
  .object({
    input: z.number().nonnegative(),
    output: z.number().nonnegative(),
    /** Writing a prompt-cache entry (Anthropic: 1.25× input for the 5-minute cache). Absent: input price. */
    cacheWrite: z.number().nonnegative().optional(),
    /** Reading a cached prefix (Anthropic 0.1×, OpenAI 0.1–0.25×). Absent: input price (no caching). */
    cacheRead: z.number().nonnegative().optional(),
  })
  .strict();
export type ModelPrice = z.infer<typeof ModelPriceSchema>;

/** A price table: model name → prices. The shape of `--prices FILE` and `toolweaver.tokens.prices`. */
export const PriceTableSchema = z.record(z.string().min(1), ModelPriceSchema);
export type PriceTable = z.infer<typeof PriceTableSchema>;

/** When DEFAULT_PRICES was copied from the providers' public price pages. Check before you rely on it. */
export const PRICES_AS_OF = '2025-11-30';

/** The model priced when none is chosen. */
export const DEFAULT_MODEL = 'claude-sonnet-4.5';

/**
 * Public list prices as of PRICES_AS_OF (standard tier, short prompts, 5-minute cache), $/Mtok.
 * Prices change: users should check their provider and pass their own table. Unsure entries say so.
 */
export const DEFAULT_PRICES: Readonly<PriceTable> = Object.freeze({
  'claude-sonnet-4.5': { input: 3, output: 15, cacheWrite: 3.75, cacheRead: 0.3 },
  // Opus 4.5 launched at a third of Opus 4.1's price; cache prices follow Anthropic's 1.25× / 0.1× rule.
  'claude-opus-4.5': { input: 5, output: 25, cacheWrite: 6.25, cacheRead: 0.5 },
  'claude-haiku-4.5': { input: 1, output: 5, cacheWrite: 1.25, cacheRead: 0.1 },
  // OpenAI caches automatically: no write surcharge (cacheWrite = input).
  'gpt-5': { input: 1.25, output: 10, cacheRead: 0.125 },
  'gpt-4.1': { input: 2, output: 8, cacheRead: 0.5 },
  // Unsure: prompts ≤ 200k tokens; Google lists both $0.31 and $0.125 for cached input over 2025 and
  // bills cache storage per hour on top (not modelled). $0.31 is the less favourable to classic.
  'gemini-2.5-pro': { input: 1.25, output: 10, cacheRead: 0.31 },
});

/** Parses a user price table (the JSON text of `--prices FILE`, or a settings object). */
export function parsePriceTable(raw: unknown, where: string): PriceTable {
  const r = PriceTableSchema.safeParse(raw);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const field = issue ? issue.path.join('.') : '';
  throw new ConfigError(
    'prices_invalid',
    `The price table in ${where} is not valid${field ? ` at "${field}"` : ''}: ${issue?.message ?? 'unknown problem'}. ` +
      'Write an object of model name → { "input": n, "output": n, "cacheWrite"?: n, "cacheRead"?: n } in US dollars per million tokens.',
    { file: where, field },
  );
}

/** The prices of `model` in the user table over the defaults; throws ConfigError('unknown_model'). */
export function priceOf(model: string, table: Readonly<PriceTable> = {}): ModelPrice {
  const price = table[model] ?? DEFAULT_PRICES[model];
  if (price) return price;
  const known = [...new Set([...Object.keys(table), ...Object.keys(DEFAULT_PRICES)])].sort();
  throw new ConfigError('unknown_model', `No prices for model "${model}". Known models: ${known.join(', ')}. Add it to your price table (--prices FILE or the setting toolweaver.tokens.prices).`, { field: 'model' });
}

/** A model and its prices: what the account's dollar figures are computed at. */
export interface Pricing {
  model: string;
  price: ModelPrice;
}

/** The pricing for `model` (default DEFAULT_MODEL) from a user table over the defaults. */
export function resolvePricing(model: string | undefined, table?: Readonly<PriceTable>): Pricing {
  const name = model ?? DEFAULT_MODEL;
  return { model: name, price: priceOf(name, table) };
}
