// The liveness probe of an HTTP connection: over Streamable HTTP a dead server is otherwise noticed
// only at the SDK's 60 s request timeout. Invariant: one ping in flight at a time; two missed pings
// in a row (or any other ping failure) report the server dead, once per probe.
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import { describeCause } from '../errors';

export interface LivenessHooks {
  /** True while pings should be skipped (the connection is already known lost). */
  paused(): boolean;
  /** Called with a phrase for messages when the server stopped answering. */
  onDead(detail: string): void;
}

/** Pings every `intervalMs` (unref'd timer); clear the returned interval to stop. */
export function startLivenessProbe(client: Client, intervalMs: number, hooks: LivenessHooks): NodeJS.Timeout {
  let busy = false;
  let misses = 0;
  const probe = setInterval(() => {
    if (busy || hooks.paused()) return;
    busy = true;
    client
      .ping({ timeout: intervalMs * 3 })
      .then(() => (misses = 0))
      .catch((err: unknown) => {
        const timedOut = err instanceof McpError && err.code === ErrorCode.RequestTimeout;
        if (!timedOut || ++misses >= 2) hooks.onDead(`the server stopped answering (${describeCause(err)})`);
      })
      .finally(() => (busy = false));
  }, intervalMs);
  probe.unref();
  return probe;
}
