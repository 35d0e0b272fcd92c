// The ToolInvoker of OpenAPI sources: each call becomes one HTTP request made on the host, with the
// configured auth added here (the sandbox never sees it). Invariant: it rejects only with ToolError;
// redirects are bounded (auth is dropped on a cross-origin hop), replies are capped at
// maxReplyBytes, and the call's timeout and the caller's signal both abort the request.
import { ToolError, describeCause, type ToolErrorCode } from '../../errors';
import type { ToolCallOptions, ToolCallRequest, ToolInvoker } from '../../ports';
import type { OpenApiAuth } from './apiConfig';
import type { OperationPlan, ParamPlan } from './operations';

/** Redirects followed per call. */
export const MAX_REDIRECTS = 5;
/** Default reply cap (the MCP transports' default too). */
export const DEFAULT_MAX_REPLY_BYTES = 10 * 1024 * 1024;
/** How much of an error body goes into the ToolError message. */
export const MAX_ERROR_BODY_CHARS = 1000;

/** One API as the invoker calls it. */
export interface HttpApi {
  name: string;
  /** Absolute base URL the paths are appended to. */
  baseUrl: string;
  plans: ReadonlyMap<string, OperationPlan>;
  headers: Record<string, string>;
  auth?: OpenApiAuth;
  maxReplyBytes?: number;
}

export interface HttpInvokerDeps {
  fetch?: typeof fetch;
}

/** Calls operations of `apis` (by server name) over HTTP. */
export function createHttpInvoker(apis: ReadonlyMap<string, HttpApi>, deps: HttpInvokerDeps = {}): ToolInvoker {
  const doFetch = deps.fetch ?? fetch;
  return {
    async callTool(req: ToolCallRequest, opts: ToolCallOptions): Promise<unknown> {
      const { server, tool } = req;
      const fail = (code: ToolErrorCode, message: string, extra: { cause?: unknown; field?: string; httpStatus?: number } = {}): ToolError =>
        new ToolError(code, message, { server, tool, ...extra });
      const what = `Operation "${tool}" of API "${server}"`;
      const api = apis.get(server);
      const plan = api?.plans.get(tool);
      if (!api || !plan) throw fail('unknown_tool', `API "${server}" has no operation "${tool}". Check the name against the catalog or regenerate the stubs.`);
      if (opts.signal.aborted) throw fail('cancelled', `${what} was not called: the run was cancelled.`);

      const request = buildRequest(api, plan, req.args, fail);
      const ac = new AbortController();
      let reason: 'timeout' | 'cancelled' | undefined;
      const timer = setTimeout(() => {
        reason = 'timeout';
        ac.abort();
      }, Math.max(1, Math.min(opts.timeoutMs, 2_147_000_000)));
      const onAbort = (): void => {
        reason ??= 'cancelled';
        ac.abort();
      };
      opts.signal.addEventListener('abort', onAbort, { once: true });
      const stopped = (err: unknown): ToolError | undefined =>
        reason === 'timeout'
          ? fail('timeout', `${what} did not answer within ${opts.timeoutMs} ms; the request was aborted. Raise the per-call timeout (the run's toolCallTimeoutMs, or "toolweaver": { "toolCallTimeoutMs": … } in the API's entry) if it is slow.`, { cause: err })
          : reason === 'cancelled'
            ? fail('cancelled', `${what} was cancelled before it answered.`, { cause: err })
            : undefined;
      try {
        const res = await send(doFetch, request, ac.signal, fail, what);
        const cap = api.maxReplyBytes ?? DEFAULT_MAX_REPLY_BYTES;
        const text = await readCapped(res, cap, () => fail('reply_too_large', `${what} sent a reply larger than ${cap} bytes, which was dropped. Ask for less data (paging, filters), or raise "toolweaver": { "maxReplyBytes": … } in the API's entry.`));
        if (!res.ok) throw statusError(res, text, what, fail);
        if (res.status === 204 || text === '') return null;
        const type = res.headers.get('content-type') ?? '';
        if (plan.jsonResult || /json/i.test(type)) {
          try {
            return JSON.parse(text) as unknown;
          } catch (err) {
            if (/json/i.test(type)) throw fail('malformed_reply', `${what} answered ${res.status} with a body that is not valid JSON (${describeCause(err)}).`, { cause: err });
          }
        }
        return text;
      } catch (err) {
        const s = stopped(err);
        if (s) throw s;
        if (err instanceof ToolError) throw err;
        throw fail('server_unreachable', `${what} could not be reached at ${request.url.origin}: ${describeCause(err)}. Check that the API is up and its base URL is right.`, { cause: err });
      } finally {
        clearTimeout(timer);
        opts.signal.removeEventListener('abort', onAbort);
      }
    },
  };
}

