// Call-site hints from real runs: the embedded demo through executeRun and the real sandbox, then
// callSiteHints over the recorded traces. A failing tool outside retry() and a large result with
// unread fields get their suggestions; figures are per line; retry() silences the retry suggestion.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callSiteHints } from '../../../src/core/account/callSiteHints';
import { loadCatalog, type LoadedCatalog } from '../../../src/core/catalog/loadCatalog';
import { executeRun } from '../../../src/core/run/executeRun';
import { createSandbox } from '../../../src/core/sandbox/sandbox';
import type { Trace } from '../../../src/core/trace/schema';

const dir = mkdtempSync(path.join(tmpdir(), 'tw-hints-'));
const sandbox = createSandbox({ poolSize: 1 });
let demo: LoadedCatalog;
beforeAll(async () => {
  demo = await loadCatalog({ cwd: dir, useDemoWhenEmpty: true });
});
afterAll(async () => {
  await sandbox.dispose();
  await demo?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function record(source: string): Promise<Trace> {
  const out = await executeRun({ source, language: 'js', catalog: demo.catalog, invoker: demo.invoker, sandbox, cwd: dir });
  expect(out.result.ok, JSON.stringify(out.result).slice(0, 500)).toBe(true);
  return out.trace;
}

const SCRIPT = [
  "const c = await tools.demo.get_customer({ customerId: 'cus_0001' });",
  "let failed = 0; for (const k of ['h1', 'h2']) { try { await tools.demo.flaky_lookup({ key: KEY + k, failures: 1 }); } catch { failed++; } }",
  'const page = await tools.demo.list_customers({ limit: 100 });',
  'return [c.customer.id, page.customers.length, failed];',
].join('\n');

describe('callSiteHints over real runs', () => {
  it('figures per line, and the retry and large-result suggestions where the traces show them', async () => {
    const t1 = await record(`const KEY = 'a';\n${SCRIPT}`);
    const t2 = await record(`const KEY = 'b';\n${SCRIPT}`);
    const hints = callSiteHints([t2, t1], `const KEY = 'b';\n${SCRIPT}`);
    expect(hints.map((h) => [h.line, h.tool])).toEqual([[2, 'get_customer'], [3, 'flaky_lookup'], [4, 'list_customers']]);
    const [get, flaky, list] = hints;
    expect(get?.figures).toMatch(/^observed: 2 calls, p50 [\d.]+ m?s, p95 [\d.]+ m?s, 0 % failed, ~\d+ tokens per result$/);
    expect(get?.suggestions).toEqual([]);
    expect(flaky?.figures).toMatch(/^observed: 4 calls, .*100 % failed/);
    expect(flaky?.suggestions).toEqual(['100 % of 4 calls here failed and the call is not inside retry(): wrap it (retry(() => …)) if the failures are transient.']);
    expect(list?.suggestions).toHaveLength(1);
    expect(list?.suggestions[0]).toMatch(/^The result is large \(~[\d,]+ tokens\) and the script never reads \d+ of its \d+ fields \(.*email.*\): ask the tool for less/);
    // `customers` is read by the script, so it is not among the unread fields.
    expect(list?.suggestions[0]).not.toMatch(/\(customers[,)]|, customers[,)]/);
  }, 60_000);

  it('a call inside retry() gets no retry suggestion', async () => {
    const t = await record("const r = await retry(() => tools.demo.flaky_lookup({ key: 'in-retry', failures: 1 }), { baseMs: 1, jitter: false });\nreturn r.score;");
    const [hint] = callSiteHints([t], '');
    expect(hint?.figures).toMatch(/2 calls, .*50 % failed/);
    expect(hint?.suggestions).toEqual([]);
  });
});
