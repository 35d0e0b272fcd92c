// Host functions a script can call besides tools: `tools.search`, `tools.describe` (progressive
// disclosure, through the run's discovery port) and `llm()` (the run's model hook). Invariant: each call
// settles exactly once with a JSON value or a ToolError-shaped info; failures never throw here.

import { LLM_UNAVAILABLE_MESSAGE } from '../../llm/llmBridge';
import { describeCause, ToolError } from '../../errors';
import { HOST_FN, type GuestToolErrorInfo } from '../protocol';
import type { HelperName } from '../../flow/types';
import type { LlmHook, ToolDiscovery } from '../types';

export type HostFunctionName = Extract<HelperName, 'search' | 'describe' | 'llm'>;

/** The settled call: the value and attributes for the span's end, or the error for the guest. */
export type HostCallOutcome = { ok: true; value: unknown; attrs: Record<string, unknown> } | { ok: false; info: GuestToolErrorInfo };

export interface HostCallResult {
  /** Attributes known at the start (query, prompt size…), for the helper span. */
  attrs: Record<string, unknown>;
  result: Promise<HostCallOutcome>;
}

export interface HostFunctionDeps {
  discovery?: ToolDiscovery;
  llm?: LlmHook;
  /** Aborted when the run ends. */
  signal: AbortSignal;
}

/** Most results tools.search returns, whatever the script asks. */
export const MAX_SEARCH_LIMIT = 50;

/** The helper name of a host function number (HOST_FN). */
export function hostFunctionName(fn: number): HostFunctionName {
  return fn === HOST_FN.search ? 'search' : fn === HOST_FN.describe ? 'describe' : 'llm';
}

function failure(code: GuestToolErrorInfo['code'], message: string, server: string, tool: string): { ok: false; info: GuestToolErrorInfo } {
  return { ok: false, info: { code, message, server, tool } };
}

/** Calls host function `fn` with the guest's arguments (already JSON-parsed). */
export function callHostFunction(fn: number, args: unknown[], deps: HostFunctionDeps): HostCallResult {
  const name = hostFunctionName(fn);
  if (name === 'search') {
    const query = typeof args[0] === 'string' ? args[0] : '';
    const asked = typeof args[1] === 'number' && Number.isFinite(args[1]) ? Math.floor(args[1]) : 8;
    const limit = Math.min(MAX_SEARCH_LIMIT, Math.max(1, asked));
    const hits = deps.discovery ? deps.discovery.search(query, limit) : [];
    const value = hits.map((h) => ({ server: h.server, tool: h.tool, ident: h.ident, signature: h.signature }));
    return { attrs: { query, limit }, result: Promise.resolve({ ok: true, value, attrs: { results: value.length } }) };
  }
  if (name === 'describe') {
    const toolName = typeof args[0] === 'string' ? args[0] : '';
    let outcome: HostCallOutcome;
    try {
      if (!deps.discovery) throw new ToolError('unknown_tool', 'tools.describe(): this run has no tool discovery.', { server: 'toolweaver', tool: 'describe' });
      const text = deps.discovery.describe(toolName);
      outcome = { ok: true, value: text, attrs: { chars: text.length } };
    } catch (err) {
      outcome = ToolError.is(err)
        ? failure(err.code, err.message, 'toolweaver', 'describe')
        : failure('tool_failed', `tools.describe() failed: ${describeCause(err)}`, 'toolweaver', 'describe');
    }
    return { attrs: { name: toolName }, result: Promise.resolve(outcome) };
  }
  return callLlm(args, deps);
}

function callLlm(args: unknown[], deps: HostFunctionDeps): HostCallResult {
  const prompt = args[0];
  const raw = args[1] !== null && typeof args[1] === 'object' ? (args[1] as Record<string, unknown>) : {};
  const opts: { model?: string; system?: string } = {};
  if (typeof raw.model === 'string') opts.model = raw.model;
  if (typeof raw.system === 'string') opts.system = raw.system;
  const attrs: Record<string, unknown> = { promptChars: typeof prompt === 'string' ? prompt.length : 0 };
  if (opts.model) attrs.model = opts.model;
  if (opts.system) attrs.systemChars = opts.system.length;
  if (!deps.llm) return { attrs, result: Promise.resolve(failure('server_unreachable', LLM_UNAVAILABLE_MESSAGE, 'llm', 'llm')) };
  if (typeof prompt !== 'string' || prompt.length === 0) {
    return { attrs, result: Promise.resolve(failure('invalid_arguments', 'llm(prompt) needs a non-empty string prompt.', 'llm', 'llm')) };
  }
  const hook = deps.llm;
  const result = Promise.resolve()
    .then(() => hook(prompt, opts, deps.signal))
    .then(
      (reply): HostCallOutcome => {
        const text = typeof reply === 'string' ? reply : reply.text;
        if (typeof text !== 'string') return failure('malformed_reply', 'llm(): the model provider returned no text.', 'llm', 'llm');
        const end: Record<string, unknown> = { replyChars: text.length };
        if (typeof reply === 'object') {
          if (reply.inputTokens !== undefined) end.inputTokens = reply.inputTokens;
          if (reply.outputTokens !== undefined) end.outputTokens = reply.outputTokens;
        }
        return { ok: true, value: text, attrs: end };
      },
      (err: unknown): HostCallOutcome => {
        if (ToolError.is(err)) {
          const info: GuestToolErrorInfo = { code: err.code, message: err.message, server: 'llm', tool: 'llm' };
          return { ok: false, info };
        }
        if (deps.signal.aborted) return failure('cancelled', 'llm() was cancelled with the run.', 'llm', 'llm');
        return failure('tool_failed', `llm() failed: ${describeCause(err)}`, 'llm', 'llm');
      },
    );
  return { attrs, result };
}
