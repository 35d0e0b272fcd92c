// `toolweaver replay TRACE_ID`: re-runs a trace's script (or an edited one) against its recorded tool
// results, with no live call and no server. Exit 0 when the replay succeeds (and, with
// --expect-same-value, returns the recorded value), 3 when it fails or diverges. --json prints the
// `run --json` contract plus `replay: { replayed, live, divergence }`.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { bool, str, type FlagSpec } from '../args';
import { APPROVAL_FLAGS, approvalPolicyFromArgs } from '../approvalArgs';
import { EXIT, type CliCommand } from '../command';
import { TraceStoreError, UsageError } from '../../core/errors';
import { replayRun, replaySource, type LiveFallback } from '../../core/replay/replayRun';
import { showStored } from '../../core/replay/tape';
import { createSandbox } from '../../core/sandbox/sandbox';
import { createTraceStore, DEFAULT_TRACE_DIR } from '../../core/trace/store';
import type { LoadedCatalog } from '../../core/catalog/loadCatalog';
import { describeFailures, loadCatalogFromArgs } from './catalog';
import { limitsFromArgs, printRunReport } from './run';
import { onShutdown } from '../shutdown';

const flags: FlagSpec = {
  script: { kind: 'string', help: 'replay this (edited) script instead of the one recorded in the trace' },
  'trace-dir': { kind: 'string', help: `trace directory (default: ${DEFAULT_TRACE_DIR} under the current directory)` },
  json: { kind: 'boolean', help: 'print exactly one JSON object: the run result plus `replay`' },
  'live-on-divergence': { kind: 'boolean', help: 'send calls the trace cannot answer to the live servers (of --config; approvals apply) instead of stopping' },
  'expect-same-value': { kind: 'boolean', help: 'fail (exit 3) unless the replay returns the value the recorded run returned' },
  config: { kind: 'string', help: 'with --live-on-divergence: MCP config file (default: .vscode/mcp.json, else the embedded demo)' },
  input: { kind: 'list', help: 'with --live-on-divergence: value for ${input:id} as id=value' },
  'connect-timeout-ms': { kind: 'number', help: 'with --live-on-divergence: per-server connect timeout in milliseconds' },
  'timeout-ms': { kind: 'number', help: 'wall clock of the replay in milliseconds (default: the recorded run\'s)' },
  language: { kind: 'string', help: 'ts or js (default: the recorded language, or by the --script extension)' },
  ...APPROVAL_FLAGS,
};

export const replayCommand: CliCommand = {
  name: 'replay',
  summary: 'Re-run a recorded run against its trace (no live tool call); find where an edited script diverges',
  usage: 'toolweaver replay TRACE_ID [--script FILE] [--trace-dir DIR] [--json] [--expect-same-value] [--live-on-divergence [--config FILE] [--allow GLOB ...]]',
  flags,
  async run(args, io) {
    const [id, ...extra] = args.positionals;
    if (!id) throw new UsageError('Name the trace to replay (see toolweaver traces list).');
    if (extra.length) throw new UsageError(`Unexpected argument "${extra[0]}".`);
    const live = bool(args, 'live-on-divergence');
    if (!live && (str(args, 'config') !== undefined)) throw new UsageError('--config is only used with --live-on-divergence (a replay needs no server).');
    const language = str(args, 'language');
    if (language !== undefined && language !== 'ts' && language !== 'js') throw new UsageError(`--language must be ts or js, not "${language}".`);
    const json = bool(args, 'json');
    const store = createTraceStore({ dir: path.resolve(io.cwd, str(args, 'trace-dir') ?? DEFAULT_TRACE_DIR) });
    let trace;
    try {
      trace = await store.read(id);
    } catch (err) {
      if (TraceStoreError.is(err)) throw new UsageError(err.message);
      throw err;
    }
    if (trace.status === 'running') throw new UsageError(`Trace ${trace.id} is still running; replay it when it has finished.`);
    const scriptFile = str(args, 'script');
    let source: string;
    let lang: 'ts' | 'js';
    if (scriptFile !== undefined) {
      try {
        source = await readFile(path.resolve(io.cwd, scriptFile), 'utf8');
      } catch (err) {
        throw new UsageError(`Cannot read the script ${scriptFile}: ${(err as NodeJS.ErrnoException).code ?? String(err)}.`);
      }
      lang = (language as 'ts' | 'js' | undefined) ?? (/\.[cm]?js$/i.test(scriptFile) ? 'js' : 'ts');
    } else {
      const recorded = replaySource(trace);
      if (!recorded.ok) throw new UsageError(recorded.message);
      source = recorded.source;
      lang = (language as 'ts' | 'js' | undefined) ?? recorded.language;
    }
    const limits = limitsFromArgs(args);
    let loaded: LoadedCatalog | undefined;
    let fallback: LiveFallback | undefined;
    if (live) {
      const { policy } = await approvalPolicyFromArgs(args, io);
      loaded = await loadCatalogFromArgs(args, io, { connectTimeoutFlag: 'connect-timeout-ms' });
      for (const line of describeFailures(loaded.catalog)) io.err(`Warning: ${line}`);
      fallback = { catalog: loaded.catalog, invoker: loaded.invoker, secrets: loaded.secrets, approvals: { policy, whyNoBroker: 'toolweaver replay cannot ask anyone (it is non-interactive)' } };
    }
    const sandbox = createSandbox({ poolSize: 1, memoryMb: limits.memoryMb ?? trace.limits.memoryMb });
    const abort = new AbortController();
    const offShutdown = onShutdown(() => abort.abort());
    try {
      const replayed = await replayRun({
        trace,
        source,
        scriptPath: scriptFile === undefined ? trace.script.path : path.resolve(io.cwd, scriptFile),
        language: lang,
        store,
        sandbox,
        live: fallback,
        signal: abort.signal,
        origin: 'cli',
        ...(Object.keys(limits).length ? { limits: { ...trace.limits, ...limits } } : {}),
      });
      const { result, replay } = replayed;
      const divergence = replay.divergences[0];
      const expectSame = bool(args, 'expect-same-value');
      const sameValueFailed = expectSame && result.ok && !replayed.sameValue;
      const summary = { replayed: replay.replayed, live: replay.live, divergence: divergence ?? null, sameValue: replayed.sameValue, of: trace.id };
      const extra = json
        ? { traceId: replayed.trace.id, traceFile: replayed.traceFile, replay: summary }
        : { trace: replayed.trace.id, replayed: `${replay.replayed} call(s) from ${trace.id}`, live: replay.live };
      printRunReport({ result, extra }, io, json);
      if (!json) {
        if (divergence && replay.live > 0) io.err(`${replay.divergences.length} divergence(s) went live; the first: ${divergence.message}`);
        if (expectSame) io.err(replayed.sameValue ? 'Same value as the recorded run.' : `The value differs from the recorded run's: ${trace.value ? showStored(trace.value) : '(none)'}.`);
      }
      return result.ok && !sameValueFailed ? EXIT.ok : EXIT.scriptFailed;
    } finally {
      offShutdown();
      await sandbox.dispose();
      await loaded?.close();
    }
  },
};
