// The chat/agent loop: the model writes a script against the stubs, ToolWeaver type-checks and runs
// it, feeds errors back and retries within a budget. Invariant: the answer is the model's reply
// after real results, or a plain statement of what failed — never a made-up result.
import type { Catalog } from '../catalog/types';
import { describeCause } from '../errors';
import { buildSystemPrompt, extractCode, parseLookups } from './agentPrompt';
import { complete, estimateTokens, type ChatMessage, type LanguageModel } from '../llm/languageModel';
import { previewValue as previewJson } from '../preview/previewValue';
import { neutralizeValue } from '../untrusted/report';
import type { RunCode } from './runFeedback';
import type { RunCodeOutcome } from '../run/runView';
import { formatRunError, formatRunOutcome } from '../run/runReply';
import { describeToolReply, searchToolsReply } from '../discovery/catalogReplies';
import { formatDiagnostics, type TypeDiagnostic } from './typeCheck';

/** Characters of the last value shown in an answer when the loop stops early (a valid-JSON preview). */
const STOPPED_VALUE_CHARS = 2_000;

export interface AgentLoopDeps {
  model: LanguageModel;
  catalog: Catalog;
  runCode: RunCode;
  /** Pre-run type check; omitted = scripts run unchecked. */
  typeCheck?: (code: string, language: 'ts' | 'js') => Promise<TypeDiagnostic[]>;
}

export type AgentProgress =
  | { type: 'request'; iteration: number }
  | { type: 'chunk'; text: string }
  | { type: 'lookup'; kind: 'search' | 'describe'; query: string }
  | { type: 'code'; iteration: number; code: string }
  | { type: 'typeErrors'; diagnostics: TypeDiagnostic[] }
  | { type: 'run'; outcome: RunCodeOutcome }
  | { type: 'answer'; text: string };

export interface AgentLoopOptions {
  task: string;
  /** Earlier turns of the conversation (chat history), before the task. */
  history?: ChatMessage[];
  /** Most model requests; default 6. */
  maxIterations?: number;
  /** Most tokens (in + out, all requests); default 60,000. */
  maxTokens?: number;
  signal?: AbortSignal;
  onProgress?: (p: AgentProgress) => void;
}

export type AgentStopReason = 'answered' | 'max_iterations' | 'max_tokens' | 'model_error' | 'cancelled';

export interface AgentResult {
  /** True when the model answered after its last script ran successfully (or it wrote none). */
  ok: boolean;
  stopReason: AgentStopReason;
  /** What to show the user. */
  answer: string;
  /** Model requests made. */
  iterations: number;
  /** Last script run, and its outcome. */
  code?: string;
  lastRun?: RunCodeOutcome;
  traceId?: string;
  traceFile?: string;
  tokens: { input: number; output: number; estimated: boolean };
}

