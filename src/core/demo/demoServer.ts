// The embedded demo MCP server: a small CRM + issue tracker (2,000 customers, 5,000 orders, 5,000
// tickets) generated from a fixed seed. Ids and records are identical in every instance; mutations
// only change the store the server was created with.
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { registerAnalyticsTools } from './analyticsTools';
import { registerReadTools } from './readTools';
import { createDemoStore, type DemoStore } from './store';
import { registerWriteTools } from './writeTools';

/** Name of the demo server in catalogs (`tools.demo.<tool>`). */
export const DEMO_SERVER_NAME = 'demo';

/** Options of createDemoServer; all optional. */
export interface DemoServerOptions {
  /** Share one store between several servers (e.g. the HTTP sessions of one process). Default: a fresh store. */
  store?: DemoStore;
}

/** Creates the demo server with its 15 tools; connect it to any transport (InMemory, stdio, HTTP). */
export function createDemoServer(opts: DemoServerOptions = {}): McpServer {
  const store = opts.store ?? createDemoStore();
  const server = new McpServer(
    { name: DEMO_SERVER_NAME, title: 'ToolWeaver demo CRM', version: '1.0.0' },
    {
      instructions:
        'Demo CRM and issue tracker with generated data (customers cus_0001…cus_2000, orders ord_00001…ord_05000, ' +
        'tickets tkt_00001…tkt_05000). Mutations only affect this server instance. flaky_lookup fails on purpose.',
    },
  );
  registerReadTools(server, store);
  registerAnalyticsTools(server, store);
  registerWriteTools(server, store);
  return server;
}
