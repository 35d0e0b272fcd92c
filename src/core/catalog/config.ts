// Parses VS Code's `.vscode/mcp.json` (and a plain `servers` object from settings) into ServerConfig
// values, substituting ${workspaceFolder}, ${env:NAME} and ${input:id}. Invariant: every problem
// is a ConfigError naming the file and the dotted field; secret values are collected for redaction;
// server names are data (a server called `__proto__` or `constructor` is a server like any other).
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { ConfigError, describeCause } from '../errors';
import type { ConfigSecrets, ServerConfig, ServerSettings } from './types';
import { readEnvFile } from './envFile';
import { parseJsonc } from './jsonc';
import { isHttpUrl, OpenApiEntrySchema, type OpenApiAuth, type OpenApiConfig } from './openapi/apiConfig';

/** Resolves `${input:id}`; returns undefined when the user gave no value. */
export type InputProvider = (id: string, description?: string, password?: boolean) => Promise<string | undefined>;

export interface ConfigContext {
  /** File the config came from (for messages), if any. */
  file?: string;
  /** Value of `${workspaceFolder}`; relative `cwd`/`envFile` resolve against it. */
  workspaceFolder: string;
  /** Environment used for `${env:NAME}` (defaults to process.env in loadCatalog). */
  env: Record<string, string | undefined>;
  inputs?: InputProvider;
}

export interface ParsedConfig {
  /** By configured name; a null-prototype object, so every name is an own key. */
  servers: Record<string, ServerConfig>;
  /** OpenAPI catalog sources (`"type": "openapi"` entries), by name; names are unique across both. */
  apis?: Record<string, OpenApiConfig>;
  secrets: ConfigSecrets;
}

/** Secret values shorter than this are not collected: redacting "1" or "on" everywhere helps nobody. */
export const MIN_SECRET_LENGTH = 4;

const InputDefSchema = z.looseObject({
  type: z.enum(['promptString', 'pickString']),
  id: z.string().min(1),
  description: z.string().optional(),
  password: z.boolean().optional(),
  options: z.array(z.unknown()).optional(),
  default: z.string().optional(),
});
type InputDef = z.infer<typeof InputDefSchema>;

// `servers` is checked by parseServers: z.record copies into a plain object, where the key
// `__proto__` sets the prototype instead of adding a server.
const McpFileSchema = z.looseObject({
  servers: z.unknown().optional(),
  inputs: z.array(InputDefSchema).optional(),
});

/** The `toolweaver` key of a server entry: ToolWeaver's own settings (VS Code ignores the key). */
export const ServerSettingsSchema = z.strictObject({
  rps: z.number().positive().max(100_000).optional(),
  burst: z.number().int().min(1).max(100_000).optional(),
  maxConcurrency: z.number().int().min(1).max(10_000).optional(),
  toolCallTimeoutMs: z.number().int().min(1).max(2_147_000_000).optional(),
  maxReplyBytes: z.number().int().min(1024).max(1024 * 1024 * 1024).optional(),
});

const StdioSchema = z.looseObject({
  type: z.literal('stdio').optional(),
  command: z.string().min(1, 'must be a non-empty string'),
  args: z.array(z.string()).default([]),
  env: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])).default({}),
  envFile: z.string().optional(),
  cwd: z.string().optional(),
  toolweaver: ServerSettingsSchema.optional(),
});

const HttpSchema = z.looseObject({
  type: z.enum(['http', 'sse']).optional(),
  url: z.string().min(1, 'must be a non-empty string'),
  headers: z.record(z.string(), z.string()).default({}),
  toolweaver: ServerSettingsSchema.optional(),
});

function where(ctx: ConfigContext): string {
  return ctx.file ? ctx.file : 'the server settings';
}

function zodToConfigError(err: z.ZodError, prefix: string, ctx: ConfigContext): ConfigError {
  const issue = err.issues[0];
  const field = [prefix, ...(issue?.path ?? []).map(String)].filter(Boolean).join('.');
  return new ConfigError(
    'config_invalid',
    `Invalid ${where(ctx)}: field "${field}": ${issue?.message ?? 'invalid value'}. Fix that field and try again.`,
    { file: ctx.file, field, cause: err },
  );
}

