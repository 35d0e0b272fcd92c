// The ToolInvoker over a loaded catalog: routes a call by server name to its live connection,
// with the tool's declared outputSchema so its result is checked.
// Invariant: it rejects only with ToolError (unknown tools, offline snapshots and servers that
// failed to connect included), and every message says what to do next.
import { ToolError, describeCause } from '../errors';
import type { ToolCallOptions, ToolCallRequest, ToolInvoker } from '../ports';
import type { ServerConnection } from './connection';
import type { Catalog } from './types';

/** Routes calls to `connections` (by original server name); servers without one are unreachable. */
export function createMcpInvoker(catalog: Catalog, connections: ReadonlyMap<string, ServerConnection>): ToolInvoker {
  // A Map, not an object: a server may be called `__proto__` or `constructor`.
  const servers = new Map(catalog.servers.map((s) => [s.name, s]));
  return {
    async callTool(req: ToolCallRequest, opts: ToolCallOptions): Promise<unknown> {
      const { server: serverName, tool } = req;
      const server = servers.get(serverName);
      const fail = (code: 'unknown_tool' | 'server_unreachable', message: string): ToolError =>
        new ToolError(code, message, { server: serverName, tool });
      if (!server) {
        throw fail('unknown_tool', `There is no server "${serverName}" in the catalog (servers: ${[...servers.keys()].join(', ') || 'none'}). Check the name, or regenerate the stubs.`);
      }
      if (server.status.state === 'error') {
        throw fail('server_unreachable', `Server "${serverName}" is not available (${server.status.code}: ${server.status.message}). Fix the server and reload the catalog.`);
      }
      if (server.status.state === 'offline') {
        throw fail('server_unreachable', `Tool "${tool}" on server "${serverName}" cannot be called: this catalog is an offline snapshot (a catalog file). Use --config with the live servers to call tools.`);
      }
      const def = server.tools.find((t) => t.name === tool);
      if (!def) {
        throw fail('unknown_tool', `Server "${serverName}" has no tool "${tool}". Check the name against the catalog or regenerate the stubs.`);
      }
      const connection = connections.get(serverName);
      if (!connection) throw fail('server_unreachable', `Server "${serverName}" has no open connection. Reload the catalog.`);
      try {
        return await connection.callTool(tool, req.args, opts, def.outputSchema);
      } catch (err) {
        if (err instanceof ToolError) throw err;
        throw new ToolError('server_unreachable', `Tool "${tool}" on server "${serverName}" failed unexpectedly: ${describeCause(err)}.`, { server: serverName, tool, cause: err });
      }
    },
  };
}

/** An invoker for offline catalogs (catalog files): every call fails with 'server_unreachable'. */
export function createOfflineInvoker(catalog: Catalog): ToolInvoker {
  return createMcpInvoker(catalog, new Map());
}
