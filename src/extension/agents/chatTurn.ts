// One @toolweaver chat turn without VS Code (tested in vitest): runs the core agent loop and writes
// progress, the answer, the last script, a trace link and the token account to a sink.
// Invariant: when the model, a tool or the run fails, the turn says so; it never invents an answer.
import { runAgentLoop, type AgentLoopDeps, type AgentResult } from '../../core/agents/agentLoop';
import type { ChatMessage } from '../../core/llm/languageModel';
import { describeCause } from '../../core/errors';
import { agentFooter, progressLine } from './agentText';

/** Where a turn writes (the chat response stream in VS Code; an array in tests). */
export interface ChatSink {
  progress(text: string): void;
  markdown(text: string): void;
  /** A button/link that opens the trace (toolweaver.openTrace). */
  traceLink(traceId: string): void;
}

export interface ChatTurnOptions {
  task: string;
  history?: ChatMessage[];
  maxIterations: number;
  maxTokens: number;
  signal: AbortSignal;
}

/** What the turn ended with; `error` is set when the loop itself failed (e.g. the run could not start). */
export type ChatTurnResult = { result: AgentResult; error?: undefined } | { result?: undefined; error: string };

const fence = (code: string): string => {
  const ticks = code.includes('```') ? '````' : '```';
  return `${ticks}ts\n${code}\n${ticks}`;
};

/** Runs the turn to its end; never throws. */
export async function runChatTurn(deps: AgentLoopDeps, opts: ChatTurnOptions, sink: ChatSink): Promise<ChatTurnResult> {
  if (deps.catalog.servers.length === 0) {
    const error = 'ToolWeaver has no tools in this workspace: add MCP servers to .vscode/mcp.json or run "ToolWeaver: Use the Demo Catalog", then ask again.';
    sink.markdown(error);
    return { error };
  }
  let result: AgentResult;
  try {
    result = await runAgentLoop(deps, {
      task: opts.task,
      history: opts.history,
      maxIterations: opts.maxIterations,
      maxTokens: opts.maxTokens,
      signal: opts.signal,
      onProgress: (p) => {
        const line = progressLine(p);
        if (line) sink.progress(line);
      },
    });
  } catch (err) {
    const error = `ToolWeaver could not finish: ${describeCause(err)}`;
    sink.markdown(error);
    return { error };
  }
  sink.markdown(result.answer);
  if (result.code) sink.markdown(`\n\n**Script${result.lastRun ? (result.lastRun.result.ok ? ' (ran successfully)' : ' (failed)') : ' (not run)'}:**\n\n${fence(result.code)}`);
  sink.markdown(`\n\n_${agentFooter(result)}_\n`);
  if (result.traceId) sink.traceLink(result.traceId);
  return { result };
}

/** Earlier turns as chat messages (only text; tool parts and references are dropped). */
export function historyMessages(turns: ReadonlyArray<{ role: 'user' | 'assistant'; text: string }>, maxChars = 12_000): ChatMessage[] {
  const out: ChatMessage[] = [];
  let used = 0;
  for (let i = turns.length - 1; i >= 0; i--) {
    const t = turns[i]!;
    if (!t.text.trim()) continue;
    used += t.text.length;
    if (used > maxChars) break;
    out.unshift({ role: t.role, content: t.text });
  }
  return out;
}
