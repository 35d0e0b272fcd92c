// Opens one MCP client connection (stdio in its own process group, Streamable HTTP falling back to
// SSE, or an in-process server) and classifies failures into CatalogError codes. Invariant: a
// failed attempt leaves nothing running (its process group is killed, its client closed), and
// every transport caps replies at maxReplyBytes.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { CatalogError, describeCause } from '../errors';
import { inputEnvName } from './config';
import { createCappedFetch, type AuthChallenge, type CappedFetch } from './httpFetch';
import { DEFAULT_MAX_MESSAGE_BYTES, ProcessGroupTransport } from './processTransport';
import type { ServerConfig } from './types';

/** What a connection talks to: a configured server or an in-process SDK server (the demo). */
export type ServerTarget = { kind: 'config'; config: ServerConfig } | { kind: 'inprocess'; createServer: () => McpServer };

export interface OpenedClient {
  client: Client;
  transport: Transport;
  /** Present for stdio servers. */
  process?: ProcessGroupTransport;
  /** 'streamable-http' | 'sse' | 'stdio' | 'in-process' */
  via: string;
  /** Closes the in-process server half, if any. */
  closeServer?: () => Promise<void>;
  /** Present for HTTP servers: the reply-capping fetch (tells its synthesized errors apart). */
  http?: CappedFetch;
}

export interface OpenOptions {
  signal: AbortSignal;
  /** Largest reply (one message) accepted; default DEFAULT_MAX_MESSAGE_BYTES (10 MiB). */
  maxReplyBytes?: number;
  /** An HTTP stream sent an oversize message that could not be pinned to a request. */
  onOversize?: (detail: string) => void;
}

const CLIENT_INFO = { name: 'toolweaver', version: '0.1.0' };

function newClient(): Client {
  return new Client(CLIENT_INFO, { capabilities: {} });
}

/** Connects and initializes; rejects with CatalogError (command_not_found, server_exited, connect_failed). */
export async function openClient(name: string, target: ServerTarget, opts: OpenOptions): Promise<OpenedClient> {
  const { signal } = opts;
  const maxReplyBytes = opts.maxReplyBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
  if (target.kind === 'inprocess') {
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    const server = target.createServer();
    await server.connect(serverSide);
    const client = newClient();
    try {
      await client.connect(clientSide, { signal });
    } catch (err) {
      await server.close().catch(() => undefined);
      throw new CatalogError('connect_failed', `Could not start the in-process server "${name}": ${describeCause(err)}.`, { server: name, cause: err });
    }
    return { client, transport: clientSide, via: 'in-process', closeServer: () => server.close() };
  }
  const config = target.config;
  if (config.type === 'stdio') return openStdio(name, config, signal, maxReplyBytes);
  const url = new URL(config.url);
  const requestInit: RequestInit = { headers: config.headers };
  const http = createCappedFetch({ maxReplyBytes, onOversize: (detail) => opts.onOversize?.(detail) });
  if (config.type === 'http') {
    const client = newClient();
    const transport = new StreamableHTTPClientTransport(url, { requestInit, fetch: http.fetch });
    try {
      await client.connect(transport, { signal });
      return { client, transport, via: 'streamable-http', http };
    } catch (first) {
      await client.close().catch(() => undefined);
      if (signal.aborted) throw first;
      const challenge = http.challenge();
      if (challenge?.status === 401) throw authError(name, config.url, challenge, first);
      // Older servers speak only the HTTP+SSE transport; VS Code falls back the same way.
      try {
        return await openSse(url, requestInit, signal, http);
      } catch {
        throw httpError(name, config.url, first, http.challenge());
      }
    }
  }
  try {
    return await openSse(url, requestInit, signal, http);
  } catch (err) {
    throw httpError(name, config.url, err, http.challenge());
  }
}

