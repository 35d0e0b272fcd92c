// Wire helpers of the tool bridge: parsing the calls the guest drained, and shaping errors the way
// the guest's ToolError expects them. Pure functions; nothing the guest sent is evaluated.

import { describeCause, ToolError, type ToolErrorCode } from '../../errors';
import type { GuestCall, GuestToolErrorInfo } from '../protocol';

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