interface BuiltRequest {
  method: string;
  url: URL;
  headers: Headers;
  body?: string | URLSearchParams | FormData;
  /** Header names that carry auth (dropped when a redirect leaves the origin). */
  authHeaders: string[];
}

type Fail = (code: ToolErrorCode, message: string, extra?: { cause?: unknown; field?: string; httpStatus?: number }) => ToolError;

/** The URL, headers and body of one call (arguments were validated against the input schema). */
export function buildRequest(api: HttpApi, plan: OperationPlan, args: Record<string, unknown>, fail: Fail): BuiltRequest {
  const group = (loc: string): Record<string, unknown> => {
    const g = args[loc];
    return typeof g === 'object' && g !== null && !Array.isArray(g) ? (g as Record<string, unknown>) : {};
  };
  const pathArgs = group('path');
  const route = plan.path.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const v = pathArgs[name];
    if (v === undefined || v === null || v === '') throw fail('invalid_arguments', `path.${name} is required (it fills {${name}} in ${plan.path}).`, { field: `path.${name}` });
    return encodeURIComponent(scalar(v));
  });
  const base = plan.serverUrl && URL.canParse(plan.serverUrl) ? plan.serverUrl : api.baseUrl;
  const url = new URL(base.replace(/\/+$/, '') + route);
  const query = group('query');
  const headers = new Headers();
  for (const p of plan.params) {
    const v = p.in === 'query' ? query[p.name] : p.in === 'header' ? group('header')[p.name] : p.in === 'cookie' ? group('cookie')[p.name] : undefined;
    if (v === undefined || v === null) continue;
    if (p.in === 'query') appendQuery(url.searchParams, p, v);
    else if (p.in === 'header') headers.set(p.name, Array.isArray(v) ? v.map(scalar).join(',') : scalar(v));
    else if (p.in === 'cookie') headers.append('cookie', `${encodeURIComponent(p.name)}=${encodeURIComponent(scalar(v))}`);
  }
  headers.set('accept', 'application/json, */*;q=0.5');
  for (const [k, v] of Object.entries(api.headers)) headers.set(k, v);
  const authHeaders = Object.keys(api.headers).map((k) => k.toLowerCase());
  const auth = api.auth;
  if (auth?.type === 'bearer') {
    headers.set('authorization', `Bearer ${auth.token}`);
    authHeaders.push('authorization');
  } else if (auth?.type === 'basic') {
    headers.set('authorization', `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}`);
    authHeaders.push('authorization');
  } else if (auth?.type === 'apiKey' && auth.in === 'header') {
    headers.set(auth.name, auth.value);
    authHeaders.push(auth.name.toLowerCase());
  } else if (auth?.type === 'apiKey' && auth.in === 'query') {
    url.searchParams.set(auth.name, auth.value);
  }
  let body: BuiltRequest['body'];
  const value = args.body;
  if (plan.body && value !== undefined) {
    const kind = plan.body.kind;
    if (kind === 'json') body = JSON.stringify(value);
    else if (kind === 'form') body = new URLSearchParams(Object.entries(asRecord(value)).map(([k, v]) => [k, formValue(v)]));
    else if (kind === 'multipart') {
      const form = new FormData();
      for (const [k, v] of Object.entries(asRecord(value))) form.append(k, formValue(v));
      body = form;
    } else body = typeof value === 'string' ? value : JSON.stringify(value);
    // FormData sets its own content type with the boundary.
    if (kind !== 'multipart') headers.set('content-type', plan.body.mediaType);
  }
  return { method: plan.method.toUpperCase(), url, headers, ...(body !== undefined ? { body } : {}), authHeaders };
}

