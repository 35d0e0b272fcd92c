// How the script's end reaches the worker: its return value as JSON text (checked against the
// result limit before and after stringify, so a huge value fails with a clear code, not an abort)
// or the value it threw. Invariant: every path through `start` ends in one `host.finish`.

import type { GuestHostApi } from '../guestApi';
import { apply, promiseThen, regexpExec, safeMessage, stringify } from './intrinsics';

const OOM_RE = /out of memory/i;

/** `start` for the worker: runs the script function and reports how it ended. */
export function createStart(host: GuestHostApi, maxResultBytes: () => number): (fn: () => Promise<unknown>) => void {
  function finishValue(v: unknown): void {
    const limit = maxResultBytes();
    if (typeof v === 'function' || typeof v === 'symbol' || typeof v === 'bigint') {
      host.finish(2, 'not_serializable', `The script returned a ${typeof v}, which cannot cross as JSON. Return JSON-compatible data (objects, arrays, strings, numbers, booleans, null).`);
      return;
    }
    if (v === undefined) {
      host.finish(0, undefined);
      return;
    }
    // A string's JSON is at least as long as the string: no need to build text the memory may not hold.
    if (typeof v === 'string' && v.length > limit) {
      host.finish(2, 'result_too_large', `The script's return value is a string of ${v.length} characters, over the ${limit}-byte limit for its JSON. Return a summary or raise maxResultBytes.`);
      return;
    }
    let json: unknown;
    try {
      json = stringify(v);
    } catch (e) {
      // The JSON text did not fit in the sandbox's memory: far over the result limit in practice.
      if (e === null || apply(regexpExec, OOM_RE, [safeMessage(e)]) !== null) {
        host.finish(2, 'result_too_large', `The script's return value is too large to convert to JSON in the sandbox's memory (the limit for its JSON is ${limit} bytes). Return a summary or raise maxResultBytes.`);
        return;
      }
      host.finish(2, 'not_serializable', `The script's return value could not be converted to JSON: ${safeMessage(e)}. Return plain data without cycles, BigInt values or throwing getters.`, e);
      return;
    }
    if (typeof json !== 'string') {
      host.finish(2, 'not_serializable', 'The script\'s return value could not be converted to JSON. Return JSON-compatible data.');
      return;
    }
    if (json.length > limit) {
      host.finish(2, 'result_too_large', `The script's return value is at least ${json.length} bytes of JSON, over the ${limit}-byte limit. Return a summary or raise maxResultBytes.`);
      return;
    }
    host.finish(0, json);
  }

  /** Runs the script function and reports its outcome to the worker. */
  function start(fn: () => Promise<unknown>): void {
    let p: Promise<unknown>;
    try {
      p = fn();
    } catch (e) {
      host.finish(1, e);
      return;
    }
    void apply(promiseThen, p, [finishValue, (e: unknown) => host.finish(1, e)]);
  }

  return start;
}