async function openSse(url: URL, requestInit: RequestInit, signal: AbortSignal, http: CappedFetch): Promise<OpenedClient> {
  const client = newClient();
  const transport = new SSEClientTransport(url, { requestInit, fetch: http.fetch });
  try {
    await client.connect(transport, { signal });
  } catch (err) {
    await client.close().catch(() => undefined);
    throw err;
  }
  return { client, transport, via: 'sse', http };
}

function httpError(name: string, url: string, err: unknown, challenge: AuthChallenge | undefined): CatalogError {
  if (challenge?.status === 401) return authError(name, url, challenge, err);
  const cause = err instanceof Error && err.cause instanceof Error ? `${describeCause(err)} (${describeCause(err.cause)})` : describeCause(err);
  return new CatalogError(
    'connect_failed',
    `Could not connect to server "${name}" at ${url}: ${cause}. Check that the server is running and the URL and headers are right.`,
    { server: name, cause: err },
  );
}

/** A 401: the server runs but wants credentials. Says which scheme and realm, and how to give them. */
export function authError(name: string, url: string, challenge: AuthChallenge, cause?: unknown): CatalogError {
  const scheme = challenge.scheme ?? 'an unnamed scheme';
  const realm = challenge.realm === undefined ? '' : ` for realm "${challenge.realm}"`;
  const metadata = challenge.resourceMetadata ? ` It names OAuth metadata at ${challenge.resourceMetadata}; ToolWeaver does not run an OAuth sign-in, so get a token there.` : '';
  const input = `${name.replace(/[^A-Za-z0-9_-]/g, '-') || 'server'}-token`;
  const value = /^basic$/i.test(challenge.scheme ?? '') ? `Basic \${input:${input}}` : `Bearer \${input:${input}}`;
  return new CatalogError(
    'auth_required',
    `Server "${name}" at ${url} needs authentication: it answered HTTP 401 asking for ${scheme}${realm} (WWW-Authenticate: ${challenge.header}).${metadata} ` +
      `Give the credentials as a header in mcp.json: "headers": { "Authorization": "${value}" }, with an input { "type": "promptString", "id": "${input}", "password": true } ` +
      `(the CLI reads it from --input ${input}=VALUE or ${inputEnvName(input)}).`,
    { server: name, cause },
  );
}

async function openStdio(name: string, config: Extract<ServerConfig, { type: 'stdio' }>, signal: AbortSignal, maxReplyBytes: number): Promise<OpenedClient> {
  const transport = new ProcessGroupTransport(config, { maxMessageBytes: maxReplyBytes });
  const client = newClient();
  try {
    await client.connect(transport, { signal });
    return { client, transport, process: transport, via: 'stdio' };
  } catch (err) {
    // Let a dying process report its exit before we decide what happened.
    if (!transport.spawnError) await new Promise((r) => setTimeout(r, 20));
    const exit = transport.exit;
    await transport.close();
    if (signal.aborted) throw err;
    if (transport.spawnError) {
      const code = transport.spawnError.code;
      if (code === 'ENOENT') {
        throw new CatalogError(
          'command_not_found',
          `Server "${name}": command "${config.command}" was not found${config.cwd ? ` (cwd ${config.cwd})` : ''}. Install it or fix "command" in the config.`,
          { server: name, cause: err },
        );
      }
      throw new CatalogError('connect_failed', `Server "${name}": could not start "${config.command}": ${describeCause(transport.spawnError)}.`, {
        server: name,
        cause: err,
      });
    }
    const stderr = transport.stderr.tail(5);
    const detail = stderr ? ` Its last stderr lines:\n${stderr}` : '';
    if (exit) {
      const how = exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`;
      throw new CatalogError('server_exited', `Server "${name}" ${how} before it finished starting.${detail}`, { server: name, cause: err });
    }
    throw new CatalogError('connect_failed', `Server "${name}" did not complete the MCP handshake: ${describeCause(err)}.${detail}`, {
      server: name,
      cause: err,
    });
  }
}
