// One OpenAPI catalog source end to end: loads the document, converts its operations and decides the
// base URL. Invariant: the result is a complete server (tools + the HttpApi that calls them), or a
// ConfigError saying what to fix; nothing is half-loaded.
import { ConfigError } from '../../errors';
import type { WireTool } from '../wire';
import { isHttpUrl, type OpenApiConfig } from './apiConfig';
import type { HttpApi } from './httpInvoker';
import { convertSpec } from './operations';
import { loadSpec, type SpecLoadOptions } from './specLoad';

export interface LoadedOpenApi {
  tools: WireTool[];
  api: HttpApi;
  /** `info.title`, `info.version` of the document, for the catalog's serverInfo. */
  info: { name: string; version: string };
  instructions?: string;
  /** Milliseconds spent reading and parsing the document, and converting its operations. */
  ms: { load: number; convert: number };
}

/** Loads the API `name` described by `config`; throws ConfigError (openapi_* codes, config_invalid). */
export async function loadOpenApiSource(name: string, config: OpenApiConfig, opts: SpecLoadOptions = {}): Promise<LoadedOpenApi> {
  const t0 = performance.now();
  const spec = await loadSpec(config.spec, opts);
  const t1 = performance.now();
  const converted = convertSpec(spec);
  const t2 = performance.now();
  const baseUrl = config.baseUrl ?? resolveServerUrl(converted.serverUrl, config.spec);
  if (!baseUrl) {
    throw new ConfigError(
      'config_invalid',
      `API "${name}": ${config.spec} names no usable server URL${converted.serverUrl ? ` ("${converted.serverUrl}")` : ''}. Set "baseUrl" in the API's entry (for example "https://api.example.com").`,
      { file: config.spec, field: 'baseUrl' },
    );
  }
  const doc = spec.doc.info as { title?: unknown; version?: unknown } | undefined;
  return {
    tools: converted.tools,
    api: { name, baseUrl, plans: converted.plans, headers: config.headers, ...(config.auth ? { auth: config.auth } : {}), ...(config.settings?.maxReplyBytes ? { maxReplyBytes: config.settings.maxReplyBytes } : {}) },
    info: { name: typeof doc?.title === 'string' ? doc.title : name, version: typeof doc?.version === 'string' ? doc.version : '' },
    ...(converted.description ? { instructions: converted.description.slice(0, 2000) } : {}),
    ms: { load: t1 - t0, convert: t2 - t1 },
  };
}

/** The document's server URL made absolute (a relative one resolves against a spec URL). */
function resolveServerUrl(serverUrl: string | undefined, spec: string): string | undefined {
  if (serverUrl === undefined) return undefined;
  if (isHttpUrl(serverUrl)) return serverUrl;
  if (isHttpUrl(spec) && !/[{}]/.test(serverUrl)) return new URL(serverUrl, spec).href;
  return undefined;
}