/** Parses the text of an mcp.json file (comments and trailing commas allowed). */
export async function parseMcpConfigText(text: string, ctx: ConfigContext): Promise<ParsedConfig> {
  let raw: unknown;
  try {
    raw = parseJsonc(text);
  } catch (err) {
    throw new ConfigError('config_invalid', `${where(ctx)} is not valid JSON: ${describeCause(err)}. Fix the syntax and try again.`, {
      file: ctx.file,
      cause: err,
    });
  }
  return parseMcpConfigValue(raw, ctx);
}

/** Parses an mcp.json-shaped value that is already JSON (a `.code-workspace` file's `settings.mcp`). */
export async function parseMcpConfigValue(raw: unknown, ctx: ConfigContext): Promise<ParsedConfig> {
  const parsed = McpFileSchema.safeParse(raw);
  if (!parsed.success) throw zodToConfigError(parsed.error, '', ctx);
  // An API description given where an MCP config belongs would otherwise load as 0 servers.
  if (parsed.data.servers === undefined && (typeof parsed.data.openapi === 'string' || typeof parsed.data.swagger === 'string')) {
    throw new ConfigError(
      'config_invalid',
      `${where(ctx)} is an OpenAPI description, not an MCP configuration. Pass it with --openapi NAME=${ctx.file ?? 'FILE'}, or add it to the config as a server { "type": "openapi", "spec": "…" }.`,
      { file: ctx.file },
    );
  }
  const inputDefs = new Map<string, InputDef>();
  for (const def of parsed.data.inputs ?? []) inputDefs.set(def.id, def);
  return parseServers(parsed.data.servers ?? Object.create(null), ctx, 'servers', inputDefs);
}

/** Reads and parses an mcp.json file; a missing file is ConfigError 'config_not_found'. */
export async function readMcpConfigFile(file: string, ctx: Omit<ConfigContext, 'file'>): Promise<ParsedConfig> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const notFound = (err as NodeJS.ErrnoException).code === 'ENOENT';
    throw new ConfigError(
      notFound ? 'config_not_found' : 'config_unreadable',
      notFound
        ? `Config file ${file} does not exist. Create it or pass another file with --config.`
        : `Config file ${file} cannot be read: ${describeCause(err)}.`,
      { file, cause: err },
    );
  }
  return parseMcpConfigText(text, { ...ctx, file });
}

