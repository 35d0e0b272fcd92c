// `toolweaver mcp`: serves run_code, search_tools and describe_tool in front of the configured
// catalog over stdio (default) or Streamable HTTP on 127.0.0.1 (a bearer token and an Origin check in
// front, see httpAccess.ts). In stdio mode stdout carries only JSON-RPC; messages go to stderr.
// Approvals: flags and policy files first, then the client's user via elicitation when the client
// supports it, else a denial that names the flag to use.
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { bool, list, num, str, type ParsedArgs } from '../args';
import { APPROVAL_FLAGS, approvalPolicyFromArgs } from '../approvalArgs';
import { EXIT, type CliCommand, type CliIo } from '../command';
import { CATALOG_FLAGS, loadCatalogFromArgs } from './catalog';
import { otlpFromArgs } from './run';
import { createExecuteRunCode, scheduledRunCode, type ExecuteRunCodeOptions } from '../../core/agents/runCode';
import { parseFirewallCategories } from '../../core/firewall/categories';
import { createPrivacyVault } from '../../core/firewall/vault';
import { stubDeclarations } from '../../core/discovery/stubText';
import { searchTools } from '../../core/discovery/toolSearch';
import { createTypeChecker } from '../../core/agents/typeCheck';
import { serveHttp } from '../../core/demo/serveHttp';
import { UsageError } from '../../core/errors';
import { createHttpAccess, generateToken, MCP_TOKEN_ENV, MIN_TOKEN_LENGTH, tokenProblem, type HttpAccessOptions } from '../../core/mcpServer/httpAccess';
import { createToolWeaverMcpServer } from '../../core/mcpServer/toolWeaverServer';
import { loadWorkspaceSkills } from '../../core/skills/workspaceSkills';
import { skillsDeclarationFile } from '../../core/skills/declarations';
import { createFairScheduler } from '../../core/run/fairScheduler';
import { createSandbox } from '../../core/sandbox/sandbox';
import { DEFAULT_LIMITS } from '../../core/sandbox/types';
import { untilShutdown } from '../shutdown';
import { createStoreFigures } from '../../core/trace/toolFigures';
import { createTraceStore, DEFAULT_TRACE_DIR } from '../../core/trace/store';

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

/** The HTTP access settings the flags ask for; `generated` when the token was made here (printed). */
function httpAccessFromArgs(args: ParsedArgs, io: CliIo, http: boolean): { access: HttpAccessOptions; generated: boolean; from?: string } {
  const flagToken = str(args, 'token');
  const envToken = io.env[MCP_TOKEN_ENV];
  const noAuth = bool(args, 'no-auth');
  const allowOrigins = list(args, 'allow-origin');
  if (!http) {
    const stray = ['token', 'no-auth', 'allow-origin'].find((f) => args.flags[f] !== undefined);
    if (stray) throw new UsageError(`--${stray} applies to --http only: over stdio the client that started toolweaver mcp is the only one that can talk to it.`);
    return { access: {}, generated: false };
  }
  for (const o of allowOrigins) {
    if (!/^[a-z][a-z0-9+.-]*:\/\/[^\s/]+$/i.test(o)) throw new UsageError(`--allow-origin needs an origin such as http://127.0.0.1:5173 or vscode-webview://* (scheme://host[:port], no path), not "${o}".`);
  }
  if (noAuth) {
    if (flagToken !== undefined) throw new UsageError('--no-auth and --token contradict each other: choose one.');
    return { access: { allowOrigins }, generated: false };
  }
  const given = flagToken ?? (envToken === undefined || envToken === '' ? undefined : envToken);
  if (given !== undefined) {
    const from = flagToken !== undefined ? '--token' : MCP_TOKEN_ENV;
    const problem = tokenProblem(given);
    if (problem) throw new UsageError(`The token from ${from} is too weak or malformed: ${problem}.`);
    return { access: { token: given, allowOrigins }, generated: false, from };
  }
  return { access: { token: generateToken(), allowOrigins }, generated: true };
}