/** Runs the loop to an answer or a stop; never throws for model, type or tool failures. */
export async function runAgentLoop(deps: AgentLoopDeps, opts: AgentLoopOptions): Promise<AgentResult> {
  const maxIterations = opts.maxIterations ?? 6;
  const maxTokens = opts.maxTokens ?? 60_000;
  const signal = opts.signal ?? new AbortController().signal;
  const progress = opts.onProgress ?? (() => {});
  const tokens = { input: 0, output: 0, estimated: false };
  const messages: ChatMessage[] = [
    { role: 'system', content: buildSystemPrompt(deps.catalog) },
    ...(opts.history ?? []),
    { role: 'user', content: opts.task },
  ];
  let iterations = 0;
  let code: string | undefined;
  let lastRun: RunCodeOutcome | undefined;
  let lastProblem: string | undefined;

  const finish = (stopReason: AgentStopReason, answer: string, ok = false): AgentResult => ({
    ok,
    stopReason,
    answer,
    iterations,
    code,
    lastRun,
    traceId: lastRun?.traceId,
    traceFile: lastRun?.traceFile,
    tokens,
  });
  const stopped = (what: string): string => {
    if (lastRun?.result.ok) {
      const v = lastRun.result.value;
      const shown = v === undefined ? 'no value (undefined)' : previewJson(neutralizeValue(v), { maxChars: STOPPED_VALUE_CHARS }).text;
      return `${what} The last script succeeded; its result was:\n${shown}`;
    }
    return lastProblem ? `${what} The last problem was: ${lastProblem}` : what;
  };

  while (true) {
    if (signal.aborted) return finish('cancelled', 'The request was cancelled.');
    if (iterations >= maxIterations) {
      return finish('max_iterations', stopped(`I could not finish the task within ${maxIterations} model requests.`));
    }
    const used = tokens.input + tokens.output;
    const nextPrompt = estimateTokens(messages.map((m) => m.content).join('\n'));
    if (used + nextPrompt > maxTokens) {
      return finish('max_tokens', stopped(`I could not finish the task within the token budget (${maxTokens} tokens; ${used} used).`));
    }
    iterations++;
    progress({ type: 'request', iteration: iterations });
    let reply: string;
    try {
      const c = await complete(deps.model, messages, { signal, onChunk: (text) => progress({ type: 'chunk', text }) });
      tokens.input += c.inputTokens;
      tokens.output += c.outputTokens;
      tokens.estimated ||= c.estimated;
      reply = c.text;
    } catch (err) {
      if (signal.aborted) return finish('cancelled', 'The request was cancelled.');
      return finish('model_error', stopped(`The language model (${deps.model.name}) failed: ${describeCause(err)}.`));
    }
    messages.push({ role: 'assistant', content: reply });

    const extracted = extractCode(reply);
    if (!extracted) {
      const lookups = parseLookups(reply);
      if (lookups.length) {
        messages.push({ role: 'user', content: lookups.map((l) => answerLookup(deps.catalog, l.kind, l.query, progress)).join('\n\n') });
        continue;
      }
      const text = reply.trim();
      if (!text) {
        lastProblem = 'the model sent an empty reply';
        messages.push({ role: 'user', content: 'Your reply was empty. Write a script in a ```ts block, or answer in plain words.' });
        continue;
      }
      progress({ type: 'answer', text });
      // ok only when the answer follows a successful run, or no script was ever attempted.
      return finish('answered', text, code === undefined || lastRun?.result.ok === true);
    }

    code = extracted.code;
    progress({ type: 'code', iteration: iterations, code });
    if (deps.typeCheck) {
      let diags: TypeDiagnostic[] = [];
      try {
        diags = await deps.typeCheck(code, extracted.language);
      } catch (err) {
        // A broken checker must not block the run: report and continue unchecked.
        progress({ type: 'typeErrors', diagnostics: [{ line: 1, column: 1, code: 0, message: `Type check unavailable: ${describeCause(err)}` }] });
      }
      if (diags.length) {
        progress({ type: 'typeErrors', diagnostics: diags });
        lastProblem = `type errors: ${formatDiagnostics(diags, 3)}`;
        messages.push({ role: 'user', content: `The script did not type-check, so it was not run. Fix these and send the whole script again:\n${formatDiagnostics(diags)}` });
        continue;
      }
    }
    if (signal.aborted) return finish('cancelled', 'The request was cancelled.');
    lastRun = await deps.runCode(code, { signal, language: extracted.language });
    progress({ type: 'run', outcome: lastRun });
    const report = formatRunOutcome(lastRun);
    if (lastRun.result.ok) {
      lastProblem = undefined;
      messages.push({ role: 'user', content: `The script ran.\n${report}\n\nAnswer the task in plain words from this result, or send another script if you need more.` });
    } else {
      lastProblem = formatRunError(lastRun.result.error);
      messages.push({ role: 'user', content: `The script failed.\n${report}\n\nFix the script and send it again, or, if the task cannot be done, say so plainly.` });
    }
  }
}

function answerLookup(catalog: Catalog, kind: 'search' | 'describe', query: string, progress: (p: AgentProgress) => void): string {
  progress({ type: 'lookup', kind, query });
  if (kind === 'search') {
    const reply = searchToolsReply(catalog, query, { limit: 8 });
    return reply.hits ? `search_tools "${query}":\n${reply.text}` : `search_tools "${query}": no matching tools.`;
  }
  try {
    return `describe_tool "${query}":\n${describeToolReply(catalog, query)}`;
  } catch (err) {
    return `describe_tool "${query}": ${describeCause(err)}`;
  }
}
