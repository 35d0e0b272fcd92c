// `toolweaver run SCRIPT`: runs a TypeScript/JavaScript script in the sandbox against the catalog's
// tools and prints the outcome. With --json, stdout carries exactly one JSON object (the result
// contract) and nothing else; everything else goes to stderr. Exit 0 ok, 3 script failed.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { bool, list, num, str, type FlagSpec, type ParsedArgs } from '../args';
import { APPROVAL_FLAGS, approvalPolicyFromArgs } from '../approvalArgs';
import { PRICING_FLAGS, pricingFromArgs } from '../pricingArgs';
import { EXIT, type CliCommand, type CliIo } from '../command';
import type { ApprovalPolicy, ApprovalSetup } from '../../core/approvals/approvals';
import { describeCause, UsageError } from '../../core/errors';
import { parseFirewallCategories } from '../../core/firewall/categories';
import { describeWithheld } from '../../core/firewall/words';
import { createPrivacyVault } from '../../core/firewall/vault';
import { runError } from '../../core/sandbox/runErrors';
import { MAX_MEMORY_MB, MIN_MEMORY_MB } from '../../core/sandbox/limits';
import { createSandbox } from '../../core/sandbox/sandbox';
import { executeRun } from '../../core/run/executeRun';
import { createOtlpPusher, type OtlpPusher } from '../../core/trace/otlpPush';
import { formatTokenAccount } from '../../core/tokens/format';
import type { RunLimits, RunResult } from '../../core/sandbox/types';
import type { Catalog } from '../../core/catalog/types';
import { stubDeclarations } from '../../core/discovery/stubText';
import { createTypeChecker, formatDiagnostics, type TypeDiagnostic } from '../../core/agents/typeCheck';
import { describeFailures, loadCatalogFromArgs, OPENAPI_HELP } from './catalog';
import { usesSkills, type Skill } from '../../core/skills/skillSet';
import { loadWorkspaceSkills } from '../../core/skills/workspaceSkills';
import { skillsDeclarationFile } from '../../core/skills/declarations';
import { onShutdown } from '../shutdown';
import { createStoreFigures } from '../../core/trace/toolFigures';
import { createTraceStore, DEFAULT_TRACE_DIR } from '../../core/trace/store';

const flags: FlagSpec = {
  config: { kind: 'string', help: 'MCP config file in VS Code format (default: .vscode/mcp.json, else the embedded demo)' },
  catalog: { kind: 'string', help: 'offline catalog file instead of live servers' },
  openapi: { kind: 'list', help: OPENAPI_HELP },
  input: { kind: 'list', help: 'value for ${input:id} as id=value (repeatable; also env TOOLWEAVER_INPUT_<ID>)' },
  json: { kind: 'boolean', help: 'print exactly one JSON object (the run result) on stdout' },
  'no-raw-tape': { kind: 'boolean', help: 'keep no raw tape of the tool results beside the trace (then calls whose recorded result was redacted cannot be replayed)' },
  'timeout-ms': { kind: 'number', help: 'wall clock of the run in milliseconds (default 30000)' },
  'memory-mb': { kind: 'number', help: `sandbox memory in MiB (default 64, ${MIN_MEMORY_MB}–${MAX_MEMORY_MB})` },
  'max-tool-calls': { kind: 'number', help: 'tool calls per run (default 256)' },
  'max-concurrency': { kind: 'number', help: 'tool calls in flight at once (default 32)' },
  'tool-timeout-ms': { kind: 'number', help: 'timeout of each tool call in milliseconds (default 15000)' },
  'connect-timeout-ms': { kind: 'number', help: 'per-server connect timeout in milliseconds (default 10000)' },
  language: { kind: 'string', help: 'ts or js (default: js for .js/.mjs/.cjs files, else ts)' },
  'trace-dir': { kind: 'string', help: 'where the run\'s trace is written (default: .toolweaver/traces)' },
  otlp: { kind: 'string', help: 'push the finished trace to this OpenTelemetry collector (OTLP/HTTP, e.g. http://127.0.0.1:4318); a collector that is down never fails the run' },
  ...APPROVAL_FLAGS,
  ...PRICING_FLAGS,
  firewall: { kind: 'list', help: 'privacy firewall: categories printed as placeholders, comma-separated (secrets, emails, phones, cards, ids; default all; secrets always)' },
  'no-firewall-pii': { kind: 'boolean', help: 'privacy firewall: replace secrets only; print emails, phones, card and ID numbers' },
  'no-typecheck': { kind: 'boolean', help: 'run without type-checking the script against the tool stubs first' },
  skills: { kind: 'string', help: 'the skills folder a script\'s skills.<name>() calls come from (default .toolweaver/skills)' },
};

