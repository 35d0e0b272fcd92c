// SCRIPT_DECLARATIONS: declarations of the sandbox globals that are neither tools nor flow helpers
// (ToolError, llm, toolweaver.search/describe, the aggregation helpers), written into tools.d.ts.
// Keep in sync with src/core/sandbox/guest/prelude.ts and src/core/flow/aggregate.ts.

/** What `tools.search()` / `toolweaver.search()` resolve to, per hit. */
const SEARCH_HIT = `interface ToolweaverSearchHit {
  /** Original server name. */
  server: string;
  /** Original tool name. */
  tool: string;
  /** Path under \`tools\`: call it as \`tools.<ident>(input)\`, e.g. \`demo.get_customer\`. */
  ident: string;
  /** Compact TypeScript signature with a one-line summary. */
  signature: string;
}`;

/** Members of the \`tools\` global besides the servers (omitted when a server takes the name). */
export const TOOLS_DISCLOSURE_MEMBERS: Record<'search' | 'describe', string> = {
  search: `  /** Finds tools by what they do (ranked over names, descriptions and parameters), best first; default limit 8, at most 50. */
  search(query: string, limit?: number): Promise<ToolweaverSearchHit[]>;
`,
  describe: `  /** The full stub (JSDoc and types) of one tool, by \`server.tool\` or its ident path. Rejects with code 'unknown_tool'. */
  describe(name: string): Promise<string>;
`,
};

/** Declaration text of the script globals other than \`tools\`, \`console\` and the flow helpers. */
export const SCRIPT_DECLARATIONS = `// ---- ToolWeaver globals: errors, progressive disclosure, llm() and aggregation ----

/** A failed tool call (or llm(), tools.search/describe call). Branch on \`code\`, never on the message:
 *  e.g. 'denied', 'timeout', 'cancelled', 'tool_failed', 'invalid_arguments', 'quota_exceeded'. */
declare class ToolError extends Error {
  constructor(info: { code: string; message: string; server: string; tool: string; field?: string });
  readonly name: 'ToolError';
  readonly code: string;
  /** Original server name ('llm' for llm(), 'toolweaver' for search/describe). */
  readonly server: string;
  readonly tool: string;
  /** The argument at fault, for 'invalid_arguments'. */
  readonly field?: string;
  /** false when the tool is not annotated read-only or idempotent: retry() does not repeat the call
   *  unless its \`retryOn\` says so (a second try could repeat a side effect). */
  readonly retryable?: boolean;
}

${SEARCH_HIT}

/** Progressive disclosure, always available (\`tools.search\`/\`tools.describe\` unless a server takes the name). */
declare const toolweaver: {
  search(query: string, limit?: number): Promise<ToolweaverSearchHit[]>;
  describe(name: string): Promise<string>;
};

/** Options of llm(). */
interface LlmOptions {
  /** A model family or id; default: the model the run was given. */
  model?: string;
  /** A system prompt. */
  system?: string;
}

/**
 * Asks a language model and resolves with its text (sub-agent fan-out:
 * \`await map(items, (x) => llm('Summarize: ' + x), { concurrency: 4 })\`). Per-run quotas (calls, tokens)
 * and a timeout per call apply; failures reject with a ToolError (server 'llm'). Where no model
 * provider is configured (the CLI by default) it rejects with code 'server_unreachable'.
 */
declare function llm(prompt: string, opts?: LlmOptions): Promise<string>;

/** Values and errors of settled results (from Promise.allSettled, or plain values). */
interface Collected<T> {
  values: T[];
  errors: Array<{ index: number; message: string }>;
}
declare function collect<T>(results: ReadonlyArray<PromiseSettledResult<T> | T>): Collected<T>;

interface Vote<T> {
  /** The most frequent answer (first seen wins a tie); undefined for no votes. */
  winner: T | undefined;
  count: number;
  total: number;
  /** True when another answer had as many votes. */
  tie: boolean;
}
/** Majority vote; answers compare by \`key\` (default: trimmed, lowercased text). */
declare function majorityVote<T>(values: readonly T[], key?: (v: T) => string): Vote<T>;
/** The value with the highest score (first wins a tie); undefined for an empty list. */
declare function bestBy<T>(values: readonly T[], score: (v: T) => number): T | undefined;
`;
