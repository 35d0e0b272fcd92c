// Serves MCP servers over Streamable HTTP on 127.0.0.1 only, one server instance per session
// (an SDK server connects to exactly one transport). Used by `demo-server --http` and the fault fixture
// (open), and by `toolweaver mcp --http` (behind the gate of src/core/mcpServer/httpAccess.ts).
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { IoError, systemErrorCode } from '../errors';

/** Anything that can be connected to a transport and closed: McpServer or the low-level Server. */
export interface Connectable {
  connect(transport: Transport): Promise<void>;
  close(): Promise<void>;
}

/** Where and how serveHttp listens. */
export interface ServeHttpOptions {
  /** 0 picks a free port. */
  port: number;
  /** Path of the MCP endpoint. Default `/mcp`. */
  path?: string;
  /** Lets a caller observe or alter the messages of each session (the fault fixture does). */
  wrapTransport?: (transport: Transport) => Transport;
  /** Runs first for every request (e.g. `toolweaver mcp --http`'s token and Origin checks,
   *  createHttpAccess): returns false after answering the request itself. Without it anyone on
   *  this machine may call (fine for the demo and fault fixtures, never for real tools). */
  gate?: (req: IncomingMessage, res: ServerResponse) => boolean;
}

/** A running HTTP listener. */
export interface HttpServing {
  url: string;
  port: number;
  /** Closes every session and the listener. Safe to call twice. */
  close(): Promise<void>;
}

function reply(res: ServerResponse, status: number, message: string): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ jsonrpc: '2.0', error: { code: -32000, message }, id: null }));
}

/** Starts listening on 127.0.0.1:port; `createServer` is called once per new session. */
export async function serveHttp(createMcp: () => Connectable, opts: ServeHttpOptions): Promise<HttpServing> {
  const path = opts.path ?? '/mcp';
  const sessions = new Map<string, { transport: StreamableHTTPServerTransport; server: Connectable }>();
  let port = opts.port;

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (opts.gate && !opts.gate(req, res)) return;
    if (new URL(req.url ?? '/', 'http://127.0.0.1').pathname !== path) return reply(res, 404, `Not found: the MCP endpoint is ${path}.`);
    const sid = req.headers['mcp-session-id'];
    const existing = typeof sid === 'string' ? sessions.get(sid) : undefined;
    if (existing) return existing.transport.handleRequest(req, res);
    if (sid !== undefined) return reply(res, 404, 'Unknown or closed session; initialize a new one.');
    if (req.method !== 'POST') return reply(res, 400, 'No session: send an initialize request first.');
    const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      enableDnsRebindingProtection: true,
      allowedHosts: [`127.0.0.1:${port}`, `localhost:${port}`],
      onsessioninitialized: (id) => {
        sessions.set(id, { transport, server });
      },
      onsessionclosed: (id) => {
        sessions.delete(id);
      },
    });
    const server = createMcp();
    await server.connect(opts.wrapTransport ? opts.wrapTransport(transport) : transport);
    await transport.handleRequest(req, res);
    // A request that did not initialize a session leaves nothing to keep.
    if (!transport.sessionId) await server.close();
  };

  const http = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) reply(res, 500, err instanceof Error ? err.message : String(err));
      else res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    http.once('error', (err) => {
      // Other listen errors (EACCES…) stay Node errors; the CLI reports their message with exit 2.
      if (systemErrorCode(err) === 'EADDRINUSE') {
        reject(new IoError('port_in_use', `Port ${opts.port} on 127.0.0.1 is already in use. Choose another port (0 picks a free one).`, { target: `127.0.0.1:${opts.port}`, cause: err }));
      } else reject(err);
    });
    http.listen(opts.port, '127.0.0.1', () => resolve());
  });
  port = (http.address() as AddressInfo).port;
  let closing: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${port}${path}`,
    port,
    close: () => {
      closing ??= (async () => {
        const all = [...sessions.values()];
        sessions.clear();
        await Promise.allSettled(all.map((s) => s.server.close()));
        http.closeAllConnections();
        await new Promise<void>((resolve) => http.close(() => resolve()));
      })();
      return closing;
    },
  };
}
