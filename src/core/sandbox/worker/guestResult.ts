// Turns how the guest ended into a GuestOutcome: its returned value (checked against the result
// limits) or its thrown value (described by the prelude, in the guest). Invariant: guest values are
// read only as JSON text the prelude made; a host fault while describing abandons the engine.

import type { QuickJSHandle } from 'quickjs-emscripten-core';
import { jsonDepth } from '../json';
import { MAX_MESSAGE_BYTES, MAX_VALUE_DEPTH } from '../limits';
import { classifyThrown, stopError, type GuestDescription } from '../outcome';
import type { GuestOutcome, RunRequest } from '../protocol';
import { runError } from '../runErrors';
import { scriptColumn, syntaxError } from '../source';
import type { RunLimits } from '../types';
import type { Engine } from './engine';

/** The outcome of the guest's `finish` with kind 0 (`value`: the JSON text or undefined) or
 *  2 (`value`: a limit code, `message`: why). Kind 1 (a thrown value) goes to describeThrown. */
export function returnedOutcome(kind: number, value: string | undefined, message: string | undefined, limits: RunLimits): GuestOutcome {
  const { maxResultBytes } = limits;
  if (kind === 0) {
    const bytes = value === undefined ? 0 : Buffer.byteLength(value);
    if (bytes > maxResultBytes) {
      return stopError('result_too_large', limits, `The script's return value is ${bytes} bytes of JSON, over the ${maxResultBytes}-byte limit. Return a summary, or raise maxResultBytes.`);
    }
    if (value !== undefined && jsonDepth(value) > MAX_VALUE_DEPTH) {
      return stopError('not_serializable', limits, `The script's return value is nested more than ${MAX_VALUE_DEPTH} levels deep. Return flatter data.`);
    }
    return value === undefined ? { ok: true } : { ok: true, valueJson: value };
  }
  const code = value === 'result_too_large' ? 'result_too_large' : 'not_serializable';
  return stopError(code, limits, message ?? "The script's return value could not be converted to JSON.");
}

/** What describeThrown found; `engineOk: false` when the engine failed and must be abandoned. */
export interface Described {
  outcome: GuestOutcome;
  engineOk: boolean;
}

/** Describes the thrown value `h` with the prelude's `describe` (guest code: its getters run, which
 *  is why the caller opens a describe window before calling). */
export function describeThrown(engine: Engine, h: QuickJSHandle, req: RunRequest): Described {
  const { ctx, fns, heap } = engine;
  if (!fns) return { outcome: { ok: false, error: runError('guest_error', 'The script failed.') }, engineOk: true };
  try {
    const r = ctx.callFunction(fns.describe, ctx.undefined, h);
    let desc: GuestDescription | undefined;
    if (r.error) r.error.dispose();
    else {
      const text = ctx.typeof(r.value) === 'string' ? ctx.getString(r.value) : undefined;
      r.value.dispose();
      desc = text === undefined ? undefined : (JSON.parse(text) as GuestDescription);
    }
    // A compile error's stack is `at script.ts:L:C` without a function frame.
    if (desc?.name === 'SyntaxError' && desc.stack && !desc.stack.includes('(script.ts')) {
      const m = /script\.ts:(\d+):(\d+)/.exec(desc.stack);
      if (m) return { outcome: { ok: false, error: syntaxError(req.source, desc.message ?? 'invalid syntax', Number(m[1]), scriptColumn(Number(m[1]), Number(m[2]))) }, engineOk: true };
    }
    return { outcome: classifyThrown(desc, () => heap.exhausted, req.limits), engineOk: true };
  } catch (err) {
    return { outcome: { ok: false, error: runError('sandbox_crashed', `The sandbox failed while reading the script's error: ${String(err).slice(0, MAX_MESSAGE_BYTES)}`) }, engineOk: false };
  }
}
