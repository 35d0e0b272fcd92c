// `toolweaver mcp`: serves run_code, search_tools and describe_tool in front of the configured
// catalog over stdio (default) or Streamable HTTP on 127.0.0.1. In stdio mode stdout carries only
// JSON-RPC; messages go to stderr. Approvals: flags first, then the client's user via elicitation
// when the client supports it, else a denial that names the flag to use.
import { randomUUID } from 'node:crypto';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { bool, list, num, str, type ParsedArgs } from '../args';
import { EXIT, type CliCommand, type CliIo } from '../command';
import { CATALOG_FLAGS, loadCatalogFromArgs } from './catalog';
import { policyFromFlags } from '../../core/agents/approvals';
import { createExecuteRunCode, scheduledRunCode, type ExecuteRunCodeOptions } from '../../core/agents/runCode';
import { parseFirewallCategories } from '../../core/firewall/categories';
import { createPrivacyVault } from '../../core/firewall/vault';
import { stubDeclarations } from '../../core/agents/stubText';
import { searchTools } from '../../core/agents/toolSearch';
import { createTypeChecker } from '../../core/agents/typeCheck';
import { serveHttp } from '../../core/demo/serveHttp';
import { UsageError } from '../../core/errors';
import { createToolWeaverMcpServer } from '../../core/mcpServer/toolWeaverServer';
import { createFairScheduler } from '../../core/run/fairScheduler';
import { createSandbox } from '../../core/sandbox/sandbox';
import { DEFAULT_LIMITS } from '../../core/sandbox/types';
import { untilShutdown } from '../shutdown';

/** Scripts that run at once (one sandbox worker each) unless --concurrency says otherwise. */
export const DEFAULT_MCP_CONCURRENCY = 4;
/** Sandbox workers are threads of this process; more than this is a mistake, not a setting. */
const MAX_MCP_CONCURRENCY = 64;

function parsePort(text: string): number {
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new UsageError(`--http needs a port number between 0 and 65535 (0 picks a free one), not "${text}".`);
  }
  return port;
}

async function serve(args: ParsedArgs, io: CliIo): Promise<number> {
  const httpPort = str(args, 'http');
  const port = httpPort === undefined ? undefined : parsePort(httpPort);
  if (bool(args, 'ask')) {
    throw new UsageError('--ask is not available for toolweaver mcp: calls that need approval are asked through the MCP client when it supports elicitation, and denied otherwise. Allow them up front with --allow GLOB (e.g. --allow "demo/*") or --allow-all.');
  }
  const concurrency = num(args, 'concurrency') ?? DEFAULT_MCP_CONCURRENCY;
  if (!Number.isInteger(concurrency) || concurrency > MAX_MCP_CONCURRENCY) {
    throw new UsageError(`--concurrency needs a whole number of scripts between 1 and ${MAX_MCP_CONCURRENCY}, not "${concurrency}".`);
  }
  const maxTimeoutMs = num(args, 'max-timeout-ms') ?? DEFAULT_LIMITS.timeoutMs;
  const firewall = parseFirewallCategories(list(args, 'firewall'), bool(args, 'no-firewall-pii'));
  const loaded = await loadCatalogFromArgs(args, io);
  const { catalog } = loaded;
  // One worker per slot: a script that loops until its timeout holds one slot, never the others.
  const sandbox = createSandbox({ poolSize: concurrency });
  const scheduler = createFairScheduler(concurrency);
  const checker = bool(args, 'no-typecheck') ? undefined : createTypeChecker({ declarations: () => stubDeclarations(catalog) });
  // Warm the compiler while the client connects; a failure shows on the first check instead.
  void checker?.warm().catch(() => undefined);
  searchTools(catalog, '', { limit: 1 }); // builds the search index once, before the first query
  const policy = policyFromFlags({ allow: list(args, 'allow'), deny: list(args, 'deny'), allowAll: bool(args, 'allow-all') });
  const runOptions: ExecuteRunCodeOptions = {
    sandbox,
    catalog,
    invoker: loaded.invoker,
    secrets: loaded.secrets,
    cwd: io.cwd,
    traceDir: str(args, 'trace-dir'),
    approvals: {
      policy,
      onDecision: (d) => {
        if (d.outcome === 'denied') io.err(`approval: denied ${d.server}/${d.tool} (${d.source})`);
      },
    },
  };
  // Each MCP session (one per HTTP client; the one stdio client) is one conversation: it queues
  // under its own key and has its own privacy vault (placeholders never cross sessions).
  const make = () =>
    createToolWeaverMcpServer({
      catalog,
      runCode: scheduledRunCode(createExecuteRunCode({ ...runOptions, firewall: createPrivacyVault({ categories: firewall }) }), scheduler, randomUUID()),
      maxTimeoutMs,
      typeCheck: checker ? (code, language) => checker.check(code, { language }) : undefined,
    });
  const tools = catalog.servers.reduce((n, s) => n + s.tools.length, 0);
  try {
    if (port === undefined) {
      const server = make();
      const transport = new StdioServerTransport();
      const closed = untilShutdown((done) => {
        transport.onclose = done;
        process.stdin.once('end', done);
      });
      await server.connect(transport);
      io.err(`ToolWeaver MCP server on stdio: run_code, search_tools, describe_tool over ${tools} tools. Close stdin or press Ctrl+C to stop.`);
      await closed;
      await server.close();
    } else {
      const serving = await serveHttp(make, { port });
      io.err(`ToolWeaver MCP server listening on ${serving.url} (Streamable HTTP, 127.0.0.1 only) over ${tools} tools. Press Ctrl+C to stop.`);
      await untilShutdown();
      await serving.close();
    }
  } finally {
    checker?.dispose();
    await sandbox.dispose();
    await loaded.close();
  }
  return EXIT.ok;
}

