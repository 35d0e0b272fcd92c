// Wire helpers of the tool bridge: parsing and checking the calls the guest drained, encoding
// replies, and shaping errors the way the guest's ToolError expects them. Pure functions; nothing
// the guest sent is evaluated beyond JSON.parse.

import { describeCause, ToolError, type ToolErrorCode } from '../../errors';
import { jsonDepth } from '../json';
import { MAX_ARGS_BYTES, MAX_VALUE_DEPTH } from '../limits';
import type { GuestCall, GuestToolErrorInfo } from '../protocol';
import type { ToolEntry } from './toolTable';

/** One drained call (header `toolIndex,line,parentId,kind` and payload) → GuestCall. */
export function parseCall(id: number, header: string, payload: string): GuestCall {
  const [index, line, parent, kind] = header.split(',');
  const isArgs = kind === 'a';
  return [id, Number(index), isArgs ? payload : null, parent ? parent : null, line ? Number(line) : null, isArgs ? null : payload];
}

/** The arguments as a plain object, or undefined (a toJSON may have produced anything). */
export function parseArgs(text: string): Record<string, unknown> | undefined {
  try {
    const v = JSON.parse(text) as unknown;
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** A host function's arguments: the JSON array the prelude sent, or none. */
export function parseHostArgs(text: string | null): unknown[] {
  try {
    const parsed = text === null ? [] : (JSON.parse(text) as unknown);
    return Array.isArray(parsed) ? parsed : [];
  } catch {
    return [];
  }
}

export function info(code: ToolErrorCode, message: string, server: string, tool: string): GuestToolErrorInfo {
  return { code, message, server, tool };
}

export function errorInfo(err: unknown, server: string, tool: string): GuestToolErrorInfo {
  if (ToolError.is(err)) {
    const out = info(err.code, err.message, server, tool);
    if (err.field !== undefined) out.field = err.field;
    return out;
  }
  if (err instanceof Error && err.name === 'AbortError') return info('cancelled', `The call to ${server}.${tool} was cancelled.`, server, tool);
  return info('tool_failed', `The tool ${server}.${tool} failed: ${describeCause(err)}`, server, tool);
}

/** How one call ended, as the bridge delivers it: the reply's JSON text (and value, for the trace)
 *  or the guest's ToolError info. */
export type Outcome = { ok: true; json: string; value: unknown } | { ok: false; info: GuestToolErrorInfo };

/** Checks a call's arguments (size, depth, object, the tool's schema) before anything is invoked;
 *  `entry` undefined: no tool has that index. */
export function checkArgs(entry: ToolEntry | undefined, index: number, argsJson: string | null, argsError: string | null): { args?: Record<string, unknown>; problem?: GuestToolErrorInfo } {
  const server = entry?.server.name ?? '';
  const tool = entry?.tool.name ?? '';
  if (!entry) return { problem: info('unknown_tool', `No tool has index ${index} in this catalog.`, server, tool) };
  if (argsJson === null) return { problem: info('invalid_arguments', `Invalid arguments for ${server}.${tool}: ${argsError ?? 'they could not be serialized'}`, server, tool) };
  if (argsJson.length > MAX_ARGS_BYTES) return { problem: info('invalid_arguments', `Invalid arguments for ${server}.${tool}: ${argsJson.length} bytes of JSON, over the ${MAX_ARGS_BYTES}-byte limit.`, server, tool) };
  if (jsonDepth(argsJson) > MAX_VALUE_DEPTH) return { problem: info('invalid_arguments', `Invalid arguments for ${server}.${tool}: nested more than ${MAX_VALUE_DEPTH} levels deep.`, server, tool) };
  const args = parseArgs(argsJson);
  const bad = args === undefined ? { field: '', message: 'they must be a JSON object' } : entry.check(args);
  if (bad) return { args, problem: { ...info('invalid_arguments', `Invalid arguments for ${server}.${tool}: ${bad.message}.`, server, tool), field: bad.field } };
  return { args };
}

/** A tool's (or host function's) reply as JSON text the guest can parse: no deeper than `maxDepth`
 *  (what the guest's stack of `stackKb` parses). */
export function encodeReply(maxDepth: number, stackKb: number, value: unknown, server: string, tool: string): Outcome {
  let json: string | undefined;
  try {
    json = JSON.stringify(value);
  } catch (err) {
    return { ok: false, info: info('malformed_reply', `The tool ${server}.${tool} returned a value that is not JSON: ${describeCause(err)}.`, server, tool) };
  }
  json ??= 'null';
  if (jsonDepth(json) > maxDepth) {
    return { ok: false, info: info('malformed_reply', `The tool ${server}.${tool} returned data nested deeper than the sandbox accepts (${maxDepth} levels with stackKb ${stackKb}).`, server, tool) };
  }
  return { ok: true, json, value };
}