function asRecord(v: unknown): Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : { value: v };
}

function formValue(v: unknown): string {
  return typeof v === 'string' ? v : JSON.stringify(v);
}

function scalar(v: unknown): string {
  return typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : JSON.stringify(v);
}

/** Query serialization: form style (explode by default) and deepObject; pipe/space delimited arrays. */
function appendQuery(params: URLSearchParams, p: ParamPlan, v: unknown): void {
  const explode = p.explode ?? (p.style === undefined || p.style === 'form');
  if (Array.isArray(v)) {
    if (explode && (p.style === undefined || p.style === 'form')) for (const item of v) params.append(p.name, scalar(item));
    else params.append(p.name, v.map(scalar).join(p.style === 'pipeDelimited' ? '|' : p.style === 'spaceDelimited' ? ' ' : ','));
  } else if (typeof v === 'object' && v !== null) {
    const entries = Object.entries(v as Record<string, unknown>);
    if (p.style === 'deepObject') for (const [k, x] of entries) params.append(`${p.name}[${k}]`, scalar(x));
    else if (explode) for (const [k, x] of entries) params.append(k, scalar(x));
    else params.append(p.name, entries.flatMap(([k, x]) => [k, scalar(x)]).join(','));
  } else params.append(p.name, scalar(v));
}

/** Sends `request`, following at most MAX_REDIRECTS redirects by hand (auth stays on its origin). */
async function send(doFetch: typeof fetch, request: BuiltRequest, signal: AbortSignal, fail: Fail, what: string): Promise<Response> {
  let { method, url, body } = request;
  const headers = new Headers(request.headers);
  for (let hop = 0; ; hop++) {
    const res = await doFetch(url, { method, headers, ...(body !== undefined ? { body } : {}), redirect: 'manual', signal });
    const location = res.headers.get('location');
    if (res.status < 300 || res.status >= 400 || res.status === 304 || !location) return res;
    void res.body?.cancel().catch(() => undefined);
    if (hop >= MAX_REDIRECTS) throw fail('server_unreachable', `${what} was redirected more than ${MAX_REDIRECTS} times (last to ${location}); the request was given up.`, { httpStatus: res.status });
    const next = new URL(location, url);
    if (next.origin !== url.origin) for (const h of request.authHeaders) headers.delete(h);
    if (res.status === 303 || ((res.status === 301 || res.status === 302) && method === 'POST')) {
      method = 'GET';
      body = undefined;
      headers.delete('content-type');
    }
    url = next;
  }
}

/** Reads the body as text, giving up (and cancelling the stream) past `cap` bytes. */
async function readCapped(res: Response, cap: number, tooLarge: () => ToolError): Promise<string> {
  const declared = Number(res.headers.get('content-length') ?? NaN);
  if (Number.isFinite(declared) && declared > cap) {
    void res.body?.cancel().catch(() => undefined);
    throw tooLarge();
  }
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > cap) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** A non-2xx reply: the status, and the API's own error body (truncated). */
function statusError(res: Response, text: string, what: string, fail: Fail): ToolError {
  const status = res.status;
  const body = text.length > MAX_ERROR_BODY_CHARS ? `${text.slice(0, MAX_ERROR_BODY_CHARS)}… (${text.length} characters)` : text;
  const said = body.trim() ? `: ${body.trim()}` : ' (no body)';
  const head = `${what} failed with HTTP ${status}${res.statusText ? ` ${res.statusText}` : ''}${said}`;
  if (status === 401 || status === 403) return fail('tool_failed', `${head}. The API refused the credentials: check "auth" in the API's entry (and the input or environment variable it uses).`, { httpStatus: status });
  if (status === 429) return fail('rate_limited', `${head}. The API is rate limiting; wait before retrying (retry() with a delay), or set "toolweaver": { "rps": … } in the API's entry.`, { httpStatus: status });
  if (status === 400 || status === 422) return fail('invalid_arguments', `${head}. Fix the arguments.`, { httpStatus: status });
  if (status === 404) return fail('tool_failed', `${head}. Check the path parameters.`, { httpStatus: status });
  return fail('tool_failed', `${head}.`, { httpStatus: status });
}
