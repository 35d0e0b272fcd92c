// Span plumbing shared by the helpers: a helper span around the whole call and child spans around
// each unit of work. Invariant: every started span is ended exactly once, success or failure.

import { afterFailure, errorInfo } from './errors';
import type { FlowRuntime, FlowSpan, HelperName } from './types';

/** Attributes a helper body may add to its span's end event (e.g. `{ attempts: 2 }`). */
export type EndAttrs = Record<string, unknown>;

/**
 * Runs `body` under a new helper span. The span is started synchronously (so it nests under
 * whatever span is current when the helper is called) and ended when `body` settles. A failure
 * after the run was cancelled becomes a CancelledError (code 'cancelled', the failure as `cause`).
 */
export async function withSpan<T>(
  rt: FlowRuntime,
  helper: HelperName,
  attrs: Record<string, unknown>,
  body: (span: FlowSpan, end: EndAttrs) => Promise<T>,
): Promise<Awaited<T>> {
  const span = rt.startSpan(helper, attrs);
  const end: EndAttrs = {};
  try {
    const value = await body(span, end);
    span.end(true, end);
    return value;
  } catch (caught) {
    // Once the run is cancelled every helper rejects with code 'cancelled' (the failure as cause).
    const err = afterFailure(rt, caught);
    span.end(false, end, errorInfo(err));
    throw err;
  }
}

/** Runs one unit of work (`fn`) under a child span of `parent`; tool calls and helpers that `fn`
 *  starts synchronously nest under the child. */
export async function inChild<T>(
  rt: FlowRuntime,
  parent: FlowSpan,
  helper: HelperName,
  attrs: Record<string, unknown>,
  fn: (span: FlowSpan) => T | PromiseLike<T>,
): Promise<Awaited<T>> {
  const span = parent.enter(() => rt.startSpan(helper, attrs));
  try {
    const value = await span.enter(() => fn(span));
    span.end(true);
    return value;
  } catch (err) {
    span.end(false, undefined, errorInfo(err));
    throw err;
  }
}