async function serve(args: ParsedArgs, io: CliIo): Promise<number> {
  const httpPort = str(args, 'http');
  const port = httpPort === undefined ? undefined : parsePort(httpPort);
  const http = httpAccessFromArgs(args, io, port !== undefined);
  if (bool(args, 'ask')) {
    throw new UsageError('--ask is not available for toolweaver mcp: calls that need approval are asked through the MCP client when it supports elicitation, and denied otherwise. Allow them up front with --allow GLOB (e.g. --allow "demo/*"), --allow-all or --policy FILE.');
  }
  const concurrency = num(args, 'concurrency') ?? DEFAULT_MCP_CONCURRENCY;
  if (!Number.isInteger(concurrency) || concurrency > MAX_MCP_CONCURRENCY) {
    throw new UsageError(`--concurrency needs a whole number of scripts between 1 and ${MAX_MCP_CONCURRENCY}, not "${concurrency}".`);
  }
  const maxTimeoutMs = num(args, 'max-timeout-ms') ?? DEFAULT_LIMITS.timeoutMs;
  // Before the servers start: a bad policy file is a usage problem, not a reason to spawn them.
  const { policy, timeoutMs: approvalTimeoutMs } = await approvalPolicyFromArgs(args, io);
  const firewall = parseFirewallCategories(list(args, 'firewall'), bool(args, 'no-firewall-pii'));
  const otlp = otlpFromArgs(args, io);
  const loaded = await loadCatalogFromArgs(args, io);
  const { catalog } = loaded;
  // One worker per slot: a script that loops until its timeout holds one slot, never the others.
  const sandbox = createSandbox({ poolSize: concurrency });
  const scheduler = createFairScheduler(concurrency);
  // Skills: each a tool of its own (skill_<name>) and `skills.*` in run_code scripts; a broken file is named, never fatal.
  const skillSet = bool(args, 'no-skills')
    ? undefined
    : await loadWorkspaceSkills({ cwd: io.cwd, dir: str(args, 'skills'), sandbox, embeddedDemo: loaded.origin === 'demo' });
  for (const b of skillSet?.broken ?? []) io.err(`Warning: ${b.message}`);
  const skills = skillSet?.skills ?? [];
  const checker = bool(args, 'no-typecheck') ? undefined : createTypeChecker({ declarations: () => [...stubDeclarations(catalog), skillsDeclarationFile(skills)] });
  // Warm the compiler while the client connects; a failure shows on the first check instead.
  void checker?.warm().catch(() => undefined);
  searchTools(catalog, '', { limit: 1 }); // builds the search index once, before the first query
  // search_tools, describe_tool and tools.search/describe in scripts show (and rank by) what this folder's traces observed.
  const figures = createStoreFigures(createTraceStore({ dir: path.resolve(io.cwd, str(args, 'trace-dir') ?? DEFAULT_TRACE_DIR) }));
  const runOptions: ExecuteRunCodeOptions = {
    sandbox,
    catalog,
    invoker: loaded.invoker,
    secrets: loaded.secrets,
    cwd: io.cwd,
    traceDir: str(args, 'trace-dir'),
    skills,
    otlp,
    observed: () => figures.current(),
    approvals: {
      policy,
      timeoutMs: approvalTimeoutMs,
      whyNoBroker: 'this MCP client cannot ask its user (it did not declare the elicitation capability)',
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
      observed: () => figures.current(),
      runCode: scheduledRunCode(createExecuteRunCode({ ...runOptions, firewall: createPrivacyVault({ categories: firewall }) }), scheduler, randomUUID()),
      maxTimeoutMs,
      skills,
      typeCheck: checker ? (code, language) => checker.check(code, { language }) : undefined,
    });
  const tools = catalog.servers.reduce((n, s) => n + s.tools.length, 0);
  if (policy.default !== 'allow') {
    io.err('Approvals: calls to tools that may change things (not annotated read-only) are asked through the MCP client when it supports elicitation and denied otherwise, unless --allow, --allow-all or --policy allow them.');
  }
  try {
    if (port === undefined) {
      const server = make();
      const transport = new StdioServerTransport();
      const closed = untilShutdown((done) => {
        transport.onclose = done;
        process.stdin.once('end', done);
      });
      await server.connect(transport);
      io.err(`ToolWeaver MCP server on stdio: run_code, search_tools, describe_tool over ${tools} tools${skills.length ? `, and ${skills.length} skill tool(s) (${skills.map((s) => `skill_${s.name}`).join(', ')})` : ''}. Close stdin or press Ctrl+C to stop.`);
      await closed;
      await server.close();
    } else {
      const serving = await serveHttp(make, { port, gate: createHttpAccess(http.access) });
      io.err(`ToolWeaver MCP server listening on ${serving.url} (Streamable HTTP, 127.0.0.1 only) over ${tools} tools. Press Ctrl+C to stop.`);
      // The token goes to stderr only (this terminal), never into traces or log files.
      if (http.generated) io.err(`Clients must send the header "Authorization: Bearer ${http.access.token}" (a token made for this start; pass --token or set ${MCP_TOKEN_ENV} to keep one across restarts).`);
      else if (http.from) io.err(`Clients must send "Authorization: Bearer <token>" with the token from ${http.from}.`);
      else io.err('Warning: --no-auth: any program on this machine can call these tools. Browser pages are still held to loopback Origins (and --allow-origin).');
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
  usage: 'toolweaver mcp [--config FILE | --catalog FILE] [--openapi NAME=SPEC ...] [--http PORT [--token TOKEN | --no-auth] [--allow-origin ORIGIN]...] [--concurrency N] [--max-timeout-ms N] [--allow GLOB]... [--deny GLOB]... [--allow-all] [--policy FILE] [--firewall LIST | --no-firewall-pii] [--skills DIR | --no-skills]',
  flags: {
    ...CATALOG_FLAGS,
    http: { kind: 'string', help: 'Serve Streamable HTTP on 127.0.0.1:PORT at /mcp instead of stdio (0 picks a free port). Clients need the bearer token; browser pages need a loopback Origin.' },
    token: { kind: 'string', help: `With --http: the bearer token clients must send (at least ${MIN_TOKEN_LENGTH} characters; default: $${MCP_TOKEN_ENV}, else a new one printed on stderr). Prefer the variable: a flag shows in the process list.` },
    'no-auth': { kind: 'boolean', help: 'With --http: no token at all; any program on this machine can call the tools (the Origin check stays).' },
    'allow-origin': { kind: 'list', help: 'With --http: also accept browser requests from this Origin (repeatable; exact, or a glob such as vscode-webview://*). Loopback Origins are always accepted.' },
    ...APPROVAL_FLAGS,
    ask: { kind: 'boolean', help: 'Not available: approvals go to the MCP client (elicitation) or are denied.' },
    concurrency: { kind: 'number', help: `Scripts that run at once, across all sessions (default ${DEFAULT_MCP_CONCURRENCY}); further runs queue fairly per session.` },
    'max-timeout-ms': { kind: 'number', help: `Longest run in milliseconds; run_code's timeoutMs may only lower it (default ${DEFAULT_LIMITS.timeoutMs}).` },
    'no-typecheck': { kind: 'boolean', help: 'Run scripts without the pre-run type check.' },
    'trace-dir': { kind: 'string', help: 'Where run traces are written (default .toolweaver/traces in the working folder).' },
    skills: { kind: 'string', help: 'The skills folder (default .toolweaver/skills); each skill is served as the tool skill_<name>.' },
    'no-skills': { kind: 'boolean', help: 'Serve no skill tools and no `skills` global.' },
    otlp: { kind: 'string', help: 'Push each finished trace to this OpenTelemetry collector (OTLP/HTTP, e.g. http://127.0.0.1:4318); a collector that is down never fails a run.' },
    firewall: { kind: 'list', help: 'Privacy firewall: categories withheld from the model as placeholders, comma-separated (secrets, emails, phones, cards, ids; default all; secrets always).' },
    'no-firewall-pii': { kind: 'boolean', help: 'Privacy firewall: withhold secrets only, show emails, phones, card and ID numbers to the model.' },
  },
  run(args, io) {
    if (args.positionals.length > 0) throw new UsageError(`mcp takes no arguments, got "${args.positionals.join(' ')}".`);
    return serve(args, io);
  },
};
