// Reads an OpenAPI document from a file or an http(s) URL, as JSON or YAML, and checks its version.
// Invariant: every failure is a ConfigError naming the spec (and, for a bad document, the JSON
// pointer of the offending part); Swagger 2.0 is refused with a sentence saying how to convert it.
import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import { ConfigError, describeCause } from '../../errors';
import { isHttpUrl } from './apiConfig';

/** How long a spec URL may take to answer (whole body) before the source fails. */
export const DEFAULT_SPEC_TIMEOUT_MS = 30_000;
/** Largest spec accepted (GitHub's is 13 MB). */
export const MAX_SPEC_BYTES = 64 * 1024 * 1024;

/** A parsed OpenAPI 3.x document (validated further by specCheck/operations). */
export type OpenApiDocument = Record<string, unknown>;

export interface LoadedSpec {
  doc: OpenApiDocument;
  /** '3.0' or '3.1'. */
  version: '3.0' | '3.1';
  /** Where it came from (file path or URL), for messages and relative server URLs. */
  source: string;
}

export interface SpecLoadOptions {
  timeoutMs?: number;
  fetch?: typeof fetch;
  signal?: AbortSignal;
}

/** Loads and version-checks the document at `source` (an absolute path or an http(s) URL). */
export async function loadSpec(source: string, opts: SpecLoadOptions = {}): Promise<LoadedSpec> {
  const text = isHttpUrl(source) ? await fetchSpec(source, opts) : await readSpecFile(source);
  return { ...checkVersion(parseSpecText(text, source), source), source };
}

/** Parses JSON (the fast path, when the text looks like JSON) or YAML. */
export function parseSpecText(text: string, source: string): unknown {
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{')) {
    try {
      return JSON.parse(trimmed);
    } catch (err) {
      throw invalid(source, '', `is not valid JSON: ${describeCause(err)}`);
    }
  }
  try {
    // yaml's default alias limit stays: it is what stops an alias bomb.
    return parseYaml(text);
  } catch (err) {
    throw invalid(source, '', `is neither valid JSON nor valid YAML: ${describeCause(err)}`);
  }
}

/** Checks the `openapi` field: 3.0.x and 3.1.x are supported; Swagger 2.0 and others are refused. */
export function checkVersion(raw: unknown, source: string): { doc: OpenApiDocument; version: '3.0' | '3.1' } {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw invalid(source, '', 'is not an OpenAPI document (the top level must be an object)');
  const doc = raw as OpenApiDocument;
  if (doc.swagger !== undefined) {
    throw new ConfigError(
      'openapi_unsupported',
      `The API description ${source} is Swagger ${String(doc.swagger)} (OpenAPI 2.0), which ToolWeaver does not read. Convert it to OpenAPI 3 (for example with swagger2openapi, or the converter at converter.swagger.io) and point "spec" at the result.`,
      { file: source, field: '#/swagger' },
    );
  }
  const v = doc.openapi;
  if (typeof v !== 'string') throw invalid(source, '#/openapi', 'is missing: an OpenAPI 3 document starts with "openapi": "3.0.x" or "3.1.x"');
  const m = /^3\.([01])\.\d+/.exec(v);
  if (!m) {
    throw new ConfigError('openapi_unsupported', `The API description ${source} has "openapi": "${v}"; ToolWeaver reads OpenAPI 3.0.x and 3.1.x.`, { file: source, field: '#/openapi' });
  }
  return { doc, version: m[1] === '1' ? '3.1' : '3.0' };
}

/** A ConfigError 'openapi_invalid' whose field is the JSON pointer of the bad part. */
export function invalid(source: string, pointer: string, what: string): ConfigError {
  const at = pointer && pointer !== '#' ? ` at ${pointer}` : '';
  return new ConfigError('openapi_invalid', `The API description ${source}${at} ${what}. Fix the document (or use another one) and reload the catalog.`, { file: source, field: pointer || '#' });
}

async function readSpecFile(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    const notFound = (err as NodeJS.ErrnoException).code === 'ENOENT';
    throw new ConfigError('openapi_unreadable', notFound ? `The API description ${file} does not exist. Check "spec" (a file path or an http(s) URL).` : `The API description ${file} cannot be read: ${describeCause(err)}.`, { file, cause: err });
  }
}

async function fetchSpec(url: string, opts: SpecLoadOptions): Promise<string> {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_SPEC_TIMEOUT_MS;
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = opts.signal ? AbortSignal.any([opts.signal, timeout]) : timeout;
  const unreadable = (why: string, cause?: unknown): ConfigError =>
    new ConfigError('openapi_unreadable', `The API description at ${url} could not be loaded: ${why}. Check the URL and that the server is up, or point "spec" at a local copy.`, { file: url, cause });
  let res: Response;
  try {
    res = await (opts.fetch ?? fetch)(url, { signal, headers: { accept: 'application/json, application/yaml, text/yaml, */*' }, redirect: 'follow' });
  } catch (err) {
    throw unreadable(timeout.aborted ? `no answer within ${timeoutMs} ms` : describeCause(err), err);
  }
  if (!res.ok) {
    void res.body?.cancel().catch(() => undefined);
    throw unreadable(`the server answered HTTP ${res.status}`);
  }
  try {
    const body = await res.arrayBuffer();
    if (body.byteLength > MAX_SPEC_BYTES) throw unreadable(`it is larger than ${MAX_SPEC_BYTES} bytes`);
    return new TextDecoder().decode(body);
  } catch (err) {
    if (ConfigError.is(err)) throw err;
    throw unreadable(timeout.aborted ? `no complete answer within ${timeoutMs} ms` : describeCause(err), err);
  }
}
