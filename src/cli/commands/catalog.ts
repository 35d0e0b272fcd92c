// `toolweaver catalog`: loads the tool catalog (mcp.json, a catalog file or the embedded demo),
// prints servers and tools, optionally saves an offline snapshot. Also exports the shared
// config/catalog flags and loader so other commands (stubs, run) resolve catalogs the same way.
import path from 'node:path';
import { withWorkspaceTypes } from '../../core/learned/learnTypes';
import { bool, list, num, str, type FlagSpec, type ParsedArgs } from '../args';
import { EXIT, type CliCommand, type CliIo } from '../command';
import { UsageError } from '../../core/errors';
import { inputEnvName } from '../../core/catalog/config';
import { writeCatalogFile } from '../../core/catalog/catalogFile';
import { loadCatalog, type InputProvider, type LoadedCatalog } from '../../core/catalog/loadCatalog';
import type { Catalog } from '../../core/catalog/types';
import { catalogFindings, describeFindings, findingsKey } from '../../core/catalog/textFindings';
import { neutralize } from '../../core/untrusted/unicode';

/** Help of --openapi, shared by every command that loads a catalog. */
export const OPENAPI_HELP = 'an OpenAPI 3 description as NAME=SPEC (a file or an http(s) URL, JSON or YAML; repeatable): its operations become the tools of server NAME, added to --config/.vscode/mcp.json';

/** The `--openapi NAME=SPEC` flags as an object of OpenAPI sources (the setting's shape). */
export function openApiFromArgs(args: ParsedArgs): Record<string, unknown> | undefined {
  const pairs = list(args, 'openapi');
  if (!pairs.length) return undefined;
  const out = Object.create(null) as Record<string, unknown>;
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0 || eq === pair.length - 1) throw new UsageError(`--openapi needs NAME=SPEC (for example github=api.github.com.json), not "${pair}".`);
    const name = pair.slice(0, eq);
    if (Object.hasOwn(out, name)) throw new UsageError(`--openapi names the API "${name}" twice; give each API its own name.`);
    out[name] = { spec: pair.slice(eq + 1) };
  }
  return out;
}

/** Flags every catalog-consuming command shares. */
export const CATALOG_FLAGS: FlagSpec = {
  config: { kind: 'string', help: 'MCP config file in VS Code format (default: .vscode/mcp.json, else the embedded demo)' },
  catalog: { kind: 'string', help: 'offline catalog file (see docs/catalog-format.md) instead of live servers' },
  input: { kind: 'list', help: 'value for ${input:id} as id=value (repeatable; also env TOOLWEAVER_INPUT_<ID>)' },
  'timeout-ms': { kind: 'number', help: 'per-server connect timeout in milliseconds (default 10000)' },
  openapi: { kind: 'list', help: OPENAPI_HELP },
};

/** Builds the ${input:id} provider: --input id=value first, then TOOLWEAVER_INPUT_<ID>. */
export function cliInputProvider(args: ParsedArgs, env: NodeJS.ProcessEnv): InputProvider {
  const given = new Map<string, string>();
  for (const pair of list(args, 'input')) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new UsageError(`--input needs id=value, not "${pair}".`);
    given.set(pair.slice(0, eq), pair.slice(eq + 1));
  }
  return async (id) => given.get(id) ?? env[inputEnvName(id)];
}

/** Loads the catalog the flags describe; says on stderr when the embedded demo is used. */
export async function loadCatalogFromArgs(args: ParsedArgs, io: CliIo, opts: { connectTimeoutFlag?: string } = {}): Promise<LoadedCatalog> {
  const configFile = str(args, 'config');
  const catalogFile = str(args, 'catalog');
  if (configFile && catalogFile) throw new UsageError('Use either --config or --catalog, not both.');
  const openapi = openApiFromArgs(args);
  if (openapi && catalogFile) throw new UsageError('Use either --openapi or --catalog, not both (a catalog file is an offline snapshot; save one with --openapi … catalog --save FILE).');
  const loaded = await loadCatalog({
    cwd: io.cwd,
    configFile,
    catalogFile,
    inputs: cliInputProvider(args, io.env),
    env: io.env,
    // `run` spends --timeout-ms on the script's clock and names this one --connect-timeout-ms.
    connectTimeoutMs: num(args, opts.connectTimeoutFlag ?? 'timeout-ms'),
    connectTimeoutHint: `--${opts.connectTimeoutFlag ?? 'timeout-ms'}`,
    useDemoWhenEmpty: true,
    ...(openapi ? { openapi, openapiWhere: '--openapi' } : {}),
  });
  if (loaded.origin === 'demo') {
    io.err(`No ${path.join('.vscode', 'mcp.json')} in ${io.cwd}; using the embedded demo server (pass --config FILE to use yours).`);
  }
  // Output types learned from traces (and pinned ones) type the tools that declare none.
  try {
    return { ...loaded, catalog: await withWorkspaceTypes(loaded.catalog, io.cwd) };
  } catch (err) {
    await loaded.close();
    throw err;
  }
}