/** Parses a plain object of servers (mcp.json's `servers`, or a settings value). */
export async function parseServers(
  raw: unknown,
  ctx: ConfigContext,
  prefix = 'servers',
  inputDefs: Map<string, InputDef> = new Map(),
): Promise<ParsedConfig> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new ConfigError('config_invalid', `Invalid ${where(ctx)}: field "${prefix}" must be an object of servers by name.`, { file: ctx.file, field: prefix });
  }
  const secrets = new Set<string>();
  // Names of the secrets: the field (env variable, header) that holds a value wins over the input id.
  const fieldNames = new Map<string, string>();
  const inputNames = new Map<string, string>();
  const named = (value: string, name: string, names = fieldNames): void => {
    if (!names.has(value)) names.set(value, name);
  };
  const inputValues = new Map<string, string>();
  const servers = Object.create(null) as Record<string, ServerConfig>;
  const apis = Object.create(null) as Record<string, OpenApiConfig>;

  const substitute = async (value: string, field: string): Promise<string> => {
    let result = '';
    let last = 0;
    for (const m of value.matchAll(/\$\{([^}]*)\}/g)) {
      result += value.slice(last, m.index);
      last = (m.index ?? 0) + m[0].length;
      const name = m[1] ?? '';
      if (name === 'workspaceFolder') result += ctx.workspaceFolder;
      else if (name === 'workspaceFolderBasename') result += path.basename(ctx.workspaceFolder);
      else if (name === 'pathSeparator') result += path.sep;
      else if (name.startsWith('env:')) result += ctx.env[name.slice(4)] ?? '';
      else if (name.startsWith('input:')) result += await resolveInput(name.slice(6), field);
      else result += m[0]; // unknown variables stay as written, like VS Code does
    }
    return result + value.slice(last);
  };

  const resolveInput = async (id: string, field: string): Promise<string> => {
    const known = inputValues.get(id);
    if (known !== undefined) return known;
    const def = inputDefs.get(id);
    const value = ctx.inputs ? await ctx.inputs(id, def?.description, def?.password) : undefined;
    if (value === undefined) {
      throw new ConfigError(
        'input_missing',
        `Input "${id}" (used by ${field} in ${where(ctx)}) has no value. ` +
          `Pass it with --input ${id}=VALUE or the environment variable ${inputEnvName(id)}.`,
        { file: ctx.file, field },
      );
    }
    inputValues.set(id, value);
    addSecret(secrets, value);
    named(value, id, inputNames);
    return value;
  };

  for (const [name, def] of Object.entries(raw)) {
    const field = `${prefix}.${name}`;
    if (typeof def !== 'object' || def === null || Array.isArray(def)) {
      throw new ConfigError('config_invalid', `Invalid ${where(ctx)}: field "${field}" must be an object.`, { file: ctx.file, field });
    }
    const obj = def as Record<string, unknown>;
    const type = obj.type ?? ('command' in obj ? 'stdio' : 'url' in obj ? 'http' : 'spec' in obj ? 'openapi' : undefined);
    if (type === 'openapi') {
      const p = OpenApiEntrySchema.safeParse(obj);
      if (!p.success) throw zodToConfigError(p.error, field, ctx);
      const settings = ServerSettingsSchema.optional().safeParse(p.data.toolweaver);
      if (!settings.success) throw zodToConfigError(settings.error, `${field}.toolweaver`, ctx);
      const specText = await substitute(p.data.spec, `${field}.spec`);
      const spec = isHttpUrl(specText) ? specText : path.resolve(ctx.workspaceFolder, specText);
      const baseUrl = p.data.baseUrl === undefined ? undefined : await substitute(p.data.baseUrl, `${field}.baseUrl`);
      if (baseUrl !== undefined && !isHttpUrl(baseUrl)) {
        throw new ConfigError('config_invalid', `Invalid ${where(ctx)}: field "${field}.baseUrl" must be an http(s) URL, not "${baseUrl}".`, { file: ctx.file, field: `${field}.baseUrl` });
      }
      const secret = async (value: string, at: string, name: string): Promise<string> => {
        const v = await substitute(value, at);
        addSecret(secrets, v);
        named(v, name);
        return v;
      };
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(p.data.headers)) headers[k] = await secret(v, `${field}.headers.${k}`, k);
      let auth: OpenApiAuth | undefined;
      const a = p.data.auth;
      if (a?.type === 'bearer') auth = { type: 'bearer', token: await secret(a.token, `${field}.auth.token`, `${name}_TOKEN`) };
      else if (a?.type === 'apiKey') auth = { type: 'apiKey', in: a.in, name: a.name, value: await secret(a.value, `${field}.auth.value`, a.name) };
      else if (a?.type === 'basic') {
        const username = await substitute(a.username, `${field}.auth.username`);
        const password = await secret(a.password, `${field}.auth.password`, `${name}_PASSWORD`);
        // The header form is a secret too: a server that echoes the request must not leak it.
        addSecret(secrets, Buffer.from(`${username}:${password}`).toString('base64'));
        auth = { type: 'basic', username, password };
      }
      apis[name] = { type: 'openapi', spec, ...(baseUrl ? { baseUrl } : {}), headers, ...(auth ? { auth } : {}), ...settingsOf(settings.data) };
    } else if (type === 'stdio') {
      const p = StdioSchema.safeParse(obj);
      if (!p.success) throw zodToConfigError(p.error, field, ctx);
      const env: Record<string, string> = {};
      const cwd = p.data.cwd === undefined ? undefined : path.resolve(ctx.workspaceFolder, await substitute(p.data.cwd, `${field}.cwd`));
      const envFile =
        p.data.envFile === undefined ? undefined : path.resolve(ctx.workspaceFolder, await substitute(p.data.envFile, `${field}.envFile`));
      if (envFile) {
        for (const [k, v] of Object.entries(await readEnvFile(envFile, { field: `${field}.envFile`, configFile: ctx.file }))) {
          env[k] = v;
          addSecret(secrets, v);
          named(v, k);
        }
      }
      for (const [k, v] of Object.entries(p.data.env)) {
        if (v === null) continue;
        const value = await substitute(String(v), `${field}.env.${k}`);
        env[k] = value;
        addSecret(secrets, value);
        named(value, k);
      }
      const args: string[] = [];
      for (const [i, a] of p.data.args.entries()) args.push(await substitute(a, `${field}.args.${i}`));
      servers[name] = {
        type: 'stdio',
        command: await substitute(p.data.command, `${field}.command`),
        args,
        env,
        ...(envFile ? { envFile } : {}),
        ...(cwd ? { cwd } : {}),
        ...settingsOf(p.data.toolweaver),
      };
    } else if (type === 'http' || type === 'sse') {
      const p = HttpSchema.safeParse(obj);
      if (!p.success) throw zodToConfigError(p.error, field, ctx);
      const url = await substitute(p.data.url, `${field}.url`);
      if (!URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol)) {
        throw new ConfigError('config_invalid', `Invalid ${where(ctx)}: field "${field}.url" must be an http(s) URL, not "${url}".`, {
          file: ctx.file,
          field: `${field}.url`,
        });
      }
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(p.data.headers)) {
        headers[k] = await substitute(v, `${field}.headers.${k}`);
        addSecret(secrets, headers[k]);
        named(headers[k], k);
      }
      servers[name] = { type, url, headers, ...settingsOf(p.data.toolweaver) };
    } else {
      throw new ConfigError(
        'unknown_server_type',
        `Server "${name}" in ${where(ctx)} has ${type === undefined ? 'no type and neither "command" nor "url"' : `unknown type ${JSON.stringify(type)}`}; ` +
          `field "${field}.type" must be "stdio", "http", "sse" or "openapi".`,
        { file: ctx.file, field: `${field}.type` },
      );
    }
  }
  const values = [...secrets];
  const names = values.flatMap((value) => {
    const name = fieldNames.get(value) ?? inputNames.get(value);
    return name === undefined ? [] : [{ name, value }];
  });
  return { servers, ...(Object.keys(apis).length ? { apis } : {}), secrets: { values, named: names } };
}

