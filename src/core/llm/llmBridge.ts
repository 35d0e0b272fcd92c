// The host side of `llm()` inside scripts: one model call per guest call, with quotas (calls,
// tokens) and a timeout per call. Invariant: failures reject with a ToolError (server/tool 'llm')
// the script can catch; nothing is retried or invented.
import { ToolError } from '../errors';
import { complete, type ChatMessage, type LanguageModel } from './languageModel';

export const LLM_UNAVAILABLE_MESSAGE =
  'llm() is unavailable in the CLI unless a model provider is configured. In VS Code it uses the chat model you select.';

export interface LlmBridgeOptions {
  /** The model, or a resolver for `llm(prompt, { model })`; undefined = no provider configured. */
  model?: LanguageModel | ((name: string | undefined) => LanguageModel | undefined);
  /** Most llm() calls per run; default 20. */
  maxCalls?: number;
  /** Most tokens (in + out) per run; default 50,000. */
  maxTokens?: number;
  /** Per call; default 60 s. */
  timeoutMs?: number;
}

export interface LlmCallOptions {
  model?: string;
  system?: string;
  signal?: AbortSignal;
}

export interface LlmUsage {
  calls: number;
  inputTokens: number;
  outputTokens: number;
  estimated: boolean;
}

export interface LlmBridge {
  /** What the sandbox exposes as `llm(prompt, opts)`: resolves with the model's text. */
  call(prompt: string, opts?: LlmCallOptions): Promise<string>;
  usage(): LlmUsage;
}

function fail(code: 'server_unreachable' | 'quota_exceeded' | 'timeout' | 'tool_failed' | 'cancelled' | 'invalid_arguments', message: string, cause?: unknown): ToolError {
  return new ToolError(code, message, { server: 'llm', tool: 'llm', cause });
}

/** Creates the per-run bridge. */
export function createLlmBridge(opts: LlmBridgeOptions): LlmBridge {
  const maxCalls = opts.maxCalls ?? 20;
  const maxTokens = opts.maxTokens ?? 50_000;
  const timeoutMs = opts.timeoutMs ?? 60_000;
  const used: LlmUsage = { calls: 0, inputTokens: 0, outputTokens: 0, estimated: false };

  return {
    usage: () => ({ ...used }),
    async call(prompt, callOpts = {}) {
      if (typeof prompt !== 'string' || prompt.length === 0) throw fail('invalid_arguments', 'llm(prompt) needs a non-empty string prompt.');
      const model = typeof opts.model === 'function' ? opts.model(callOpts.model) : opts.model;
      if (!opts.model) throw fail('server_unreachable', LLM_UNAVAILABLE_MESSAGE);
      if (!model) throw fail('server_unreachable', `llm(): no model named "${callOpts.model ?? ''}" is available.`);
      if (used.calls >= maxCalls) throw fail('quota_exceeded', `llm() was called more than ${maxCalls} times in this run (the limit).`);
      if (used.inputTokens + used.outputTokens >= maxTokens) {
        throw fail('quota_exceeded', `llm() used its token budget for this run (${maxTokens} tokens).`);
      }
      used.calls++;
      const ac = new AbortController();
      const onAbort = (): void => ac.abort();
      callOpts.signal?.addEventListener('abort', onAbort, { once: true });
      let timer: ReturnType<typeof setTimeout> | undefined;
      const messages: ChatMessage[] = callOpts.system ? [{ role: 'system', content: callOpts.system }, { role: 'user', content: prompt }] : [{ role: 'user', content: prompt }];
      try {
        const result = await Promise.race([
          complete(model, messages, { signal: ac.signal }),
          new Promise<never>((_, reject) => {
            timer = setTimeout(() => {
              ac.abort();
              reject(fail('timeout', `llm() got no answer from ${model.name} within ${Math.round(timeoutMs / 1000)} s.`));
            }, timeoutMs);
          }),
        ]);
        used.inputTokens += result.inputTokens;
        used.outputTokens += result.outputTokens;
        used.estimated ||= result.estimated;
        return result.text;
      } catch (err) {
        if (ToolError.is(err)) throw err;
        if (callOpts.signal?.aborted) throw fail('cancelled', 'llm() was cancelled with the run.', err);
        throw fail('tool_failed', `llm() failed: ${model.name} returned an error (${err instanceof Error ? err.message : String(err)}).`, err);
      } finally {
        if (timer) clearTimeout(timer);
        callOpts.signal?.removeEventListener('abort', onAbort);
      }
    },
  };
}
