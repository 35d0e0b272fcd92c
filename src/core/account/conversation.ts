// The token account of a conversation (an MCP session, the LM tools, a chat): what each surface served
// and the model read between runs (docs, rejected scripts), the failed runs whose cost the next attempt
// carries, and totals where every request re-sends the earlier turns, on both sides. Invariant: a
// failed run adds code-mode cost and no classic cost; what a run takes (docs, attempts) it takes once.
import type { ToolDefinition } from '../codeMode/tools';
import type { ConversationTotals, TokenAccount } from '../tokens/schema';
import type { ModelPrice } from './prices';
import type { CarriedCost, RejectedAttempt, ScriptEncoding } from './account';
import { reduction } from './cost';

/** Conversations kept at once by default (the least recently used is dropped first). */
export const DEFAULT_MAX_ACCOUNT_CONVERSATIONS = 64;

/** What a surface sends with every request and how its scripts travel (TokenAccountInput's fields). */
export interface ServedSurface {
  /** The code-mode definitions as served (discovery/servedTools.ts); [] for a prompt-only surface. */
  definitions: readonly ToolDefinition[];
  /** A prompt the surface sends instead (the chat loop's system prompt). */
  prompt?: string;
  scriptAs?: ScriptEncoding;
  /** True when the surface serves search/describe (docs read are then what was really returned,
   *  possibly none); false leaves the caller's default (the describe text of each tool called). */
  tracksDocs: boolean;
}

/** What one run's account takes from its conversation. */
export interface RunAccountContext {
  surface: ServedSurface;
  /** Search/describe replies returned since the last run; undefined when the surface has none. */
  docsRead?: string[];
  attempts: RejectedAttempt[];
  carried?: CarriedCost;
}

export interface ConversationAccount {
  readonly surface: ServedSurface;
  /** A search_tools / describe_tool reply the model was sent. */
  docRead(text: string): void;
  /** A script the pre-run type check rejected, with the reply the model got. */
  rejected(attempt: RejectedAttempt): void;
  /** Takes (once) what the next run's account counts: docs and rejected scripts since the last run,
   *  and the failed runs since the last ok one. */
  takeForRun(): RunAccountContext;
  /** Adds a finished run's account; returns the conversation's totals including it. */
  record(account: TokenAccount, price: ModelPrice): ConversationTotals;
  readonly totals: ConversationTotals | undefined;
}

/** Creates the account of one conversation on `surface`. */
export function createConversationAccount(surface: ServedSurface): ConversationAccount {
  let docs: string[] = [];
  let attempts: RejectedAttempt[] = [];
  let pending: CarriedCost | undefined;
  // Tokens of earlier turns each new request re-sends (after the definitions), per side.
  let historyCm = 0;
  let historyCl = 0;
  const sum = { runs: 0, failedRuns: 0, codeMode: 0, classic: 0, usdCm: 0, usdCl: 0, model: '' };
  let totals: ConversationTotals | undefined;
  return {
    surface,
    docRead(text) {
      docs.push(text);
    },
    rejected(attempt) {
      attempts.push(attempt);
    },
    takeForRun() {
      const ctx: RunAccountContext = { surface, attempts, ...(surface.tracksDocs ? { docsRead: docs } : {}), ...(pending ? { carried: pending } : {}) };
      docs = [];
      attempts = [];
      pending = undefined;
      return ctx;
    },
    record(a, price) {
      const read = (tokens: number) => (tokens * (price.cacheRead ?? price.input)) / 1e6;
      const carried = a.earlierAttempts;
      const cm = a.codeMode;
      // This run's own cost: the failed runs it carries are in the total already.
      sum.codeMode += cm.total - (carried?.tokens ?? 0) + historyCm * cm.requests;
      sum.usdCm += (a.cost?.warm.codeMode ?? 0) - (carried?.usdWarm ?? 0) + read(historyCm * cm.requests);
      sum.runs++;
      sum.model = a.cost?.model ?? sum.model;
      // The run's last request holds everything it added to the conversation (it is its largest).
      historyCm += cm.peakContext - (cm.requests ? cm.breakdown.definitions / cm.requests : 0);
      if (a.savings) {
        const cl = a.classic;
        sum.classic += cl.total + historyCl * cl.requests;
        sum.usdCl += (a.cost?.warm.classic ?? 0) + read(historyCl * cl.requests);
        historyCl += cl.peakContext - (cl.requests ? cl.breakdown.definitions / cl.requests : 0);
        pending = undefined;
      } else {
        sum.failedRuns++;
        pending = {
          runs: (carried?.runs ?? 0) + 1,
          tokens: cm.total,
          input: cm.input,
          output: cm.output,
          usdWarm: a.cost?.warm.codeMode ?? 0,
          usdCold: a.cost?.cold.codeMode ?? 0,
        };
      }
      const usd = (x: number) => Math.round(x * 1e9) / 1e9;
      totals = {
        runs: sum.runs,
        failedRuns: sum.failedRuns,
        codeMode: Math.round(sum.codeMode),
        classic: Math.round(sum.classic),
        reduction: reduction(sum.codeMode, sum.classic),
        cost: { model: sum.model, codeMode: usd(sum.usdCm), classic: usd(sum.usdCl), reduction: reduction(sum.usdCm, sum.usdCl) },
        codeModeCostMore: sum.codeMode > sum.classic || sum.usdCm > sum.usdCl,
      };
      return totals;
    },
    get totals() {
      return totals;
    },
  };
}

/** Conversation accounts by id, for hosts that serve several conversations (the chat participant). */
export interface ConversationAccounts {
  /** The account of conversation `id`, created on first use with `surface`. */
  forConversation(id: string, surface: () => ServedSurface): ConversationAccount;
}

/** Creates the registry (least recently used conversation dropped first, like firewall/conversations.ts). */
export function createConversationAccounts(maxConversations = DEFAULT_MAX_ACCOUNT_CONVERSATIONS): ConversationAccounts {
  const accounts = new Map<string, ConversationAccount>();
  return {
    forConversation(id, surface) {
      let account = accounts.get(id);
      if (account) accounts.delete(id);
      else {
        account = createConversationAccount(surface());
        while (accounts.size >= maxConversations) accounts.delete(accounts.keys().next().value as string);
      }
      accounts.set(id, account);
      return account;
    },
  };
}
