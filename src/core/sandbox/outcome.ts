// Maps how a guest run ended to the RunError contract (codes, names, script lines). Invariant:
// only the guest's own description (JSON text made by the prelude) is read; nothing here touches
// guest objects.

import { scriptLocation } from './source';
import type { GuestOutcome } from './protocol';
import type { RunError, RunLimits } from './types';
import { runError } from './runErrors';

/** What the prelude's `describe` reports about a thrown value. */
export interface GuestDescription {
  type: string;
  tool?: boolean;
  name?: string;
  message?: string;
  stack?: string;
  code?: string;
  server?: string;
  toolName?: string;
  field?: string;
}

/** The run made more tool calls than its limit (the guest's and the host's check say the same). */
export function quotaError(limits: Pick<RunLimits, 'maxToolCalls'>): RunError {
  return runError('quota_exceeded', `The script made more than ${limits.maxToolCalls} tool calls, the run's limit. Batch work into fewer calls, or raise maxToolCalls.`);
}

/** The run's wall clock ran out (the worker's deadline and the host's backstop say the same). */
export function timeoutError(limits: Pick<RunLimits, 'timeoutMs'>): RunError {
  return runError('timeout', `The script did not finish within ${limits.timeoutMs} ms (the wall clock covers CPU work and waiting on tools). Make it do less, or raise timeoutMs.`);
}

/** Outcome of a run the host or the clock ended. */
export function stopError(
  reason: 'timeout' | 'cancelled' | 'quota' | 'sleeps' | 'never_settles' | 'result_too_large' | 'not_serializable',
  limits: RunLimits,
  message?: string,
): GuestOutcome {
  if (reason === 'result_too_large') {
    return { ok: false, limitHit: 'maxResultBytes', error: runError('result_too_large', message ?? 'The script\'s return value is too large.') };
  }
  if (reason === 'not_serializable') {
    return { ok: false, error: runError('not_serializable', message ?? 'The script\'s return value could not be converted to JSON.') };
  }
  if (reason === 'quota') {
    return {
      ok: false,
      limitHit: 'maxToolCalls',
      error: quotaError(limits),
    };
  }
  if (reason === 'sleeps') {
    return {
      ok: false,
      limitHit: 'maxPendingSleeps',
      error: runError('quota_exceeded', `The script had more than ${limits.maxPendingSleeps} sleep() calls pending at once, the run's limit. Wait for sleeps in smaller groups, or raise maxPendingSleeps.`),
    };
  }
  if (reason === 'timeout') {
    return {
      ok: false,
      limitHit: 'timeoutMs',
      error: timeoutError(limits),
    };
  }
  if (reason === 'cancelled') {
    return { ok: false, error: runError('cancelled', 'The run was cancelled before the script finished.') };
  }
  return {
    ok: false,
    error: runError('never_settles', 'The script is waiting on a promise that can never settle: no tool call or sleep is pending. Check for a missing resolve() or an await on something nothing will complete.'),
  };
}

/** Classifies a thrown value from its description; `memoryPressure` is asked only when the value
 *  is null/undefined or could not be described (QuickJS throws null when it cannot allocate). */
export function classifyThrown(desc: GuestDescription | undefined, memoryPressure: () => boolean, limits: RunLimits): GuestOutcome {
  const oom = (): GuestOutcome => ({
    ok: false,
    limitHit: 'memoryMb',
    error: runError('out_of_memory', `The script ran out of memory (the sandbox has ${limits.memoryMb} MiB). Process less data at once, or raise memoryMb.`),
  });
  if (!desc) {
    if (memoryPressure()) return oom();
    return { ok: false, error: runError('guest_error', 'The script threw a value that could not be described.') };
  }
  const message = desc.message ?? '';
  const loc = scriptLocation(desc.stack);
  const at = (e: RunError): RunError => {
    if (loc) {
      e.line = loc.line;
      if (loc.column !== undefined) e.column = loc.column;
    }
    const stack = scriptFrames(desc.stack);
    if (stack) e.stack = stack;
    return e;
  };
  if (desc.tool) {
    const error: RunError = { name: 'ToolError', code: 'tool_error', message, server: desc.server ?? '', tool: desc.toolName ?? '' };
    if (desc.code) error.cause = desc.code;
    return { ok: false, error: at(error) };
  }
  const engineError = desc.name === 'InternalError' || desc.name === 'RangeError' || desc.name === 'SyntaxError';
  if (engineError && /out of memory/i.test(message)) return oom();
  if (engineError && /stack overflow|maximum call stack/i.test(message)) {
    return {
      ok: false,
      limitHit: 'stackKb',
      error: at(runError('stack_overflow', `The script overflowed the sandbox's ${limits.stackKb} KiB stack (too deep recursion or nesting). Reduce the depth, or raise stackKb.`)),
    };
  }
  if (desc.type === 'null' || desc.type === 'undefined') {
    if (memoryPressure()) return oom();
    return { ok: false, error: runError('guest_error', `The script threw ${desc.type}.`) };
  }
  if (desc.type !== 'object' && desc.type !== 'function') {
    return { ok: false, error: runError('guest_error', `The script threw a ${desc.type}: ${message}`) };
  }
  return { ok: false, error: at({ name: desc.name || 'Error', code: 'guest_error', message }) };
}

/** The stack without the prelude's own frames (they mean nothing to the script's author). */
function scriptFrames(stack: string | undefined): string | undefined {
  if (!stack) return undefined;
  const lines = stack.split('\n').filter((l) => l.trim() !== '' && !l.includes('prelude.js'));
  return lines.length ? `${lines.join('\n')}\n` : undefined;
}
