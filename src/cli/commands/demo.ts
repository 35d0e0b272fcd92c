// `toolweaver demo` (what `npm start` runs): the embedded demo catalog, a demo script that uses
// several helpers, and a plain account of what happened: calls, helpers, the value, the trace
// and the context tokens it saved.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { policyFromFlags } from '../../core/approvals/approvals';
import { loadCatalog } from '../../core/catalog/loadCatalog';
import { DEMO_SCRIPT, DEMO_SCRIPT_NAME } from '../../core/demo/demoScript';
import { executeRun } from '../../core/run/executeRun';
import { formatTokenAccount } from '../../core/tokens/format';
import type { Trace } from '../../core/trace/schema';
import { bool, str } from '../args';
import { EXIT, type CliCommand } from '../command';

function describeTrace(trace: Trace): string[] {
  const lines: string[] = [];
  const byTool = new Map<string, { calls: number; failed: number; cached: number }>();
  const helpers = new Map<string, number>();
  for (const s of trace.spans) {
    if (s.kind === 'tool') {
      const k = `${s.server}.${s.tool}`;
      const e = byTool.get(k) ?? { calls: 0, failed: 0, cached: 0 };
      e.calls++;
      if (s.status !== 'ok') e.failed++;
      if (s.cached) e.cached++;
      byTool.set(k, e);
    } else if (!['attempt', 'item', 'level', 'step'].includes(s.helper)) {
      helpers.set(s.helper, (helpers.get(s.helper) ?? 0) + 1);
    }
  }
  lines.push('Tool calls:');
  for (const [k, e] of byTool) lines.push(`  ${k.padEnd(28)} ${String(e.calls).padStart(3)} call(s)${e.failed ? `, ${e.failed} failed (retried)` : ''}${e.cached ? `, ${e.cached} from cache` : ''}`);
  if (helpers.size) lines.push(`Helpers: ${[...helpers].map(([h, n]) => `${h} ×${n}`).join(', ')}`);
  lines.push(`Peak parallel tool calls: ${trace.stats.peakConcurrency}`);
  return lines;
}

export const demoCommand: CliCommand = {
  name: 'demo',
  summary: 'Run a demo script against the embedded demo CRM and explain what it did',
  usage: 'toolweaver demo [--json] [--print-script] [--save-script FILE]',
  flags: {
    json: { kind: 'boolean', help: 'Print the run as one JSON object' },
    'print-script': { kind: 'boolean', help: 'Print the demo script and exit' },
    'save-script': { kind: 'string', help: 'Write the demo script to FILE (to edit and `toolweaver run` it)' },
    'no-raw-tape': { kind: 'boolean', help: 'Keep no raw tape of the tool results beside the trace (the run then cannot be replayed: its results hold redacted emails)' },
  },
  async run(args, io) {
    if (bool(args, 'print-script')) {
      io.out(DEMO_SCRIPT);
      return EXIT.ok;
    }
    const save = str(args, 'save-script');
    if (save) {
      await writeFile(path.resolve(io.cwd, save), DEMO_SCRIPT);
      io.out(`Wrote the demo script to ${save}. Run it with: toolweaver run ${save}`);
      return EXIT.ok;
    }
    // An empty folder has no mcp.json, so loadCatalog uses the embedded demo server in-process.
    const loaded = await loadCatalog({ cwd: path.join(io.cwd, '.toolweaver', 'demo-cwd-does-not-exist'), useDemoWhenEmpty: true });
    try {
      const tools = loaded.catalog.servers.reduce((n, s) => n + s.tools.length, 0);
      if (!bool(args, 'json')) {
        io.out(`ToolWeaver demo: the embedded CRM server (${tools} tools, thousands of records), running ${DEMO_SCRIPT_NAME} in the QuickJS sandbox.`);
        io.out('(toolweaver demo --print-script shows the script.)\n');
      }
      // The CLI's default policy, as `toolweaver run` applies it: the demo script only reads, so no
      // allow is needed (and none is given: a script saved with --save-script runs the same way).
      const { result, trace, traceFile, decisions } = await executeRun({
        source: DEMO_SCRIPT,
        scriptPath: DEMO_SCRIPT_NAME,
        catalog: loaded.catalog,
        invoker: loaded.invoker,
        approvals: { policy: policyFromFlags({}), whyNoBroker: 'toolweaver demo cannot ask anyone' },
        secrets: loaded.secrets,
        cwd: io.cwd,
        origin: 'cli-demo',
        keepRawTape: !bool(args, 'no-raw-tape'),
      });
      if (bool(args, 'json')) {
        io.out(JSON.stringify({ ok: result.ok, ...(result.ok ? { value: result.value } : { error: result.error }), logs: result.logs, stats: result.stats, traceId: trace.id, traceFile, tokens: trace.tokens }));
        return result.ok ? EXIT.ok : EXIT.scriptFailed;
      }
      for (const l of result.logs) io.out(`[console.${l.level}] ${l.text}`);
      io.out('');
      for (const line of describeTrace(trace)) io.out(line);
      const denied = decisions.filter((d) => d.outcome === 'denied').length;
      io.out(`Approvals: the CLI's default policy (read-only tools run; tools that may change things are denied unless --allow/--allow-all/--policy allow them): ${decisions.length - denied} call(s) allowed, ${denied} denied.`);
      io.out('');
      if (result.ok) io.out(`Result:\n${JSON.stringify(result.value, null, 2)}`);
      else io.err(`The demo script failed (${result.error.code}): ${result.error.message}`);
      io.out(`\nRun ${trace.status} in ${Math.round(result.stats.durationMs)} ms with ${result.stats.toolCalls} tool calls.`);
      if (trace.tokens) io.out(`\n${formatTokenAccount(trace.tokens)}`);
      io.out(`\nTrace: ${traceFile}\n  toolweaver traces show ${trace.id}\n  toolweaver traces export ${trace.id} --format chrome --out trace.json   (opens in Perfetto)`);
      io.out(`\nThe same review as a skill (a saved, typed workflow; see docs/skills.md):\n  toolweaver skills run account_review --input '{"region":"emea","limit":3}'\n  toolweaver skills save ${trace.id} --name my_review   (save this run as one)`);
      return result.ok ? EXIT.ok : EXIT.scriptFailed;
    } finally {
      await loaded.close();
    }
  },
};
