// An in-process catalog and ToolInvoker for sandbox tests: immediate, slow, failing and
// oversized tools, with a record of every call and every abort the bridge caused.
import { ToolError } from '../../../src/core/errors';
import type { Catalog, CatalogTool } from '../../../src/core/catalog/types';
import type { ToolCallOptions, ToolCallRequest, ToolInvoker } from '../../../src/core/ports';

function tool(name: string, ident: string, properties: Record<string, unknown>, required: string[] = [], annotations?: CatalogTool['annotations']): CatalogTool {
  const open = Object.keys(properties).length === 0;
  return { name, ident, inputSchema: { type: 'object', properties, required, ...(open ? {} : { additionalProperties: false }) }, ...(annotations ? { annotations } : {}) };
}

export const testCatalog: Catalog = {
  id: 'sandbox-test-catalog',
  servers: [
    {
      name: 'test server',
      ident: 'test',
      source: 'demo',
      status: { state: 'connected' },
      tools: [
        tool('echo', 'echo', { message: { type: 'string' } }, ['message'], { readOnlyHint: true, idempotentHint: true }),
        tool('add', 'add', { a: { type: 'number' }, b: { type: 'number' } }, ['a', 'b']),
        tool('slow', 'slow', { ms: { type: 'number' }, value: {} }, ['ms']),
        tool('fail', 'fail', { code: { type: 'string' } }),
        tool('big', 'big', { bytes: { type: 'number' }, ms: { type: 'number' } }, ['bytes']),
        tool('deep', 'deep', { depth: { type: 'number' } }, ['depth']),
        tool('any', 'any', {}),
        tool('we\u0000ird 😀 name', 'weird_name', {}),
      ],
    },
  ],
};

export interface RecordingInvoker extends ToolInvoker {
  calls: ToolCallRequest[];
  aborted: string[];
  maxInFlight: number;
}

/** Tools answer from this process; `slow` honours the abort signal like an MCP client would. */
export function createTestInvoker(): RecordingInvoker {
  let inFlight = 0;
  const inv: RecordingInvoker = {
    calls: [],
    aborted: [],
    maxInFlight: 0,
    async callTool(req: ToolCallRequest, opts: ToolCallOptions): Promise<unknown> {
      inv.calls.push(req);
      inFlight++;
      inv.maxInFlight = Math.max(inv.maxInFlight, inFlight);
      try {
        return await answer(req, opts, inv);
      } finally {
        inFlight--;
      }
    },
  };
  return inv;
}

async function answer(req: ToolCallRequest, opts: ToolCallOptions, inv: RecordingInvoker): Promise<unknown> {
  const a = req.args;
  switch (req.tool) {
    case 'echo':
      return { echo: a.message };
    case 'add':
      return (a.a as number) + (a.b as number);
    case 'slow':
      return new Promise((resolve, reject) => {
        const t = setTimeout(() => resolve(a.value ?? 'slow done'), a.ms as number);
        opts.signal.addEventListener('abort', () => {
          clearTimeout(t);
          inv.aborted.push(req.tool);
          reject(new ToolError('cancelled', 'cancelled by the caller', { server: req.server, tool: req.tool }));
        });
      });
    case 'fail':
      throw new ToolError('tool_failed', `The tool failed on purpose (${String(a.code ?? 'x')}).`, { server: req.server, tool: req.tool });
    case 'big':
      if (typeof a.ms === 'number') await new Promise((r) => setTimeout(r, a.ms as number));
      return { data: 'x'.repeat(a.bytes as number) };
    case 'deep': {
      let v: unknown = 1;
      for (let i = 0; i < (a.depth as number); i++) v = [v];
      return v;
    }
    default:
      return { tool: req.tool, args: a };
  }
}
