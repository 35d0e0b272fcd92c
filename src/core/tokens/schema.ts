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
    /** Waves of concurrent tool calls (one model turn each). */
    waves: z.number().int().nonnegative(),
    /** Tool calls counted (cached repeats excluded: a model would reuse the earlier result). */
    toolCalls: z.number().int().nonnegative(),
  }),
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
  }),
  codeModeCostMore: z.boolean(),
  /** True when some counts are not exact: results counted from truncated trace values (an
   *  underestimate), text estimated because counting ran out of its time budget, or unbroken runs
   *  counted in chunks. `notes` says which. */
  approximate: z.boolean(),
  /** Characters whose tokens were estimated from the counted part instead of counted (absent: 0). */
  estimatedChars: z.number().int().nonnegative().optional(),
  /** Assumptions worth showing next to the numbers. */
  notes: z.array(z.string()),
  /** The run's value was cut to a structural preview, and `codeMode.breakdown.finalOutput` counts the
   *  reply really sent (preview, note, logs, token line). Absent: the account counted the value itself. */
  truncated: z.boolean().optional(),
});
export type TokenAccount = z.infer<typeof TokenAccountSchema>;