/** Every call is decided by the policy from --allow/--deny/--allow-all/--policy (the safe default
 *  without them). Nobody can be asked here: a call that needs approval is denied (catchable), with
 *  a message that names the flag that allows it. */
/** Whether a script may call tools.search()/tools.describe() (a word test, like usesSkills: a false positive only
 *  costs reading the folder's traces). */
function usesDiscovery(source: string): boolean {
  return /\b(search|describe)\b/.test(source);
}

function approvalsOf(policy: ApprovalPolicy): ApprovalSetup {
  return { policy, whyNoBroker: 'toolweaver run cannot ask anyone (it is non-interactive)' };
}

/** Data the printers get; the traces layer may add fields (trace id, token account). */
export interface RunReport {
  result: RunResult;
  /** Extra top-level fields for --json (e.g. `trace`); printed as they are. */
  extra?: Record<string, unknown>;
}

/** Prints a run: one JSON object with `json`, else value, logs and stats for people. */
export function printRunReport(report: RunReport, io: CliIo, json: boolean): void {
  const { result } = report;
  if (json) {
    io.out(safeJson({ ...result, ...report.extra }));
    return;
  }
  for (const entry of result.logs) io.err(`[${entry.level}] ${entry.text}`);
  if (result.ok) {
    io.out(result.value === undefined ? '(no value: the script did not return anything)' : safeJson(result.value, 2));
  } else {
    const e = result.error;
    const where = e.line === undefined ? '' : ` (line ${e.line}${e.column === undefined ? '' : `:${e.column}`})`;
    const tool = e.code === 'tool_error' ? ` [${e.server}.${e.tool}${e.cause ? `: ${e.cause}` : ''}]` : '';
    const skill = e.skill ? ` in skill ${e.skill.name} (${e.skill.file}:${e.skill.line}${e.skill.column === undefined ? '' : `:${e.skill.column}`})` : '';
    io.err(`${e.name} (${e.code})${where}${skill}${tool}: ${e.message}`);
  }
  const s = result.stats;
  const parts = [`${s.durationMs.toFixed(1)} ms`, `${s.toolCalls} tool call(s)`];
  if (s.cachedCalls) parts.push(`${s.cachedCalls} cached`);
  if (s.failedToolCalls) parts.push(`${s.failedToolCalls} failed`);
  if (s.peakConcurrency > 1) parts.push(`peak ${s.peakConcurrency} in flight`);
  if (s.logBytesDropped) parts.push(`${s.logBytesDropped} log bytes dropped`);
  if (s.limitHit) parts.push(`limit hit: ${s.limitHit}`);
  for (const [k, v] of Object.entries(report.extra ?? {})) parts.push(`${k}: ${typeof v === 'string' ? v : safeJson(v)}`);
  io.err(parts.join(', '));
}

/** A script that does not type-check: the errors, and how to run it anyway. */
function printTypeErrors(diags: TypeDiagnostic[], io: CliIo, json: boolean): void {
  const message = `The script has ${diags.length} type error${diags.length === 1 ? '' : 's'} against the tool stubs, so it was not run. Fix ${diags.length === 1 ? 'it' : 'them'}, or pass --no-typecheck to run it anyway.`;
  if (json) {
    io.out(safeJson({ ok: false, error: { name: 'TypeCheckError', code: 'type_errors', message }, diagnostics: diags }));
    return;
  }
  io.err(`${message}\n${formatDiagnostics(diags)}`);
}

function safeJson(value: unknown, indent?: number): string {
  try {
    return JSON.stringify(value, null, indent) ?? 'null';
  } catch (err) {
    return JSON.stringify({ ok: false, error: runError('not_serializable', `The run's report cannot be printed as JSON: ${String(err)}`) });
  }
}

