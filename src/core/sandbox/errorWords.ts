// A run error's code in words a user reads first (the panel headline, the failure toast); the code
// itself stays in the details for searching and scripts. Keep in sync with RunErrorCode (types.ts).
import type { RunErrorCode } from './types';

const WORDS: Record<RunErrorCode, string> = {
  timeout: 'The script ran out of time',
  out_of_memory: 'The script ran out of memory',
  stack_overflow: 'The script recursed too deeply',
  quota_exceeded: 'The script made too many tool calls',
  not_serializable: 'The script returned a value that cannot be sent as JSON',
  result_too_large: 'The script returned a value that is too large',
  source_too_large: 'The script is too large',
  never_settles: 'The script waited on something that never finishes',
  tool_error: 'A tool call failed',
  cancelled: 'The run was cancelled',
  sandbox_crashed: 'The sandbox crashed',
  guest_error: 'The script threw an error',
  syntax_error: 'The script has a syntax error',
};

/** "The script threw an error" for `guest_error`; an unknown code (an older trace) as its words. */
export function describeRunErrorCode(code: string): string {
  return (WORDS as Record<string, string | undefined>)[code] ?? `The run failed (${code.replace(/_/g, ' ')})`;
}