export const mcpCommand: CliCommand = {
  name: 'mcp',
  summary: 'Serve ToolWeaver (run_code, search_tools, describe_tool) as an MCP server over stdio or HTTP.',
  usage: 'toolweaver mcp [--config FILE | --catalog FILE] [--http PORT] [--concurrency N] [--max-timeout-ms N] [--allow GLOB]... [--deny GLOB]... [--firewall LIST | --no-firewall-pii]',
  flags: {
    ...CATALOG_FLAGS,
    http: { kind: 'string', help: 'Serve Streamable HTTP on 127.0.0.1:PORT at /mcp instead of stdio (0 picks a free port).' },
    allow: { kind: 'list', help: 'Allow calls matching server/tool glob without approval (repeatable; "fs" = "fs/*").' },
    deny: { kind: 'list', help: 'Deny calls matching server/tool glob (repeatable; the most specific rule wins).' },
    'allow-all': { kind: 'boolean', help: 'Allow every call, including tools that may change things.' },
    ask: { kind: 'boolean', help: 'Not available: approvals go to the MCP client (elicitation) or are denied.' },
    concurrency: { kind: 'number', help: `Scripts that run at once, across all sessions (default ${DEFAULT_MCP_CONCURRENCY}); further runs queue fairly per session.` },
    'max-timeout-ms': { kind: 'number', help: `Longest run in milliseconds; run_code's timeoutMs may only lower it (default ${DEFAULT_LIMITS.timeoutMs}).` },
    'no-typecheck': { kind: 'boolean', help: 'Run scripts without the pre-run type check.' },
    'trace-dir': { kind: 'string', help: 'Where run traces are written (default .toolweaver/traces in the working folder).' },
    firewall: { kind: 'list', help: 'Privacy firewall: categories withheld from the model as placeholders, comma-separated (secrets, emails, phones, cards, ids; default all; secrets always).' },
    'no-firewall-pii': { kind: 'boolean', help: 'Privacy firewall: withhold secrets only, show emails, phones, card and ID numbers to the model.' },
  },
  run(args, io) {
    if (args.positionals.length > 0) throw new UsageError(`mcp takes no arguments, got "${args.positionals.join(' ')}".`);
    return serve(args, io);
  },
};
