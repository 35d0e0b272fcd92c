// `toolweaver traces list|show ID|export ID --format otlp|chrome [--out FILE]`: reads the trace
// store (default `<cwd>/.toolweaver/traces`). Ids are validated by the store; files are never
// named from anything but an id.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { bool, num, str, type FlagSpec } from '../args';
import { EXIT, type CliCommand, type CliIo } from '../command';
import { describeSystemError, IoError, systemErrorCode, TraceStoreError, UsageError } from '../../core/errors';
import { describeWithheld } from '../../core/firewall/words';
import { formatTokenAccount } from '../../core/tokens/format';
import { toChromeTrace } from '../../core/trace/chrome';
import { toOtlpJson } from '../../core/trace/otlp';
import type { Span, Trace } from '../../core/trace/schema';
import { createTraceStore, DEFAULT_TRACE_DIR, type TraceSummary } from '../../core/trace/store';

const flags: FlagSpec = {
  dir: { kind: 'string', help: `trace directory (default: ${DEFAULT_TRACE_DIR} under the current directory)` },
  json: { kind: 'boolean', help: 'list/show: print JSON' },
  limit: { kind: 'number', help: 'list: at most this many traces (newest first; default 20)' },
  format: { kind: 'string', help: 'export: otlp (OpenTelemetry OTLP/JSON) or chrome (trace-event JSON for Perfetto)' },
  out: { kind: 'string', help: 'export: write to this file instead of stdout' },
};

function ms(x: number | undefined): string {
  return x === undefined ? '-' : x < 1000 ? `${Math.round(x)} ms` : `${(x / 1000).toFixed(2)} s`;
}

function listLine(t: TraceSummary): string {
  const saved = t.reduction !== undefined ? `${(t.reduction * 100).toFixed(1)} % tokens saved` : '';
  const err = t.errorCode ? ` (${t.errorCode})` : '';
  return [t.id, `${t.status}${err}`.padEnd(22), ms(t.durationMs).padStart(9), `${t.toolCalls} calls`.padStart(9), saved, t.scriptPath ?? ''].join('  ').trimEnd();
}

function spanLine(s: Span, depth: number): string {
  const pad = '  '.repeat(depth + 1);
  const time = `${ms(s.startMs)} +${ms((s.endMs ?? s.startMs) - s.startMs)}`;
  if (s.kind === 'helper') {
    const attrs = Object.entries(s.attrs)
      .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
      .join(' ');
    return `${pad}${s.helper} [${s.status}] ${time}${attrs ? ` ${attrs}` : ''}${s.error ? ` — ${s.error.message}` : ''}`;
  }
  const flags = [s.cached ? 'cached' : '', s.attempt > 1 ? `attempt ${s.attempt}` : '', s.line ? `line ${s.line}` : ''].filter(Boolean).join(', ');
  const size = s.result ? ` → ${s.result.bytes} B${s.result.truncated ? ' (truncated)' : ''}` : '';
  return `${pad}${s.server}.${s.tool} [${s.status}] ${time}${flags ? ` (${flags})` : ''}${size}${s.error ? ` — ${s.error.code}: ${s.error.message}` : ''}`;
}

