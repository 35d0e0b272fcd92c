// `toolweaver eval DIR` as a user runs it (dist/cli.js in a child process, the embedded demo catalog):
// three tasks, one incorrect; per-task verdicts and figures; the baseline written and compared; a
// figure moved past the tolerance fails; usage and task-file errors have the shared exit codes.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const CLI = path.resolve('dist/cli.js');
const cwd = mkdtempSync(path.join(tmpdir(), 'tw-eval-cli-'));
afterAll(() => rmSync(cwd, { recursive: true, force: true }));
const dir = path.join(cwd, 'tasks');
mkdirSync(dir);
const put = (name: string, text: string) => writeFileSync(path.join(dir, name), text);

// 15 independent reads: code mode saves here. The demo's agents number 20, so `agents` is incorrect.
put('orders.tw.ts', "const ids = Array.from({ length: 15 }, (_, i) => 'ord_' + String(i * 331 + 7).padStart(5, '0'));\nconst rows = await Promise.all(ids.map((id) => tools.demo.get_order({ orderId: id })));\nreturn rows.reduce((s, r) => s + r.order.total, 0);\n");
put('orders.check.ts', "export const servers = ['demo'];\nexport function check(total: unknown): boolean { return typeof total === 'number' && total > 0; }\n");
put('one-tool.tw.ts', "const { order } = await tools.demo.get_order({ orderId: 'ord_00042' });\nreturn order.id;\n");
put('one-tool.check.mjs', "export const tools = ['demo.get_order'];\nexport const check = (id) => id === 'ord_00042';\n");
put('agents.tw.js', 'export default async function main() {\n  return (await tools.demo.list_agents({})).agents.length;\n}\n');
put('agents.check.mjs', "export const check = (n) => (n === 999 ? true : `expected 999 agents, got ${n}`);\n");

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, 'eval', ...args], { cwd, timeout: 120_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? Number((err as { code?: unknown }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

interface JsonTask { name: string; correct: boolean; reason?: string; status: string; deltaPoints: number | null; figures: { tokenReduction: number | null; dollarReduction: number | null; codeModeCostMore?: boolean } }

describe('toolweaver eval', () => {
  it('prints each task correct/incorrect with its figures, exits 4 for the incorrect one, and writes the baseline on request', async () => {
    const first = await cli(['tasks']);
    expect(first.code, first.stderr).toBe(4);
    expect(first.stdout).toMatch(/^INCORRECT agents: tokens -?\d+\.\d % saved, no baseline; warm-cache dollars -?\d+\.\d % saved/m);
    expect(first.stdout).toContain('expected 999 agents, got 20');
    expect(first.stdout).toMatch(/^correct {3}one-tool: .*code mode cost more$/m);
    expect(first.stdout).toMatch(/^correct {3}orders: tokens \d+\.\d % saved/m);
    expect(first.stdout).toContain('2/3 correct');
    expect(first.stdout).toContain('No baseline yet');

    const upd = await cli(['tasks', '--update-baseline']);
    expect(upd.code).toBe(4); // a wrong value still fails; the figures are stored
    const stored = JSON.parse(readFileSync(path.join(dir, 'baseline.json'), 'utf8')) as { version: number; tasks: Record<string, { tokenReduction: number; correct: boolean }> };
    expect(stored.version).toBe(1);
    expect(Object.keys(stored.tasks)).toEqual(['agents', 'one-tool', 'orders']);
    expect(stored.tasks.orders?.tokenReduction).toBeGreaterThan(0.2);
    expect(stored.tasks['one-tool']?.tokenReduction).toBeLessThan(0);
    expect(stored.tasks.agents?.correct).toBe(false);

    const again = await cli(['tasks', '--json']);
    expect(again.code).toBe(4);
    const out = JSON.parse(again.stdout) as { ok: boolean; summary: { tasks: number; correct: number }; tasks: JsonTask[] };
    expect([out.ok, out.summary.tasks, out.summary.correct]).toEqual([false, 3, 2]);
    const byName = new Map(out.tasks.map((t) => [t.name, t]));
    expect(byName.get('orders')?.status).toBe('same');
    expect(Math.abs(byName.get('orders')?.deltaPoints ?? 99)).toBeLessThan(2);
    expect(byName.get('one-tool')?.figures.codeModeCostMore).toBe(true);
    expect(byName.get('agents')?.reason).toBe('expected 999 agents, got 20');
  }, 180_000);

  it('fails on a figure that moved more than 2 points from the baseline, and passes when every task is correct and in place', async () => {
    rmSync(path.join(dir, 'agents.tw.js'));
    rmSync(path.join(dir, 'agents.check.mjs'));
    const file = path.join(dir, 'baseline.json');
    const b = JSON.parse(readFileSync(file, 'utf8')) as { tasks: Record<string, { tokenReduction: number }> };
    const real = b.tasks.orders?.tokenReduction as number;
    (b.tasks.orders as { tokenReduction: number }).tokenReduction = real - 0.1;
    writeFileSync(file, JSON.stringify(b));
    const moved = await cli(['tasks']);
    expect(moved.code, moved.stdout + moved.stderr).toBe(4);
    expect(moved.stdout).toMatch(/orders: .*\(\+\d+\.\d pts\) MOVED/);
    expect(moved.stdout).toContain('missing   agents');

    (b.tasks.orders as { tokenReduction: number }).tokenReduction = real;
    writeFileSync(file, JSON.stringify(b));
    const ok = await cli(['tasks']);
    expect(ok.code, ok.stdout + ok.stderr).toBe(0);
    expect(ok.stdout).toContain('2/2 correct');
  }, 180_000);

  it('usage errors exit 1; a broken task folder or baseline exits 2 with a message naming the file', async () => {
    const none = await cli([]);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('Name the folder of eval tasks');
    const bad = path.join(cwd, 'bad');
    mkdirSync(bad);
    writeFileSync(path.join(bad, 'x.tw.ts'), 'return 1;');
    const noCheck = await cli(['bad']);
    expect(noCheck.code).toBe(2);
    expect(noCheck.stderr).toContain('x.check.ts');
    writeFileSync(path.join(bad, 'x.check.mjs'), 'export const check = () => true;');
    writeFileSync(path.join(bad, 'baseline.json'), '{"version": 2}');
    const badBase = await cli(['bad', '--json']);
    expect(badBase.code).toBe(2);
    expect(JSON.parse(badBase.stdout)).toMatchObject({ ok: false, error: { name: 'ConfigError', code: 'baseline_invalid' } });
  }, 60_000);
});
