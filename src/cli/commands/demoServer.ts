// `toolweaver demo-server`: serves the embedded demo MCP server over stdio (default) or over
// Streamable HTTP on 127.0.0.1. In stdio mode stdout carries only JSON-RPC; messages go to stderr.
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { str } from '../args';
import { EXIT, type CliCommand, type CliIo } from '../command';
import { createDemoServer } from '../../core/demo/demoServer';
import { serveHttp } from '../../core/demo/serveHttp';
import { createDemoStore } from '../../core/demo/store';
import { UsageError } from '../../core/errors';
import { untilShutdown } from '../shutdown';


async function serveStdio(io: CliIo): Promise<number> {
  const server = createDemoServer();
  const transport = new StdioServerTransport();
  const closed = untilShutdown((done) => {
    transport.onclose = done;
    process.stdin.once('end', done);
  });
  await server.connect(transport);
  io.err('ToolWeaver demo MCP server (15 tools) on stdio. Close stdin or press Ctrl+C to stop.');
  await closed;
  await server.close();
  return EXIT.ok;
}

async function serveOnPort(io: CliIo, portText: string): Promise<number> {
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new UsageError(`--http needs a port number between 0 and 65535 (0 picks a free one), not "${portText}".`);
  }
  // One store for the process: every HTTP session sees the same data and the same mutations.
  const store = createDemoStore();
  const serving = await serveHttp(() => createDemoServer({ store }), { port });
  io.err(`ToolWeaver demo MCP server listening on ${serving.url} (Streamable HTTP, 127.0.0.1 only, no token: a test fixture). Press Ctrl+C to stop.`);
  await untilShutdown();
  await serving.close();
  return EXIT.ok;
}

/** The `demo-server` command, registered in src/cli/main.ts. */
export const demoServerCommand: CliCommand = {
  name: 'demo-server',
  summary: 'Serve the embedded demo MCP server (a CRM + issue tracker with generated data) over stdio or HTTP.',
  usage: 'toolweaver demo-server [--http PORT]',
  flags: {
    http: { kind: 'string', help: 'Serve Streamable HTTP on 127.0.0.1:PORT at /mcp instead of stdio (0 picks a free port). Open: no token and no Origin check, as it is a test fixture with made-up data (toolweaver mcp --http is the guarded one).' },
  },
  run(args, io) {
    if (args.positionals.length > 0) throw new UsageError(`demo-server takes no arguments, got "${args.positionals.join(' ')}".`);
    const port = str(args, 'http');
    return port === undefined ? serveStdio(io) : serveOnPort(io, port);
  },
};