/** RunLimits from the flags (unset flags keep the defaults). */
export function limitsFromArgs(args: ParsedArgs): Partial<RunLimits> {
  const limits: Partial<RunLimits> = {};
  const map: Array<[string, keyof RunLimits]> = [
    ['timeout-ms', 'timeoutMs'],
    ['memory-mb', 'memoryMb'],
    ['max-tool-calls', 'maxToolCalls'],
    ['max-concurrency', 'maxConcurrency'],
    ['tool-timeout-ms', 'toolCallTimeoutMs'],
  ];
  for (const [flag, key] of map) {
    const v = num(args, flag);
    if (v !== undefined) limits[key] = v;
  }
  // The engine would clamp it without a word; a size the user did not ask for is refused instead.
  const mb = limits.memoryMb;
  if (mb !== undefined && !(mb >= MIN_MEMORY_MB && mb <= MAX_MEMORY_MB)) {
    throw new UsageError(`--memory-mb ${mb} is out of range: the sandbox memory is ${MIN_MEMORY_MB} to ${MAX_MEMORY_MB} MiB.`);
  }
  return limits;
}

async function readScript(file: string, io: CliIo): Promise<string> {
  if (file === '-') {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  }
  try {
    return await readFile(path.resolve(io.cwd, file), 'utf8');
  } catch (err) {
    throw new UsageError(`Cannot read the script ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}.`);
  }
}

/** Longest the CLI waits for a trace push after the run's report is printed. */
const OTLP_EXIT_WAIT_MS = 1_000;

/** The OTLP pusher --otlp asks for (a bad URL is a usage error, before any server starts). */
export function otlpFromArgs(args: ParsedArgs, io: CliIo): OtlpPusher | undefined {
  const endpoint = str(args, 'otlp');
  if (endpoint === undefined) return undefined;
  try {
    return createOtlpPusher({ endpoint, logger: { debug: () => undefined, info: () => undefined, warn: (m) => io.err(`Warning: ${m}`), error: (m) => io.err(m) } });
  } catch (err) {
    throw new UsageError(`--otlp: ${describeCause(err)}`);
  }
}

