import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../src/cli/main';
import type { CliIo } from '../../../src/cli/command';
import { executeRun } from '../../../src/core/run/executeRun';
import { createSandbox } from '../../../src/core/sandbox/sandbox';
import { whitespaceTokenizer } from '../../../src/core/tokens/tokenizer';
import type { Trace } from '../../../src/core/trace/schema';
import { createRunInvoker, runCatalog } from '../run/fixtures';

let cwd: string;
let trace: Trace;
const sandbox = createSandbox({ poolSize: 1 });

beforeAll(async () => {
  cwd = mkdtempSync(path.join(tmpdir(), 'tw-traces-cli-'));
  ({ trace } = await executeRun({
    source: 'const [a, b] = await Promise.all([tools.crm.getUser({ id: 1 }), tools.crm.getUser({ id: 2 })]);\nconsole.log("got", a.name);\nreturn a.score + b.score;',
    scriptPath: 'sum.ts',
    catalog: runCatalog,
    invoker: createRunInvoker(),
    sandbox,
    cwd,
    tokenizer: whitespaceTokenizer,
  }));
});
afterAll(async () => {
  await sandbox.dispose();
  rmSync(cwd, { recursive: true, force: true });
});

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIo = { out: (t) => (out += t + '\n'), err: (t) => (err += t + '\n'), cwd, env: {} };
  const code = await runCli(argv, io);
  return { code, out, err };
}

describe('toolweaver traces', () => {
  it('lists traces newest first (default dir .toolweaver/traces)', async () => {
    const r = await cli('traces', 'list');
    expect(r.code).toBe(0);
    expect(r.out).toContain(trace.id);
    expect(r.out).toMatch(/ok\s+.*2 calls/);
    const j = JSON.parse((await cli('traces', 'list', '--json')).out) as { traces: { id: string }[] };
    expect(j.traces.map((t) => t.id)).toEqual([trace.id]);
  });

  it('shows one trace with spans, logs and the token account', async () => {
    const r = await cli('traces', 'show', trace.id);
    expect(r.code).toBe(0);
    expect(r.out).toContain(`Trace ${trace.id}: ok`);
    expect(r.out).toContain('crm.get_user [ok]');
    expect(r.out).toContain('got User 1');
    expect(r.out).toMatch(/Tokens \(whitespace; classic = 2 calls in 1 dependency waves, conservative\)/);
    expect(JSON.parse((await cli('traces', 'show', trace.id, '--json')).out).id).toBe(trace.id);
  });

  it('exports OTLP and Chrome JSON to stdout or a file', async () => {
    const otlp = JSON.parse((await cli('traces', 'export', trace.id, '--format', 'otlp')).out);
    expect(otlp.resourceSpans[0].scopeSpans[0].spans).toHaveLength(3);
    const r = await cli('traces', 'export', trace.id, '--format', 'chrome', '--out', 'trace.json');
    expect(r.code).toBe(0);
    const chrome = JSON.parse(readFileSync(path.join(cwd, 'trace.json'), 'utf8'));
    expect(chrome.traceEvents.filter((e: { ph: string }) => e.ph === 'X')).toHaveLength(3);
  });

  it('refuses ids that are not ids, and unknown ones', async () => {
    const bad = await cli('traces', 'show', '../x');
    expect(bad.code).toBe(1);
    expect(bad.err).toContain('is not a trace id');
    const missing = await cli('traces', 'show', '20200101-000000-000-0000000000');
    expect(missing.code).toBe(1);
    expect(missing.err).toContain('No trace');
    expect((await cli('traces', 'export', trace.id, '--format', 'svg')).code).toBe(1);
    expect((await cli('traces', 'frobnicate')).code).toBe(1);
  });
});
