// Loads the tool catalog from mcp.json, a settings object, a catalog file or the embedded demo,
// connecting every server in parallel. Invariant: one failing server never blocks or fails the
// others (it is listed with status error); only bad configuration throws (ConfigError).
import { access } from 'node:fs/promises';
import path from 'node:path';
import { CatalogError, ConfigError, describeCause } from '../errors';
import { silentLogger, type Logger, type ToolInvoker } from '../ports';
import { createDemoServer } from '../demo/demoServer';
import { buildCatalog, type ServerDraft } from './catalogId';
import { readCatalogFile } from './catalogFile';
import { mergeParsedConfigs, parseMcpConfigValue, parseOpenApiSources, parseServers, readMcpConfigFile, type InputProvider, type ParsedConfig } from './config';
import { ServerConnection } from './connection';
import type { ServerTarget } from './connect';
import { createMcpInvoker } from './invoker';
import type { OpenApiConfig } from './openapi/apiConfig';
import { createHttpInvoker, type HttpApi } from './openapi/httpInvoker';
import { loadOpenApiSource } from './openapi/openapiSource';
import type { Catalog, ConfigSecrets, ServerLimits, ServerSettings } from './types';

export type { InputProvider } from './config';

export interface LoadCatalogOptions {
  configFile?: string;
  catalogFile?: string;
  servers?: Record<string, unknown>;
  /** An mcp.json-shaped value read elsewhere (a `.code-workspace` file's `settings.mcp`); `file` names it in messages. */
  configValue?: { value: unknown; file: string };
  cwd: string;
  workspaceFolder?: string;
  inputs?: InputProvider;
  env?: Record<string, string | undefined>;
  connectTimeoutMs?: number;
  /** How the user raises the connect timeout here (a flag or setting name), for its message. */
  connectTimeoutHint?: string;
  /** Largest reply per message on every transport (default 10 MiB); a server's own
   *  `toolweaver.maxReplyBytes` wins. */
  maxReplyBytes?: number;
  logger?: Logger;
  useDemoWhenEmpty?: boolean;
  /** OpenAPI sources by name (the `toolweaver.catalog.openapi` setting, `--openapi NAME=SPEC`):
   *  added to whatever else is loaded; alone (no config found) they are the whole catalog, without the demo. */
  openapi?: Record<string, unknown>;
  /** Names the OpenAPI sources in messages (a setting or flag). */
  openapiWhere?: string;
}

export interface LoadedCatalog {
  catalog: Catalog;
  invoker: ToolInvoker;
  secrets: ConfigSecrets;
  origin: 'config' | 'catalog-file' | 'servers' | 'demo' | 'openapi';
  configPath?: string;
  /** Closes every connection and kills every spawned server's process tree. Safe to call twice. */
  close(): Promise<void>;
}

/** Name of the embedded demo server in catalogs. */
export const DEMO_SERVER_NAME = 'demo';

/** Loads a catalog (see LoadCatalogOptions); throws ConfigError for bad or missing configuration. */
export async function loadCatalog(opts: LoadCatalogOptions): Promise<LoadedCatalog> {
  const logger = opts.logger ?? silentLogger;
  if (opts.catalogFile) {
    const file = path.resolve(opts.cwd, opts.catalogFile);
    const catalog = await readCatalogFile(file);
    return { catalog, invoker: createMcpInvoker(catalog, new Map()), secrets: { values: [] }, origin: 'catalog-file', configPath: file, close: async () => undefined };
  }
  const env = opts.env ?? process.env;
  const apisOf = async (parsed: ParsedConfig): Promise<ParsedConfig> => {
    if (!opts.openapi || Object.keys(opts.openapi).length === 0) return parsed;
    const where = opts.openapiWhere ?? 'the OpenAPI sources';
    const apis = await parseOpenApiSources(opts.openapi, { file: where, workspaceFolder: opts.workspaceFolder ?? opts.cwd, env, inputs: opts.inputs });
    return mergeParsedConfigs(parsed, apis, where);
  };
  if (opts.servers) {
    const parsed = await apisOf(await parseServers(opts.servers, { workspaceFolder: opts.workspaceFolder ?? opts.cwd, env, inputs: opts.inputs }));
    return connectAll(toTargets(parsed), parsed.secrets, 'servers', undefined, opts, logger, parsed.apis);
  }
  if (opts.configValue) {
    const parsed = await apisOf(await parseMcpConfigValue(opts.configValue.value, { file: opts.configValue.file, workspaceFolder: opts.workspaceFolder ?? opts.cwd, env, inputs: opts.inputs }));
    return connectAll(toTargets(parsed), parsed.secrets, 'config', opts.configValue.file, opts, logger, parsed.apis);
  }
  let configPath = opts.configFile ? path.resolve(opts.cwd, opts.configFile) : undefined;
  if (!configPath) {
    const candidate = path.join(opts.cwd, '.vscode', 'mcp.json');
    if (await exists(candidate)) configPath = candidate;
  }
  if (!configPath && opts.openapi && Object.keys(opts.openapi).length > 0) {
    const parsed = await apisOf({ servers: Object.create(null) as ParsedConfig['servers'], secrets: { values: [] } });
    return connectAll(new Map(), parsed.secrets, 'openapi', undefined, opts, logger, parsed.apis);
  }
  if (!configPath) {
    if (!opts.useDemoWhenEmpty) {
      throw new ConfigError('config_not_found', `No MCP configuration found: ${path.join(opts.cwd, '.vscode', 'mcp.json')} does not exist. Create it or pass --config FILE.`);
    }
    const targets = new Map<string, ServerTarget>([[DEMO_SERVER_NAME, { kind: 'inprocess', createServer: createDemoServer }]]);
    return connectAll(targets, { values: [] }, 'demo', undefined, opts, logger);
  }
  const dir = path.dirname(configPath);
  const workspaceFolder = opts.workspaceFolder ?? (path.basename(dir) === '.vscode' ? path.dirname(dir) : opts.cwd);
  const parsed = await apisOf(await readMcpConfigFile(configPath, { workspaceFolder, env, inputs: opts.inputs }));
  return connectAll(toTargets(parsed), parsed.secrets, 'config', configPath, opts, logger, parsed.apis);
}

