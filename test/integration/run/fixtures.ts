// A small catalog and invoker for executeRun tests: users with secrets in their records, a slow
// tool that honours the abort signal, and a tool that never answers (for the killed-host test).
import type { Catalog } from '../../../src/core/catalog/types';
import { ToolError } from '../../../src/core/errors';
import type { ToolCallOptions, ToolCallRequest, ToolInvoker } from '../../../src/core/ports';

export const runCatalog: Catalog = {
  id: 'run-test-catalog',
  servers: [
    {
      name: 'crm',
      ident: 'crm',
      source: 'demo',
      status: { state: 'connected' },
      tools: [
        { name: 'get_user', ident: 'getUser', description: 'Get one user by id.', inputSchema: { type: 'object', properties: { id: { type: 'number' } }, required: ['id'] } },
        { name: 'list_users', ident: 'listUsers', description: 'List all users.', inputSchema: { type: 'object', properties: {} } },
        { name: 'slow', ident: 'slow', description: 'Wait.', inputSchema: { type: 'object', properties: { ms: { type: 'number' } }, required: ['ms'] } },
        { name: 'hang', ident: 'hang', description: 'Never answers.', inputSchema: { type: 'object', properties: {} } },
        { name: 'fail', ident: 'fail', description: 'Always fails.', inputSchema: { type: 'object', properties: {} } },
      ],
    },
  ],
};

export const API_SECRET = 'configured-secret-value-1234';

function user(id: number) {
  return { id, name: `User ${id}`, email: `user${id}@example.com`, apiKey: API_SECRET, score: id * 7 };
}

export function createRunInvoker(): ToolInvoker & { calls: ToolCallRequest[] } {
  const calls: ToolCallRequest[] = [];
  return {
    calls,
    async callTool(req: ToolCallRequest, opts: ToolCallOptions): Promise<unknown> {
      calls.push(req);
      switch (req.tool) {
        case 'get_user':
          return user(Number(req.args['id']));
        case 'list_users':
          return Array.from({ length: 500 }, (_, i) => user(i + 1));
        case 'fail':
          throw new ToolError('tool_failed', 'The CRM said no.', { server: req.server, tool: req.tool });
        case 'slow':
        case 'hang':
          return await new Promise((resolve, reject) => {
            const ms = req.tool === 'hang' ? 3_600_000 : Number(req.args['ms']);
            const timer = setTimeout(() => resolve({ waited: ms }), ms);
            opts.signal.addEventListener('abort', () => {
              clearTimeout(timer);
              reject(new ToolError('cancelled', 'Cancelled.', { server: req.server, tool: req.tool }));
            });
          });
        default:
          throw new ToolError('unknown_tool', `No tool ${req.tool}.`, { server: req.server, tool: req.tool });
      }
    },
  };
}