/**
 * Parses an object of named OpenAPI sources (the `toolweaver.catalog.openapi` setting, `--openapi`):
 * each entry is an `openapi` catalog entry without its `type`. Errors name `<prefix>.<name>.<field>`.
 */
export async function parseOpenApiSources(raw: unknown, ctx: ConfigContext, prefix = 'openapi'): Promise<ParsedConfig> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new ConfigError('config_invalid', `Invalid ${where(ctx)}: field "${prefix}" must be an object of APIs by name.`, { file: ctx.file, field: prefix });
  }
  const typed = Object.create(null) as Record<string, unknown>;
  for (const [name, def] of Object.entries(raw)) {
    typed[name] = typeof def === 'object' && def !== null && !Array.isArray(def) ? { ...def, type: 'openapi' } : def;
  }
  return parseServers(typed, ctx, prefix);
}

/** Joins two parsed configs (the MCP config and the OpenAPI sources); a name in both is a ConfigError. */
export function mergeParsedConfigs(a: ParsedConfig, b: ParsedConfig, where: string): ParsedConfig {
  const servers = Object.assign(Object.create(null) as Record<string, ServerConfig>, a.servers);
  const apis = Object.assign(Object.create(null) as Record<string, OpenApiConfig>, a.apis);
  for (const [name, s] of Object.entries(b.servers)) servers[name] = s;
  for (const [name, api] of Object.entries(b.apis ?? {})) {
    if (Object.hasOwn(servers, name) || Object.hasOwn(apis, name)) {
      throw new ConfigError('config_invalid', `The API "${name}" from ${where} has the name of a server that is already configured; give it another name.`, { field: `openapi.${name}` });
    }
    apis[name] = api;
  }
  const named = [...(a.secrets.named ?? []), ...(b.secrets.named ?? [])];
  return {
    servers,
    ...(Object.keys(apis).length ? { apis } : {}),
    secrets: { values: [...new Set([...a.secrets.values, ...b.secrets.values])], ...(named.length ? { named } : {}) },
  };
}

function settingsOf(raw: z.infer<typeof ServerSettingsSchema> | undefined): { settings?: ServerSettings } {
  if (!raw) return {};
  const settings = Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== undefined)) as ServerSettings;
  return Object.keys(settings).length ? { settings } : {};
}

/** Name of the environment variable the CLI reads an input from: TOOLWEAVER_INPUT_<ID>. */
export function inputEnvName(id: string): string {
  return `TOOLWEAVER_INPUT_${id.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
}

function addSecret(secrets: Set<string>, value: string): void {
  if (value.length >= MIN_SECRET_LENGTH) secrets.add(value);
}
