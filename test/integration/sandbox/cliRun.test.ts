// `toolweaver run` as users get it (dist/cli.js in a child process): exactly one JSON object on
// stdout with --json, and the exit codes 0 / 3 / 1 / 2.
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const cli = path.resolve(__dirname, '../../../dist/cli.js');
const cwd = mkdtempSync(path.join(tmpdir(), 'tw-run-'));

function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    // The pre-run type check has its own test (cli/typecheck.test.ts); it costs ~2 s of CPU per run, so these runs skip it.
    execFile(process.execPath, [cli, 'run', '--no-typecheck', ...args], { cwd, timeout: 30_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? Number((err as { code?: unknown }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

function script(name: string, text: string): string {
  writeFileSync(path.join(cwd, name), text);
  return name;
}

describe('toolweaver run', () => {
  it('prints exactly one JSON object with --json and exits 0', async () => {
    const file = script('ok.ts', 'const a: { agents: unknown[] } = await tools.demo.list_agents({});\nconsole.log("agents", a.agents.length);\nreturn a.agents.length;\n');
    const r = await run([file, '--json']);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const out = JSON.parse(lines[0] as string) as Record<string, unknown>;
    expect(out).toMatchObject({ ok: true, value: expect.any(Number), logs: [expect.objectContaining({ level: 'log' })], stats: expect.objectContaining({ toolCalls: 1, durationMs: expect.any(Number) }) });
    expect(r.stderr).toContain('embedded demo');
  });

  it('exits 3 when the script fails, with the error in the JSON', async () => {
    const r = await run([script('fail.js', 'const x = 1;\nthrow new TypeError("nope");\n'), '--json', '--timeout-ms', '5000']);
    expect(r.code).toBe(3);
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: false, error: { name: 'TypeError', code: 'guest_error', message: 'nope', line: 2 } });
  });

  it('--deny/--allow turn the approval policy on: denials are catchable and the decisions are in the JSON; llm() says it is unavailable', async () => {
    const file = script(
      'approve.ts',
      "const out: string[] = [];\ntry { await tools.demo.delete_ticket({ ticketId: 'tkt_00001' }); } catch (e) { if (e instanceof ToolError && e.code === 'denied') out.push('denied'); }\nawait tools.demo.list_agents({});\ntry { await llm('hi'); } catch (e) { out.push((e as ToolError).message); }\nreturn out;\n",
    );
    const r = await run([file, '--json', '--deny', 'demo/delete_*']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { value: string[]; approvals: Array<Record<string, unknown>> };
    expect(out.value[0]).toBe('denied');
    expect(out.value[1]).toMatch(/^llm\(\) is unavailable in the CLI unless a model provider is configured/);
    expect(out.approvals.map((a) => [a.tool, a.line, a.action, a.source])).toEqual([
      ['delete_ticket', 2, 'denied', 'rule'],
      ['list_agents', 3, 'allowed', 'annotations'],
    ]);
  });

  it('applies the limit flags', async () => {
    const r = await run([script('loop.js', 'while (true) {}'), '--json', '--timeout-ms', '300', '--memory-mb', '16']);
    expect(r.code).toBe(3);
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: false, error: { code: 'timeout' }, stats: { limitHit: 'timeoutMs' } });
  });

  it('prints value, logs and stats for people', async () => {
    const r = await run([script('human.ts', 'console.warn("careful");\nreturn { a: 1 };')]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ a: 1 });
    expect(r.stderr).toContain('[warn] careful');
    expect(r.stderr).toMatch(/0 tool call\(s\)/);
  });

  it('exits 1 for usage errors and 2 for a bad config', async () => {
    expect((await run(['missing.ts'])).code).toBe(1);
    expect((await run([script('x.ts', 'return 1'), '--bogus'])).code).toBe(1);
    expect((await run([script('y.ts', 'return 1'), '--config', 'nope.json'])).code).toBe(2);
  });

  it('refuses a --memory-mb outside what the sandbox can give, naming the range', async () => {
    for (const mb of ['100000', '8']) {
      const r = await run([script('mem.js', 'return 1'), '--memory-mb', mb, '--json']);
      expect(r.code).toBe(1);
      // Under --json the usage error is the one JSON object on stdout; stderr says it for people.
      expect(JSON.parse(r.stdout)).toEqual({ ok: false, error: { name: 'UsageError', code: 'usage', message: `--memory-mb ${mb} is out of range: the sandbox memory is 16 to 2048 MiB.` } });
      expect(r.stderr).toContain(`--memory-mb ${mb} is out of range: the sandbox memory is 16 to 2048 MiB.`);
    }
    expect((await run([script('mem.js', 'return 1'), '--memory-mb', '2048', '--json'])).code).toBe(0);
  });
});