/** One line per failed server, for the exit-2 message. */
export function describeFailures(catalog: Catalog): string[] {
  return catalog.servers.flatMap((s) => (s.status.state === 'error' ? [`server "${s.name}": ${s.status.code}: ${s.status.message}`] : []));
}

function oneLine(text: string | undefined, max = 100): string {
  const first = (text ?? '').trim().split(/\r?\n/)[0] ?? '';
  return first.length > max ? `${first.slice(0, max - 1)}…` : first;
}

function printHuman(loaded: LoadedCatalog, io: CliIo): void {
  const { catalog } = loaded;
  const found = catalogFindings(catalog);
  const from = loaded.origin === 'demo' ? 'embedded demo' : loaded.configPath ? path.relative(io.cwd, loaded.configPath) || loaded.configPath : loaded.origin;
  io.out(`Catalog ${catalog.id} — ${catalog.servers.length} server(s) from ${from}`);
  const width = Math.max(6, ...catalog.servers.map((s) => s.name.length));
  for (const s of catalog.servers) {
    const state = s.status.state === 'error' ? `error (${s.status.code})` : s.status.state;
    io.out(`  ${s.name.padEnd(width)}  ${state.padEnd(24)} ${s.tools.length} tool(s)`);
  }
  for (const s of catalog.servers) {
    if (s.status.state === 'error') {
      io.out(`\n${s.name}: ${s.status.message}`);
      continue;
    }
    io.out(`\n${s.name} (tools.${s.ident})`);
    const serverFlags = found.get(findingsKey(s.name));
    if (serverFlags) io.out(`  ${FLAG} ${describeFindings(serverFlags)}`);
    const w = Math.min(32, Math.max(4, ...s.tools.map((t) => t.ident.length)));
    for (const t of s.tools) {
      const alias = t.ident === t.name ? '' : ` [${t.name}]`;
      io.out(`  ${t.ident.padEnd(w)}  ${oneLine(neutralize(t.description ?? t.title ?? ''))}${alias}`);
      const flags = found.get(findingsKey(s.name, t.name));
      if (flags) io.out(`  ${''.padEnd(w)}  ${FLAG} ${describeFindings(flags)}`);
    }
  }
  const flaggedTools = [...found.keys()].filter((k) => k.includes('/')).length;
  const flaggedServers = found.size - flaggedTools;
  if (found.size > 0) {
    io.out(`\nInjection check (heuristic): ${flaggedTools} tool(s) and ${flaggedServers} server instruction(s) contain text that looks like instructions to a model; models get it framed as data, with a warning.`);
  }
}

/** The mark of a flagged tool or server in the listing. */
const FLAG = '⚠ injection check (heuristic):';

export const catalogCommand: CliCommand = {
  name: 'catalog',
  summary: 'Connect to the configured MCP servers and list their tools',
  usage: 'toolweaver catalog [--config FILE | --catalog FILE] [--openapi NAME=SPEC ...] [--json] [--save FILE] [--input id=value ...] [--timeout-ms N]',
  flags: {
    ...CATALOG_FLAGS,
    json: { kind: 'boolean', help: 'print the catalog as JSON on stdout' },
    save: { kind: 'string', help: 'write an offline snapshot in the catalog file format' },
  },
  async run(args: ParsedArgs, io: CliIo): Promise<number> {
    if (args.positionals.length > 0) throw new UsageError(`Unexpected argument "${args.positionals[0]}".`);
    const loaded = await loadCatalogFromArgs(args, io);
    try {
      const { catalog } = loaded;
      if (bool(args, 'json')) io.out(JSON.stringify(catalog, null, 2));
      else printHuman(loaded, io);
      const save = str(args, 'save');
      if (save) {
        const file = path.resolve(io.cwd, save);
        await writeCatalogFile(file, catalog);
        io.err(`Saved the catalog (${catalog.servers.reduce((n, s) => n + s.tools.length, 0)} tools) to ${file}.`);
      }
      const failures = describeFailures(catalog);
      if (catalog.servers.length > 0 && failures.length === catalog.servers.length) {
        io.err(`Error: no server could be reached:\n  ${failures.join('\n  ')}`);
        return EXIT.catalog;
      }
      for (const f of failures) io.err(`Warning: ${f}`);
      return EXIT.ok;
    } finally {
      await loaded.close();
    }
  },
};