/** The human-readable view of one trace. */
export function formatTrace(t: Trace): string {
  const lines = [
    `Trace ${t.id}: ${t.status}${t.error ? ` — ${t.error.name} (${t.error.code})${t.error.line ? ` at line ${t.error.line}` : ''}: ${t.error.message}` : ''}`,
    `  script   ${t.script.path ?? '(inline)'}  sha256 ${t.script.sha256.slice(0, 12)}  ${t.script.bytes} B  ${t.script.language}`,
    `  started  ${t.startedAt}  duration ${ms(t.endedAtMs !== undefined ? t.endedAtMs - t.startedAtMs : undefined)}`,
    `  catalog  ${t.catalogId}${t.origin ? `  origin ${t.origin}` : ''}`,
    `  ${t.stats.toolCalls} tool call(s), ${t.stats.cachedCalls} cached, ${t.stats.failedToolCalls} failed, peak ${t.stats.peakConcurrency} in flight; ${t.redactions} redaction(s); ${t.truncations.length} value(s) truncated`,
  ];
  if (t.withheld && t.withheld.total > 0) lines.push(`  withheld from the model: ${describeWithheld(t.withheld)}`);
  if (t.spans.length > 0) {
    lines.push('Spans:');
    const children = new Map<string | undefined, Span[]>();
    const ids = new Set(t.spans.map((s) => s.id));
    for (const s of t.spans) {
      const parent = s.parentId !== undefined && ids.has(s.parentId) ? s.parentId : undefined;
      children.set(parent, [...(children.get(parent) ?? []), s]);
    }
    const walk = (parent: string | undefined, depth: number): void => {
      for (const s of children.get(parent) ?? []) {
        lines.push(spanLine(s, depth));
        if (depth < 50) walk(s.id, depth + 1);
      }
    };
    walk(undefined, 0);
  }
  if (t.logs.length > 0) {
    lines.push('Logs:');
    for (const l of t.logs) lines.push(`  [${l.level} ${ms(l.t)}] ${l.text}`);
  }
  if (t.value) lines.push(`Value (${t.value.bytes} B${t.value.truncated ? ', truncated' : ''}):`, `  ${t.value.preview ?? JSON.stringify(t.value.value)}`);
  if (t.tokens) lines.push(formatTokenAccount(t.tokens));
  return lines.join('\n');
}

export const tracesCommand: CliCommand = {
  name: 'traces',
  summary: 'List, show and export the traces of past runs',
  usage: 'toolweaver traces list [--limit N] [--json] | show ID [--json] | export ID --format otlp|chrome [--out FILE]   [--dir DIR]',
  flags,
  async run(args, io: CliIo) {
    const [sub, id, ...extra] = args.positionals;
    if (extra.length) throw new UsageError(`Unexpected argument "${extra[0]}".`);
    const store = createTraceStore({ dir: path.resolve(io.cwd, str(args, 'dir') ?? DEFAULT_TRACE_DIR) });
    const json = bool(args, 'json');
    try {
      switch (sub) {
        case 'list': {
          if (id !== undefined) throw new UsageError(`Unexpected argument "${id}".`);
          const { traces, corrupt } = await store.list({ limit: num(args, 'limit') ?? 20 });
          if (json) io.out(JSON.stringify({ dir: store.dir, traces, corrupt }));
          else if (traces.length === 0) io.out(`No traces in ${store.dir}.`);
          else for (const t of traces) io.out(listLine(t));
          for (const c of corrupt) io.err(`Warning: unreadable trace ${c.id}: ${c.message}`);
          return EXIT.ok;
        }
        case 'show': {
          if (id === undefined) throw new UsageError('Name the trace to show: toolweaver traces show ID.');
          const t = await store.read(id);
          io.out(json ? JSON.stringify(t) : formatTrace(t));
          return EXIT.ok;
        }
        case 'export': {
          if (id === undefined) throw new UsageError('Name the trace to export: toolweaver traces export ID --format otlp|chrome.');
          const format = str(args, 'format');
          if (format !== 'otlp' && format !== 'chrome') throw new UsageError(`--format must be otlp or chrome${format ? `, not "${format}"` : ''}.`);
          const t = await store.read(id);
          const text = JSON.stringify(format === 'otlp' ? toOtlpJson(t) : toChromeTrace(t));
          const out = str(args, 'out');
          if (out) {
            const file = path.resolve(io.cwd, out);
            try {
              await writeFile(file, text + '\n', 'utf8');
            } catch (err) {
              if (!systemErrorCode(err)) throw err;
              throw new IoError('unwritable', `Cannot write the export to ${file} (${describeSystemError(err)}). Choose another --out path or fix its permissions.`, { target: file, cause: err });
            }
            io.err(`Wrote ${format === 'otlp' ? 'OTLP/JSON' : 'Chrome trace-event JSON'} of ${t.id} to ${file}.`);
          } else {
            io.out(text);
          }
          return EXIT.ok;
        }
        default:
          throw new UsageError(sub ? `Unknown subcommand "${sub}": use list, show or export.` : 'Use traces list, traces show ID or traces export ID --format otlp|chrome.');
      }
    } catch (err) {
      if (TraceStoreError.is(err)) {
        io.err(`Error: ${err.message}`);
        return EXIT.usage;
      }
      throw err;
    }
  },
};
