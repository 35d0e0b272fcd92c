// ToolError as scripts see it, and `describe`: how the worker learns what a script threw without
// touching the value itself. Runs in the QuickJS guest (part of the prelude bundle).

import { apply, ErrorCtor, StringCtor, stringify, weakSetAdd, weakSetHas } from './intrinsics';

const toolErrors = new WeakSet<object>();

/** A failed tool call as the script sees it: catchable, with code, server and tool. */
export class ToolError extends ErrorCtor {
  code: string;
  server: string;
  tool: string;
  field?: string;
  /** false when the tool is not annotated read-only or idempotent: retry() does not repeat it by default. */
  retryable?: boolean;
  constructor(info: { code: string; message: string; server: string; tool: string; field?: string; retryable?: boolean }) {
    super(info.message);
    this.name = 'ToolError';
    this.code = info.code;
    this.server = info.server;
    this.tool = info.tool;
    if (info.field !== undefined) this.field = info.field;
    if (info.retryable === false) this.retryable = false;
    apply(weakSetAdd, toolErrors, [this]);
  }
}

function read(e: unknown, key: string): unknown {
  try {
    return (e as Record<string, unknown>)[key];
  } catch {
    return undefined;
  }
}

function text(v: unknown, max: number): string | undefined {
  if (v === undefined) return undefined;
  try {
    const s = typeof v === 'string' ? v : StringCtor(v);
    return s.length > max ? s.slice(0, max) : s;
  } catch {
    return undefined;
  }
}

/** Describes a thrown value as JSON without trusting it (getters may throw or loop: the worker
 *  runs this under its own deadline). */
export function describe(e: unknown): string {
  const out: Record<string, unknown> = { type: e === null ? 'null' : typeof e };
  if (e !== null && (typeof e === 'object' || typeof e === 'function')) {
    let isTool = false;
    try {
      isTool = apply(weakSetHas, toolErrors, [e]) as boolean;
    } catch {
      isTool = false;
    }
    out.tool = isTool;
    out.name = text(read(e, 'name'), 200);
    out.message = text(read(e, 'message'), 4096);
    out.stack = text(read(e, 'stack'), 4096);
    out.code = text(read(e, 'code'), 200);
    if (isTool) {
      out.server = text(read(e, 'server'), 1000);
      out.toolName = text(read(e, 'tool'), 1000);
      out.field = text(read(e, 'field'), 1000);
    }
  } else {
    out.message = text(typeof e === 'symbol' ? (e as symbol).toString() : e, 4096);
  }
  return stringify(out);
}
