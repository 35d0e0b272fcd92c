// The ToolInvoker of a replay: answers each call from the recorded trace (tape.ts), with no live
// call. Invariant: a call the tape cannot answer is a divergence — it goes to `live` when one is
// given, otherwise it rejects and `onDivergence` stops the run; nothing else reaches a server.
import { ToolError, type ToolErrorCode } from '../errors';
import type { ToolCallOptions, ToolCallRequest, ToolInvoker } from '../ports';
import type { Divergence } from '../trace/schema';
import type { Tape } from './tape';

const TOOL_ERROR_CODES: ReadonlySet<string> = new Set<ToolErrorCode>([
  'unknown_tool',
  'invalid_arguments',
  'tool_failed',
  'server_crashed',
  'server_unreachable',
  'timeout',
  'reply_too_large',
  'malformed_reply',
  'cancelled',
  'rate_limited',
  'quota_exceeded',
  'denied',
  'replay_divergence',
]);

/** How each call was answered, in call order (for the replay's trace and report). */
export interface ReplayCallRecord {
  server: string;
  tool: string;
  line?: number;
  idempotencyKey?: string;
  mode: 'replayed' | 'live' | 'diverged';
}

export interface ReplayInvoker extends ToolInvoker {
  readonly calls: readonly ReplayCallRecord[];
  readonly divergences: readonly Divergence[];
}

export interface ReplayInvokerOptions {
  tape: Tape;
  /** Where divergent calls go (--live-on-divergence); absent: they reject and stop the replay. */
  live?: ToolInvoker;
  /** Called at the first divergence without `live` (the replay aborts its run there). */
  onDivergence?: (d: Divergence) => void;
}

/** A replaying invoker over `tape`. */
export function createReplayInvoker(opts: ReplayInvokerOptions): ReplayInvoker {
  const calls: ReplayCallRecord[] = [];
  const divergences: Divergence[] = [];
  return {
    calls,
    divergences,
    async callTool(req: ToolCallRequest, callOpts: ToolCallOptions): Promise<unknown> {
      const record: ReplayCallRecord = { server: req.server, tool: req.tool, mode: 'replayed', ...(req.line !== undefined ? { line: req.line } : {}), ...(callOpts.idempotencyKey !== undefined ? { idempotencyKey: callOpts.idempotencyKey } : {}) };
      calls.push(record);
      const answer = opts.tape.play({ server: req.server, tool: req.tool, args: req.args, line: req.line });
      if (answer.kind === 'value') return answer.value;
      if (answer.kind === 'error') {
        const code = TOOL_ERROR_CODES.has(answer.code) ? (answer.code as ToolErrorCode) : 'tool_failed';
        throw new ToolError(code, answer.message, { server: req.server, tool: req.tool });
      }
      divergences.push(answer.divergence);
      if (opts.live) {
        record.mode = 'live';
        return opts.live.callTool(req, callOpts);
      }
      record.mode = 'diverged';
      opts.onDivergence?.(answer.divergence);
      throw new ToolError('replay_divergence', answer.divergence.message, { server: req.server, tool: req.tool });
    },
  };
}
