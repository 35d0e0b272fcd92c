// Pushes each finished trace to an OpenTelemetry collector over OTLP/HTTP (JSON), so a team sees
// every run in the tracing system it already runs. Invariant: a push never delays or fails a run —
// push() returns at once, every failure is logged (once per kind) and swallowed, and each request
// has its own timeout.
import { ConfigError } from '../errors';
import type { Logger } from '../ports';
import { toOtlpJson } from './otlp';
import type { Trace } from './schema';

/** How long one push may take before it is abandoned. */
export const OTLP_PUSH_TIMEOUT_MS = 5_000;
/** Most pushes in flight; a slow collector drops the excess instead of queueing without bound. */
export const OTLP_MAX_IN_FLIGHT = 16;

export interface OtlpPusherOptions {
  /** A collector's base URL (`http://127.0.0.1:4318`, `/v1/traces` is appended) or the full traces
   *  URL (ending in `/v1/traces`, used as is). http or https only. */
  endpoint: string;
  /** Default globalThis.fetch. */
  fetch?: typeof fetch;
  timeoutMs?: number;
  /** Extra request headers (e.g. an API key the collector wants). */
  headers?: Record<string, string>;
  logger?: Logger;
  serviceName?: string;
  version?: string;
}

export interface OtlpPusher {
  /** The URL traces are POSTed to. */
  readonly url: string;
  /** Starts pushing `trace`; returns at once and never throws. */
  push(trace: Trace): void;
  /** Waits for the pushes in flight, at most `maxMs` (a CLI calls it before it exits). */
  flush(maxMs?: number): Promise<void>;
}

/** The traces URL of `endpoint`; throws ConfigError('config_invalid') for anything but http(s). */
export function otlpTracesUrl(endpoint: string): string {
  let url: URL;
  try {
    url = new URL(endpoint.trim());
  } catch {
    throw new ConfigError('config_invalid', `The OTLP endpoint "${endpoint}" is not a URL. Give the collector's OTLP/HTTP address, e.g. http://127.0.0.1:4318.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError('config_invalid', `The OTLP endpoint "${endpoint}" must be http:// or https:// (OTLP/HTTP; gRPC is not supported), e.g. http://127.0.0.1:4318.`);
  }
  if (!/\/v1\/traces\/?$/.test(url.pathname)) url.pathname = `${url.pathname.replace(/\/+$/, '')}/v1/traces`;
  return url.toString();
}

/** A pusher for `endpoint` (validated now: a bad URL is a configuration error, not a failed run). */
export function createOtlpPusher(opts: OtlpPusherOptions): OtlpPusher {
  const url = otlpTracesUrl(opts.endpoint);
  const doFetch = opts.fetch ?? globalThis.fetch;
  const timeoutMs = opts.timeoutMs ?? OTLP_PUSH_TIMEOUT_MS;
  const inFlight = new Set<Promise<void>>();
  const warned = new Set<string>();
  const warn = (kind: string, message: string): void => {
    if (warned.has(kind)) return;
    warned.add(kind);
    opts.logger?.warn(message);
  };
  const send = async (trace: Trace): Promise<void> => {
    const body = JSON.stringify(toOtlpJson(trace, { serviceName: opts.serviceName, version: opts.version }));
    const res = await doFetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...opts.headers },
      body,
      signal: AbortSignal.timeout(timeoutMs),
    });
    // Drain the body so the connection can be reused; its content is the collector's business.
    await res.arrayBuffer().catch(() => undefined);
    if (!res.ok) warn(`status ${res.status}`, `OTLP: the collector at ${url} answered ${res.status} to trace ${trace.id}; traces are not being exported.`);
  };
  return {
    url,
    push(trace) {
      if (inFlight.size >= OTLP_MAX_IN_FLIGHT) {
        warn('backlog', `OTLP: ${OTLP_MAX_IN_FLIGHT} pushes to ${url} are still waiting; trace ${trace.id} was not exported.`);
        return;
      }
      let p: Promise<void>;
      try {
        p = send(trace).catch((err: unknown) => {
          const what = err instanceof Error && err.name === 'TimeoutError' ? `did not answer within ${timeoutMs} ms` : `could not be reached (${err instanceof Error ? err.message : String(err)})`;
          warn('unreachable', `OTLP: the collector at ${url} ${what}; trace ${trace.id} was not exported. Runs go on; check toolweaver.traces.otlpEndpoint / --otlp.`);
        });
      } catch (err) {
        warn('render', `OTLP: trace ${trace.id} could not be sent (${err instanceof Error ? err.message : String(err)}).`);
        return;
      }
      const tracked = p.finally(() => inFlight.delete(tracked));
      inFlight.add(tracked);
    },
    async flush(maxMs = timeoutMs) {
      if (inFlight.size === 0) return;
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([Promise.allSettled([...inFlight]), new Promise<void>((r) => (timer = setTimeout(r, maxMs)))]);
      clearTimeout(timer);
    },
  };
}
