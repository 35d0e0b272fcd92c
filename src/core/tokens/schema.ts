// The token account's wire shape (zod): what a run cost in model context under code mode versus
// classic tool calling. Stored inside a Trace (trace/schema.ts), so changes are additions only.
import { z } from 'zod';

/** Tokens per category over the whole (real or counterfactual) conversation, input + output. */
export const TokenBreakdownSchema = z.object({
  /** Tool definitions sent with every request (classic: the whole catalog; code mode: run_code & co). */
  definitions: z.number().int().nonnegative(),
  /** Tool docs read through search/describe (code mode only; 0 for classic). */
  docs: z.number().int().nonnegative(),
  /** Tool results the model reads (classic only; re-sent with every later request). */
  intermediateResults: z.number().int().nonnegative(),
  /** Tool-call arguments the model writes (classic only; output once, then re-sent as input). */
  arguments: z.number().int().nonnegative(),
  /** The script the model writes (code mode only; output once, then re-sent as input). */
  script: z.number().int().nonnegative(),
  /** Final value and logs returned by run_code (code mode only). */
  finalOutput: z.number().int().nonnegative(),
});
export type TokenBreakdown = z.infer<typeof TokenBreakdownSchema>;

/** Dollars of both sides under one cache assumption. */
export const CostSidesSchema = z.object({
  /** US dollars. */
  classic: z.number().nonnegative(),
  codeMode: z.number().nonnegative(),
  /** 1 - codeMode / classic (0 when classic is 0). */
  reduction: z.number(),
});
export type CostSides = z.infer<typeof CostSidesSchema>;

/** The account in dollars (docs/tokens.md, "Dollars"). */
export const CostSchema = z.object({
  /** The model priced (a key of the price table). */
  model: z.string(),
  /** Empty prompt cache at the start: each request's prefix already sent is a cache read, the rest a cache write. */
  cold: CostSidesSchema,
  /** As cold, but the definitions (the prefix every conversation with this tool set starts with) are already cached. */
  warm: CostSidesSchema,
  /** = warm.reduction: the headline dollar figure. */
  reduction: z.number(),
});
export type Cost = z.infer<typeof CostSchema>;

/** One side of the comparison. */
export const TokenSideSchema = z.object({
  /** Model requests in the conversation. */
  requests: z.number().int().nonnegative(),
  /** Sum of input tokens over all requests. */
  input: z.number().int().nonnegative(),
  /** Sum of output tokens over all requests. */
  output: z.number().int().nonnegative(),
  /** input + output. */
  total: z.number().int().nonnegative(),
  /** Largest single request (its input plus its output). */
  peakContext: z.number().int().nonnegative(),
  breakdown: TokenBreakdownSchema,
});
export type TokenSide = z.infer<typeof TokenSideSchema>;

export const TokenAccountSchema = z.object({
  /** Tokenizer that counted, e.g. `o200k_base (gpt-tokenizer 4.0.0)`. */
  tokenizer: z.string(),
  codeMode: TokenSideSchema,
  classic: TokenSideSchema.extend({
    /** Waves of tool calls by data dependency (account/waves.ts): one model turn each, independent
     *  calls batched as parallel tool calls. This side's figures are the conservative end of `range`. */
    waves: z.number().int().nonnegative(),
    /** Tool calls counted (cached repeats excluded: a model would reuse the earlier result). */
    toolCalls: z.number().int().nonnegative(),
    /** Classic totals at both ends: `conservative` (dependency waves; = total) and `naive` (one call
     *  per model turn, the most a classic agent could spend). Absent in traces written before 0.x. */
    range: z.object({ conservative: z.number().int().nonnegative(), naive: z.number().int().nonnegative() }).optional(),
  }),
  /** What code mode saved against the conservative classic figure; null for a run that did not
   *  finish ok (a failed attempt claims no saving: its cost belongs to the next attempt). */
  savings: z.object({
    /** classic.total - codeMode.total (negative when code mode cost more). */
    total: z.number().int(),
    /** Part of `total` from tool definitions (classic definitions - code-mode definitions and docs). */
    definitions: z.number().int(),
    /** The rest: intermediate results and arguments that never pass through the model, net of
     *  the script and final output. */
    intermediateResults: z.number().int(),
    /** 1 - codeMode.total / classic.total (0 when classic.total is 0). */
    reduction: z.number(),
    /** 1 - codeMode.peakContext / classic.peakContext. */
    peakReduction: z.number(),
  }).nullable(),
  /** True when the conservative account says code mode costs more in tokens or in warm-cache dollars. */
  codeModeCostMore: z.boolean(),
  /** Dollars at one model's prices (account/prices.ts, account/cost.ts). Absent in older traces. */
  cost: CostSchema.optional(),
  /** True when some counts are not exact: results counted from truncated trace values (an
   *  underestimate), text estimated because counting ran out of its time budget, or unbroken runs
   *  counted in chunks. `notes` says which. */
  approximate: z.boolean(),
  /** Characters whose tokens were estimated from the counted part instead of counted (absent: 0). */
  estimatedChars: z.number().int().nonnegative().optional(),
  /** Assumptions worth showing next to the numbers. */
  notes: z.array(z.string()),
  /** The reply the model read was cut (its value to a structural preview), so the model saw less than
   *  the run produced; `codeMode.breakdown.finalOutput` counts what was sent. Always written (false
   *  unless the caller says the reply was cut); absent only in older traces. */
  truncated: z.boolean().optional(),
});
export type TokenAccount = z.infer<typeof TokenAccountSchema>;
