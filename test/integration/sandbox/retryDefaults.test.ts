// retry() keeps the promise of tools.d.ts against real servers: a failed call to a tool that is not
// annotated read-only or idempotent is not repeated (it could add a second note), unless retryOn says
// so; idempotent tools are still retried. The embedded demo server and the fault fixture over stdio.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCatalog, type LoadedCatalog } from '../../../src/core/catalog/loadCatalog';
import { executeRun } from '../../../src/core/run/executeRun';
import { createSandbox } from '../../../src/core/sandbox/sandbox';
import type { ToolSpan } from '../../../src/core/trace/schema';
import { faultStdioConfig } from '../../fixtures/fault/harness';

const dir = mkdtempSync(path.join(tmpdir(), 'tw-retry-'));
const sandbox = createSandbox({ poolSize: 1 });
let demo: LoadedCatalog;
let fault: LoadedCatalog;

beforeAll(async () => {
  demo = await loadCatalog({ cwd: dir, useDemoWhenEmpty: true });
  fault = await loadCatalog({ cwd: dir, servers: { fault: faultStdioConfig() } });
  for (const s of [...demo.catalog.servers, ...fault.catalog.servers]) expect(s.status.state, s.name).toBe('connected');
});
afterAll(async () => {
  await sandbox.dispose();
  await demo?.close();
  await fault?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function run(loaded: LoadedCatalog, source: string) {
  const out = await executeRun({ source, language: 'js', catalog: loaded.catalog, invoker: loaded.invoker, sandbox, cwd: dir, tokenizer: false });
  expect(out.result.ok, JSON.stringify(out.result).slice(0, 800)).toBe(true);
  const toolSpans = out.trace.spans.filter((s): s is ToolSpan => s.kind === 'tool');
  return { value: (out.result as { value: unknown }).value, toolSpans };
}

describe('retry() defaults from tool annotations', () => {
  it('does not repeat a failed demo.add_note (not idempotent): one call, and the error says retryable: false', async () => {
    const { value, toolSpans } = await run(demo, `
      let tries = 0;
      try {
        await retry(() => { tries++; return tools.demo.add_note({ ticketId: 'tkt_99999', body: 'hello' }); }, { attempts: 3, baseMs: 1, jitter: false });
        return 'no error';
      } catch (e) { return { tries, name: e.name, retryable: e.retryable }; }`);
    expect(value).toEqual({ tries: 1, name: 'ToolError', retryable: false });
    expect(toolSpans.map((s) => s.tool)).toEqual(['add_note']);
  });

  it('repeats it when retryOn says so explicitly', async () => {
    const { value, toolSpans } = await run(demo, `
      let tries = 0;
      try {
        await retry(() => { tries++; return tools.demo.add_note({ ticketId: 'tkt_99999', body: 'hello' }); }, { attempts: 3, baseMs: 1, jitter: false, retryOn: () => true });
      } catch (e) { return tries; }`);
    expect(value).toBe(3);
    expect(toolSpans).toHaveLength(3);
  });

  it('still retries an idempotent tool (demo.flaky_lookup) until it succeeds', async () => {
    const { value, toolSpans } = await run(demo, `
      const r = await retry(() => tools.demo.flaky_lookup({ key: 'retry-defaults', failures: 2 }), { attempts: 4, baseMs: 1, jitter: false });
      return r.attempt;`);
    expect(value).toBe(3);
    expect(toolSpans).toHaveLength(3);
  });

  it('does not repeat a tool without annotations (fault.meta_flaky counts calls server-side)', async () => {
    const { value, toolSpans } = await run(fault, `
      try { await retry(() => tools.fault.meta_flaky({ key: 'retry-defaults', failures: 1 }), { attempts: 3, baseMs: 1, jitter: false }); return 'succeeded'; }
      catch (e) { return e.retryable; }`);
    expect(value).toBe(false);
    expect(toolSpans).toHaveLength(1);
  });
});
