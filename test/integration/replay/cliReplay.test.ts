// `toolweaver replay` (dist/cli.js in a child process) on a recorded demo run: exit 0 with the same
// value and `replay` in the --json contract; an edited script diverges with exit 3 and names its line.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const cli = path.resolve(__dirname, '../../../dist/cli.js');
const cwd = mkdtempSync(path.join(tmpdir(), 'tw-cli-replay-'));
afterAll(() => rmSync(cwd, { recursive: true, force: true }));

function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [cli, ...args], { cwd, timeout: 60_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? Number((err as { code?: unknown }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

const SCRIPT = `const a = await tools.demo.get_order({ orderId: 'ord_00001' });\nconst b = await tools.demo.get_order({ orderId: 'ord_00002' });\nreturn { total: a.order.total, status: b.order.status };\n`;

describe('toolweaver replay', () => {
  it('replays a recorded demo run: --json is the run contract plus replay, exit 0, same value', async () => {
    writeFileSync(path.join(cwd, 'orders.ts'), SCRIPT);
    const rec = await run(['run', 'orders.ts', '--json']);
    expect(rec.code, rec.stderr).toBe(0);
    const recorded = JSON.parse(rec.stdout) as { traceId: string; value: unknown };
    const r = await run(['replay', recorded.traceId, '--json', '--expect-same-value']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { ok: boolean; value: unknown; traceId: string; replay: Record<string, unknown> };
    expect(out).toMatchObject({ ok: true, value: recorded.value, replay: { replayed: 2, live: 0, divergence: null, sameValue: true, of: recorded.traceId } });
    expect(out.traceId).not.toBe(recorded.traceId);

    // An edited script diverges at line 2, naming the recorded call and the new one.
    writeFileSync(path.join(cwd, 'edited.ts'), SCRIPT.replace("'ord_00002'", "'ord_00003'"));
    const d = await run(['replay', recorded.traceId, '--script', 'edited.ts']);
    expect(d.code).toBe(3);
    expect(d.stderr).toContain('ReplayDivergenceError');
    expect(d.stderr).toContain('line 2: demo.get_order({"orderId":"ord_00003"}) diverges from the recorded calls of demo.get_order: none left has these arguments; the next one is call 2 at line 2: demo.get_order({"orderId":"ord_00002"})');

    // --expect-same-value fails a replay whose value moved.
    writeFileSync(path.join(cwd, 'moved.ts'), SCRIPT.replace('status: b.order.status', 'status: b.order.status + "!"'));
    const moved = await run(['replay', recorded.traceId, '--script', 'moved.ts', '--expect-same-value']);
    expect(moved.code).toBe(3);
    expect(moved.stderr).toContain('The value differs from the recorded run');
  }, 180_000);

  it('replays the main job of `toolweaver demo` (results with redacted emails) from its raw tape: 0 live calls, same value', async () => {
    const rec = await run(['demo', '--json']);
    expect(rec.code, rec.stderr).toBe(0);
    const recorded = JSON.parse(rec.stdout) as { traceId: string; traceFile: string; value: unknown; stats: { toolCalls: number } };
    // The trace holds redaction marks (what made the demo unreplayable before the raw tape).
    expect(readFileSync(recorded.traceFile, 'utf8')).toContain('[REDACTED:email]');
    const tapeFile = path.join(path.dirname(recorded.traceFile), 'tapes', path.basename(recorded.traceFile));
    expect(statSync(tapeFile).mode & 0o777).toBe(0o600);
    const r = await run(['replay', recorded.traceId, '--json', '--expect-same-value']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { ok: boolean; value: unknown; replay: Record<string, unknown> };
    expect(out).toMatchObject({ ok: true, value: recorded.value, replay: { replayed: recorded.stats.toolCalls, live: 0, divergence: null, sameValue: true } });
    // The raw results (a real email from the tape) stay out of the trace and its export.
    const email = /[\w.+-]+@[\w-]+\.[\w.]+/.exec(readFileSync(tapeFile, 'utf8'))?.[0];
    expect(email).toBeDefined();
    expect(readFileSync(recorded.traceFile, 'utf8')).not.toContain(email);
    const exported = await run(['traces', 'export', recorded.traceId, '--format', 'otlp']);
    expect(exported.code, exported.stderr).toBe(0);
    expect(exported.stdout).not.toContain(email);

    // Without the raw tape the same run cannot be replayed, and the divergence says why.
    const bare = await run(['demo', '--json', '--no-raw-tape']);
    const bareId = (JSON.parse(bare.stdout) as { traceId: string }).traceId;
    const d = await run(['replay', bareId, '--json']);
    expect(d.code).toBe(3);
    expect((JSON.parse(d.stdout) as { replay: { divergence: { reason: string; message: string } } }).replay.divergence).toMatchObject({ reason: 'not_replayable', message: expect.stringContaining('no raw tape was kept') });
  }, 180_000);

  it('says what to do with an unknown trace id', async () => {
    const r = await run(['replay', '20200101-000000-000-0000000000']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/20200101-000000-000-0000000000/);
  });
});
