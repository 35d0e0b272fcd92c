// `toolweaver run` (dist/cli.js in a child process) leaves a trace and prints its id, file and the
// token account; with --json the one JSON object carries traceId, traceFile and tokens.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TraceSchema } from '../../../src/core/trace/schema';
import { TokenAccountSchema } from '../../../src/core/tokens/schema';

const cli = path.resolve(__dirname, '../../../dist/cli.js');
const cwd = mkdtempSync(path.join(tmpdir(), 'tw-run-trace-'));
afterAll(() => rmSync(cwd, { recursive: true, force: true }));

function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [cli, ...args], { cwd, timeout: 60_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? Number((err as { code?: unknown }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

describe('toolweaver run records a trace', () => {
  it('--json carries traceId, traceFile and the token account', async () => {
    writeFileSync(path.join(cwd, 'agents.ts'), 'const a = await tools.demo.list_agents({});\nreturn a.agents.length;\n');
    const r = await run(['run', 'agents.ts', '--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { traceId: string; traceFile: string; tokens: unknown; ok: boolean };
    expect(out.ok).toBe(true);
    expect(out.traceFile).toBe(path.join(cwd, '.toolweaver', 'traces', `${out.traceId}.json`));
    const trace = TraceSchema.parse(JSON.parse(readFileSync(out.traceFile, 'utf8')));
    expect(trace).toMatchObject({ id: out.traceId, status: 'ok', origin: 'cli', script: { path: path.join(cwd, 'agents.ts') } });
    const tokens = TokenAccountSchema.parse(out.tokens);
    expect(tokens.tokenizer).toMatch(/o200k_base/);
    expect(tokens.classic.toolCalls).toBe(1);
    expect(tokens).toEqual(trace.tokens);
  });

  it('prints the trace id, file and token table for people, and honours --trace-dir', async () => {
    writeFileSync(path.join(cwd, 'fail.ts'), 'await tools.demo.get_order({ orderId: "ord_00001" });\nthrow new Error("stop");\n');
    const r = await run(['run', 'fail.ts', '--trace-dir', 'elsewhere']);
    expect(r.code).toBe(3);
    const m = /trace: (\d{8}-\d{6}-\d{3}-[0-9a-f]{10}), file: (\S+\.json)/.exec(r.stderr);
    expect(m).not.toBeNull();
    expect(m![2]).toBe(path.join(cwd, 'elsewhere', `${m![1]}.json`));
    expect(existsSync(m![2]!)).toBe(true);
    expect(r.stderr).toMatch(/Tokens \(o200k_base/);
    expect(r.stderr).toMatch(/intermediate results/);
    const shown = await run(['traces', 'show', m![1]!, '--dir', 'elsewhere']);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain(`Trace ${m![1]}: failed`);
  });
});
