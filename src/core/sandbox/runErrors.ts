// One factory for run errors, keyed by code: the error's name follows from its code, so one code
// never goes by two names. Guest and syntax errors keep the name the script's own error had.
import type { RunError, RunErrorCode } from './types';

/** The name each code's errors carry (guest_error and syntax_error: unless the script's own says otherwise). */
export const RUN_ERROR_NAMES: Record<RunErrorCode, string> = {
  timeout: 'TimeoutError',
  out_of_memory: 'OutOfMemoryError',
  stack_overflow: 'StackOverflowError',
  quota_exceeded: 'QuotaExceededError',
  not_serializable: 'NotSerializableError',
  result_too_large: 'ResultTooLargeError',
  source_too_large: 'SourceTooLargeError',
  never_settles: 'NeverSettlesError',
  tool_error: 'ToolError',
  cancelled: 'CancelledError',
  sandbox_crashed: 'SandboxCrashedError',
  guest_error: 'Error',
  syntax_error: 'SyntaxError',
};

/** A run error; `extra.name` only for errors that carry the script's own name (guest, syntax). */
export function runError(code: RunErrorCode, message: string, extra: Omit<Partial<RunError>, 'code' | 'message'> = {}): RunError {
  return { ...extra, name: extra.name ?? RUN_ERROR_NAMES[code], code, message };
}