export const runCommand: CliCommand = {
  name: 'run',
  summary: 'Run a TypeScript/JavaScript script against the tools in the sandbox',
  usage: 'toolweaver run SCRIPT|- [--config FILE | --catalog FILE] [--openapi NAME=SPEC ...] [--json] [--timeout-ms N] [--memory-mb N] [--max-tool-calls N] [--max-concurrency N] [--input id=value ...] [--allow GLOB ...] [--deny GLOB ...] [--allow-all] [--policy FILE] [--firewall LIST | --no-firewall-pii] [--prices FILE] [--model NAME] [--no-typecheck]',
  flags,
  async run(args, io) {
    const [file, ...extra] = args.positionals;
    if (!file) throw new UsageError('Name the script to run (or - for stdin).');
    if (extra.length) throw new UsageError(`Unexpected argument "${extra[0]}".`);
    if (str(args, 'config') && str(args, 'catalog')) throw new UsageError('Use either --config or --catalog, not both.');
    const language = str(args, 'language');
    if (language !== undefined && language !== 'ts' && language !== 'js') throw new UsageError(`--language must be ts or js, not "${language}".`);
    const limits = limitsFromArgs(args);
    const { policy } = await approvalPolicyFromArgs(args, io);
    const pricing = await pricingFromArgs(args, io);
    const otlp = otlpFromArgs(args, io);
    // The printed outcome may be read by a model (an agent running the CLI): one invocation is one
    // conversation of the privacy firewall, so placeholders in its tool calls restore nothing else.
    const firewall = createPrivacyVault({ categories: parseFirewallCategories(list(args, 'firewall'), bool(args, 'no-firewall-pii')) });
    const source = await readScript(file, io);
    const lang = (language as 'ts' | 'js' | undefined) ?? (/\.[cm]?js$/i.test(file) ? 'js' : 'ts');
    // The compiler loads while the servers connect; the check itself needs the catalog's stubs.
    const checked: { catalog?: Catalog; skills?: readonly Skill[] } = {};
    const checker = bool(args, 'no-typecheck')
      ? undefined
      : createTypeChecker({ declarations: () => (checked.catalog ? [...stubDeclarations(checked.catalog), skillsDeclarationFile(checked.skills ?? [])] : []) });
    void checker?.warm().catch(() => undefined);
    const loaded = await loadCatalogFromArgs(args, io, { connectTimeoutFlag: 'connect-timeout-ms' }).catch((err: unknown) => {
      checker?.dispose();
      throw err;
    });
    checked.catalog = loaded.catalog;
    const sandbox = createSandbox({ poolSize: 1, memoryMb: limits.memoryMb });
    // Skills only when the script mentions them: loading evaluates each file in the sandbox.
    if (usesSkills(source)) {
      const set = await loadWorkspaceSkills({ cwd: io.cwd, dir: str(args, 'skills'), sandbox, embeddedDemo: loaded.origin === 'demo' });
      for (const b of set.broken) io.err(`Warning: ${b.message}`);
      checked.skills = set.skills;
    }
    const abort = new AbortController();
    // SIGINT, SIGTERM and SIGHUP cancel the run; the finally below closes the servers.
    const offShutdown = onShutdown(() => abort.abort());
    try {
      for (const line of describeFailures(loaded.catalog)) io.err(`Warning: ${line}`);
      if (checker) {
        // A broken checker must not block runs: say so and run unchecked (as the extension does).
        const diags = await checker
          .check(source, { language: lang })
          .catch((err: unknown) => {
            io.err(`Warning: the type check is unavailable, running unchecked: ${describeCause(err)}`);
            return [];
          })
          .finally(() => checker.dispose());
        if (diags.length) {
          printTypeErrors(diags, io, bool(args, 'json'));
          return EXIT.scriptFailed;
        }
        if (abort.signal.aborted) return EXIT.scriptFailed;
      }
      // executeRun records the trace (redacted) and the token account; see src/core/run.
      const traceDir = str(args, 'trace-dir');
      const traceRoot = traceDir === undefined ? undefined : path.resolve(io.cwd, traceDir);
      // tools.search()/describe() in the script rank by and show what this folder's past runs observed (as in
      // `toolweaver mcp`); read only when the script can ask, and a store that cannot be read means no figures.
      const observed = usesDiscovery(source)
        ? await createStoreFigures(createTraceStore({ dir: traceRoot ?? path.join(io.cwd, DEFAULT_TRACE_DIR) }))
            .current()
            .catch(() => undefined)
        : undefined;
      const { result: realResult, trace, traceFile, model } = await executeRun({
        source,
        scriptPath: file === '-' ? undefined : path.resolve(io.cwd, file),
        catalog: loaded.catalog,
        invoker: loaded.invoker,
        approvals: approvalsOf(policy),
        secrets: loaded.secrets,
        sandbox,
        language: lang,
        limits,
        signal: abort.signal,
        cwd: io.cwd,
        traceDir: traceRoot,
        origin: 'cli',
        keepRawTape: !bool(args, 'no-raw-tape'),
        firewall,
        pricing,
        skills: checked.skills,
        otlp,
        observed,
      });
      // What gets printed is the firewalled copy: placeholders, never the withheld values.
      const result = model?.result ?? realResult;
      const withheld = model && model.withheld.total > 0 ? model.withheld : undefined;
      const json = bool(args, 'json');
      const extra = json
        ? { traceId: trace.id, traceFile, tokens: trace.tokens, ...(trace.approvals ? { approvals: trace.approvals } : {}), ...(withheld ? { withheld } : {}) }
        : { trace: trace.id, file: traceFile, ...(withheld ? { withheld: describeWithheld(withheld) } : {}) };
      printRunReport({ result, extra }, io, json);
      if (!json && trace.tokens) io.err(formatTokenAccount(trace.tokens));
      // The report is out; give the push a moment before the process exits (bounded: never a hang).
      await otlp?.flush(OTLP_EXIT_WAIT_MS);
      return result.ok ? EXIT.ok : EXIT.scriptFailed;
    } finally {
      offShutdown();
      await sandbox.dispose();
      await loaded.close();
    }
  },
};