function toTargets(parsed: ParsedConfig): Map<string, ServerTarget> {
  return new Map(Object.entries(parsed.servers).map(([name, config]) => [name, { kind: 'config', config }]));
}

async function connectAll(
  targets: Map<string, ServerTarget>,
  secrets: ConfigSecrets,
  origin: LoadedCatalog['origin'],
  configPath: string | undefined,
  opts: LoadCatalogOptions,
  logger: Logger,
  apis: Record<string, OpenApiConfig> = {},
): Promise<LoadedCatalog> {
  const connections = new Map<string, ServerConnection>();
  const httpApis = new Map<string, HttpApi>();
  const apiDrafts = Object.entries(apis).map(async ([name, config]): Promise<ServerDraft> => {
    const limits = limitsOf(config.settings);
    try {
      const loaded = await loadOpenApiSource(name, config, { ...(opts.connectTimeoutMs ? { timeoutMs: opts.connectTimeoutMs } : {}) });
      httpApis.set(name, loaded.api);
      logger.debug(`API "${name}": ${loaded.tools.length} operations; spec read in ${Math.round(loaded.ms.load)} ms, converted in ${Math.round(loaded.ms.convert)} ms.`);
      return { name, source: 'openapi', status: { state: 'connected' }, serverInfo: loaded.info, ...(loaded.instructions ? { instructions: loaded.instructions } : {}), ...(limits ? { limits } : {}), tools: loaded.tools };
    } catch (err) {
      const code = ConfigError.is(err) ? err.code : 'connect_failed';
      const message = err instanceof Error ? err.message : describeCause(err);
      logger.warn(`API "${name}" is unavailable: ${message}`);
      return { name, source: 'openapi', status: { state: 'error', code, message }, ...(limits ? { limits } : {}), tools: [] };
    }
  });
  const mcpDrafts = Promise.all(
    [...targets].map(async ([name, target]): Promise<ServerDraft> => {
      const source = target.kind === 'inprocess' ? ('demo' as const) : ('mcp' as const);
      const settings = target.kind === 'config' ? target.config.settings : undefined;
      const connection = new ServerConnection(name, target, {
        connectTimeoutMs: opts.connectTimeoutMs,
        connectTimeoutHint: opts.connectTimeoutHint,
        maxReplyBytes: settings?.maxReplyBytes ?? opts.maxReplyBytes,
        logger,
      });
      const limits = limitsOf(settings);
      const started = Date.now();
      try {
        await connection.open();
        const tools = await connection.listTools();
        connections.set(name, connection);
        logger.debug(`Server "${name}": ${tools.length} tools in ${Date.now() - started} ms.`);
        return { name, source, status: { state: 'connected' }, ...connection.info, ...(limits ? { limits } : {}), tools };
      } catch (err) {
        await connection.close();
        const code = CatalogError.is(err) ? err.code : 'connect_failed';
        const message = err instanceof Error ? err.message : describeCause(err);
        logger.warn(`Server "${name}" is unavailable: ${message}`);
        return { name, source, status: { state: 'error', code, message }, ...(limits ? { limits } : {}), tools: [] };
      }
    }),
  );
  const drafts = [...(await mcpDrafts), ...(await Promise.all(apiDrafts))];
  const catalog = buildCatalog(drafts.map(dropUndefined));
  let closing: Promise<void> | undefined;
  const mcp = createMcpInvoker(catalog, connections);
  const http = createHttpInvoker(httpApis);
  return {
    catalog,
    // An API that failed to load goes to the MCP invoker, which says why it is unavailable.
    invoker: httpApis.size ? { callTool: (req, callOpts) => (httpApis.has(req.server) ? http : mcp).callTool(req, callOpts) } : mcp,
    secrets,
    origin,
    ...(configPath ? { configPath } : {}),
    close: () => (closing ??= Promise.all([...connections.values()].map((c) => c.close())).then(() => undefined)),
  };
}

/** The throttling part of a server's settings (maxReplyBytes belongs to its connection). */
function limitsOf(settings: ServerSettings | undefined): ServerLimits | undefined {
  if (!settings) return undefined;
  const { maxReplyBytes: _connection, ...limits } = settings;
  return Object.keys(limits).length ? limits : undefined;
}

function dropUndefined(d: ServerDraft): ServerDraft {
  return Object.fromEntries(Object.entries(d).filter(([, v]) => v !== undefined)) as ServerDraft;
}

async function exists(file: string): Promise<boolean> {
  try {
    await access(file);
    return true;
  } catch {
    return false;
  }
}
