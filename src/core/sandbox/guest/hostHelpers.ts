// tools.search, tools.describe and llm() as the script sees them: arguments checked here (a bad one
// rejects with a ToolError the script can catch), then queued as host-function calls. Invariant:
// only strings and plain option fields reach the host; nothing here converts a guest value there.

import { rejected, typeName, type GuestCalls } from './calls';
import { ToolError } from './errors';
import { create, safeMessage } from './intrinsics';

// Same numbers as HOST_FN in ../protocol.ts (kept literal: the prelude bundles no host code).
const HOST_SEARCH = 1;
const HOST_DESCRIBE = 2;
const HOST_LLM = 3;

/** A string argument, or a rejection the script can catch (never a host-side conversion). */
function text(v: unknown, what: string, tool: string): string | Error {
  if (typeof v === 'string') return v;
  return new ToolError({ code: 'invalid_arguments', message: `${what} must be a string, not ${typeName(v)}.`, server: 'toolweaver', tool });
}

/** The three host helpers over one call queue. */
export function createHostHelpers(calls: GuestCalls): { searchTools: (query: unknown, limit?: unknown) => Promise<unknown>; describeTool: (name: unknown) => Promise<unknown>; llm: (prompt: unknown, opts?: unknown) => Promise<unknown> } {
  const { callHost } = calls;
  function searchTools(query: unknown, limit?: unknown): Promise<unknown> {
    const q = text(query, 'tools.search(query): the query', 'search');
    if (typeof q !== 'string') return rejected(q);
    return callHost(HOST_SEARCH, typeof limit === 'number' ? [q, limit] : [q]);
  }

  function describeTool(name: unknown): Promise<unknown> {
    const n = text(name, 'tools.describe(name): the name', 'describe');
    if (typeof n !== 'string') return rejected(n);
    return callHost(HOST_DESCRIBE, [n]);
  }

  function llm(prompt: unknown, opts?: unknown): Promise<unknown> {
    const p = text(prompt, 'llm(prompt): the prompt', 'llm');
    if (typeof p !== 'string') return rejected(p);
    const o: Record<string, string> = create(null) as Record<string, string>;
    if (opts !== null && typeof opts === 'object') {
      try {
        const model: unknown = (opts as Record<string, unknown>).model;
        const system: unknown = (opts as Record<string, unknown>).system;
        if (typeof model === 'string') o.model = model;
        if (typeof system === 'string') o.system = system;
      } catch (e) {
        return rejected(new ToolError({ code: 'invalid_arguments', message: `llm(): the options could not be read: ${safeMessage(e)}`, server: 'llm', tool: 'llm' }));
      }
    }
    return callHost(HOST_LLM, [p, o]);
  }

  return { searchTools, describeTool, llm };
}
