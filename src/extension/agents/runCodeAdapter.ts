// The RunCode port (agent loop, LM tool) over the extension's RunService, so runs on behalf of a
// model go through executeRun like any other: trace, approvals, token account, run views.
// Invariant: a run that did not start rejects with RunNotStartedError; it is never reported as a result.
import { modelOutcome } from '../../core/agents/runCode';
import type { RunCode } from '../../core/agents/runFeedback';
import type { RunRefusal, RunService } from '../runService';
import { tokenSummary } from './agentText';

/** The run did not start (untrusted workspace, another run in progress, no catalog, type errors). */
export class RunNotStartedError extends Error {
  override readonly name = 'RunNotStartedError';
  constructor(
    readonly reason: RunRefusal | 'unknown',
    message: string,
  ) {
    super(message);
  }
}

/** The privacy-firewall conversation of the LM tools: one per extension host session (VS Code
 *  gives a tool invocation no stable chat session id), so placeholders from one tool call restore
 *  in the next one the same host serves. */
export const LM_TOOLS_CONVERSATION = 'lm-tools';

/** Runs scripts for a model: no popups, no second type check (the caller checked), origin 'agent',
 *  firewalled as part of `conversation` (what the model gets has placeholders; see RunRequest). */
export function extensionRunCode(runs: RunService, origin = 'agent', conversation = LM_TOOLS_CONVERSATION): RunCode {
  return async (code, { signal, language, timeoutMs, conversation: account }) => {
    const outcome = await runs.run({ source: code, language: language ?? 'ts', typeCheck: false, interactive: false, signal, origin, timeoutMs, conversation, ...(account ? { account } : {}) });
    if (!outcome) {
      const refusal = runs.lastRefusal;
      throw new RunNotStartedError(refusal?.reason ?? 'unknown', refusal?.message ?? 'ToolWeaver could not start the run (see the ToolWeaver output channel).');
    }
    const base = { result: outcome.model?.result ?? outcome.result, traceId: outcome.trace.id, traceFile: outcome.traceFile, tokenSummary: tokenSummary(outcome.trace.tokens), view: outcome.view };
    return outcome.model ? modelOutcome(base, outcome.model.withheld) : base;
  };
}
