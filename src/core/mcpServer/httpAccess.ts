// Access control of `toolweaver mcp --http`: the Origin check (DNS-rebinding protection), a static
// bearer token compared in constant time, CORS for the Origins it allows, and a clear answer at the
// OAuth discovery paths (auth here is a static token, not OAuth). Invariant: a request is handed to
// the MCP transport only after both checks passed; the token is never echoed in any reply.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** The environment variable `toolweaver mcp --http` reads the token from (after `--token`). */
export const MCP_TOKEN_ENV = 'TOOLWEAVER_MCP_TOKEN';
/** Shortest token accepted from the user (a generated one has 43 characters). */
export const MIN_TOKEN_LENGTH = 16;
/** JSON-RPC error codes of the refusals (server-defined range). */
export const UNAUTHORIZED_CODE = -32001;
export const FORBIDDEN_CODE = -32003;

/** Origins a browser page may call from without --allow-origin: loopback pages on any port. */
export const LOOPBACK_ORIGINS = ['http://127.0.0.1:*', 'http://localhost:*', 'http://[::1]:*', 'http://127.0.0.1', 'http://localhost', 'http://[::1]'];

export interface HttpAccessOptions {
  /** The bearer token every MCP request must carry; undefined = no token check (`--no-auth`). */
  token?: string;
  /** Extra Origins (exact, or a glob with `*`) besides LOOPBACK_ORIGINS. */
  allowOrigins?: readonly string[];
}

/** A fresh token: 32 random bytes, base64url (43 characters). */
export function generateToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Why a user-supplied token is unusable, or undefined when it is fine. */
export function tokenProblem(token: string): string | undefined {
  if (token.length < MIN_TOKEN_LENGTH) return `it has ${token.length} characters; use at least ${MIN_TOKEN_LENGTH} (e.g. openssl rand -base64 32)`;
  if (!/^[\x21-\x7e]+$/.test(token)) return 'it may hold only visible ASCII characters (no spaces), as it travels in an HTTP header';
  return undefined;
}

/** Equal strings, in time that does not depend on where they differ (both are hashed first, so
 *  lengths do not leak either). */
export function sameToken(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

function globToRegExp(glob: string): RegExp {
  return new RegExp(`^${glob.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`, 'i');
}

/** The token in `Authorization: Bearer TOKEN`, or undefined. */
function bearerOf(req: IncomingMessage): string | undefined {
  const h = req.headers.authorization;
  const m = typeof h === 'string' ? /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(h) : null;
  return m?.[1];
}

const HOW_TO_PASS =
  'Send the header "Authorization: Bearer <token>" with every request: the token `toolweaver mcp --http` printed on stderr at start, or the one it was given with --token or the TOOLWEAVER_MCP_TOKEN environment variable. This server uses a static bearer token, not OAuth.';

function refuse(res: ServerResponse, status: number, code: number, message: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify({ jsonrpc: '2.0', error: { code, message }, id: null }));
}

/**
 * The gate for serveHttp: answers refused, preflight and discovery requests itself and returns
 * false; returns true when the request may go on to the MCP transport (CORS headers already set).
 */
export function createHttpAccess(opts: HttpAccessOptions): (req: IncomingMessage, res: ServerResponse) => boolean {
  const origins = [...LOOPBACK_ORIGINS, ...(opts.allowOrigins ?? [])].map(globToRegExp);
  const { token } = opts;
  return (req, res) => {
    const origin = req.headers.origin;
    // No Origin: not a browser page (curl, SDK clients, editors); a browser always sends one on
    // cross-origin requests and on POST, so a rebinding page cannot omit it.
    if (origin !== undefined) {
      if (!origins.some((re) => re.test(origin))) {
        refuse(
          res,
          403,
          FORBIDDEN_CODE,
          `Forbidden: requests from the Origin "${origin.slice(0, 200)}" are refused (DNS-rebinding protection). Browser pages may call this server from http://127.0.0.1, http://localhost and http://[::1] on any port; allow another Origin with --allow-origin ORIGIN.`,
        );
        return false;
      }
      res.setHeader('access-control-allow-origin', origin);
      res.setHeader('vary', 'Origin');
      res.setHeader('access-control-expose-headers', 'mcp-session-id, mcp-protocol-version, www-authenticate');
      if (req.method === 'OPTIONS') {
        res.writeHead(204, {
          'access-control-allow-methods': 'GET, POST, DELETE, OPTIONS',
          'access-control-allow-headers': 'authorization, content-type, accept, mcp-session-id, mcp-protocol-version, last-event-id',
          'access-control-max-age': '600',
        });
        res.end();
        return false;
      }
    }
    const pathname = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    // The MCP authorization spec's discovery (RFC 9728 / RFC 8414): there is no OAuth here.
    if (pathname.startsWith('/.well-known/oauth-') || pathname.startsWith('/.well-known/openid-configuration')) {
      refuse(res, 404, UNAUTHORIZED_CODE, `Not found: this server has no OAuth metadata. ${token === undefined ? 'It was started with --no-auth and needs no token.' : HOW_TO_PASS}`);
      return false;
    }
    if (token === undefined) return true;
    const given = bearerOf(req);
    if (given === undefined) {
      refuse(res, 401, UNAUTHORIZED_CODE, `Unauthorized: this ToolWeaver MCP server needs a bearer token. ${HOW_TO_PASS}`, {
        'www-authenticate': 'Bearer realm="toolweaver", error_description="A static bearer token is required (see --token)"',
      });
      return false;
    }
    if (!sameToken(given, token)) {
      refuse(res, 401, UNAUTHORIZED_CODE, `Unauthorized: the bearer token is wrong. ${HOW_TO_PASS}`, {
        'www-authenticate': 'Bearer realm="toolweaver", error="invalid_token", error_description="The bearer token is wrong"',
      });
      return false;
    }
    return true;
  };
}
