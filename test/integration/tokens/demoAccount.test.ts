// The token account on real runs against the embedded demo server: full (untruncated) results are
// counted even though the trace keeps only 16 KiB of each, and a data-heavy script saves ≥ 98.7 %.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCatalog, type LoadedCatalog } from '../../../src/core/catalog/loadCatalog';
import { executeRun } from '../../../src/core/run/executeRun';
import { createSandbox } from '../../../src/core/sandbox/sandbox';
import { toolResultText } from '../../../src/core/tokens/text';
import { loadDefaultTokenizer } from '../../../src/core/tokens/tokenizer';

let dir: string;
let loaded: LoadedCatalog;
const sandbox = createSandbox({ poolSize: 1 });

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'tw-tokens-'));
  loaded = await loadCatalog({ cwd: dir, useDemoWhenEmpty: true });
  expect(loaded.origin).toBe('demo');
});
afterAll(async () => {
  await sandbox.dispose();
  await loaded.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('token account on the demo server', () => {
  it('counts full results although the trace truncates them', async () => {
    const tokenizer = await loadDefaultTokenizer();
    const { trace } = await executeRun({
      source: 'const p = await tools.demo.list_customers({ limit: 100 });\nreturn p.customers.length;',
      catalog: loaded.catalog,
      invoker: loaded.invoker,
      sandbox,
      traceDir: dir,
      tokenizer,
    });
    const span = trace.spans[0];
    expect(span?.kind).toBe('tool');
    if (span?.kind !== 'tool') return;
    expect(span.result?.truncated).toBe(true);
    // the same call made directly: the account must have counted all of it
    const full = await loaded.invoker.callTool({ server: 'demo', tool: 'list_customers', args: { limit: 100 } }, { signal: new AbortController().signal, timeoutMs: 10_000 });
    expect(span.tokens?.result).toBe(tokenizer.count(toolResultText(full)));
    expect(span.tokens!.result).toBeGreaterThan(10_000);
    expect(trace.tokens?.approximate).toBe(false);
    expect(trace.tokens?.classic.breakdown.intermediateResults).toBe(span.tokens!.result);
  });

  it('a data-heavy script saves at least 98.7 %', async () => {
    const { result, trace } = await executeRun({
      source:
        'let cursor; let n = 0; let open = 0;\n' +
        'do { const p = await tools.demo.list_tickets({ limit: 100, cursor }); n += p.tickets.length; open += p.tickets.filter((t) => t.status === "open").length; cursor = p.nextCursor; } while (cursor && n < 1000);\n' +
        'return { n, open };',
      catalog: loaded.catalog,
      invoker: loaded.invoker,
      sandbox,
      traceDir: dir,
    });
    expect(result.ok).toBe(true);
    const a = trace.tokens!;
    expect(a.classic.waves).toBe(10);
    expect(a.savings!.reduction).toBeGreaterThanOrEqual(0.987);
    expect(a.codeModeCostMore).toBe(false);
    expect(a.savings!.definitions + a.savings!.intermediateResults).toBe(a.savings!.total);
  });
});
