// `toolweaver replay --live-on-divergence` (dist/cli.js) against a real server-everything over stdio:
// a diverging call goes to the live server (its value, live: 1), matching calls still come from the
// tape, and approvals apply to the live calls: a tool not marked read-only is denied without --allow.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '../../..');
const CLI = path.join(root, 'dist/cli.js');
const EVERYTHING = path.join(root, 'node_modules/@modelcontextprotocol/server-everything/dist/index.js');
const cwd = mkdtempSync(path.join(tmpdir(), 'tw-replay-live-'));
afterAll(() => rmSync(cwd, { recursive: true, force: true }));

beforeAll(() => {
  mkdirSync(path.join(cwd, '.vscode'));
  writeFileSync(path.join(cwd, '.vscode', 'mcp.json'), JSON.stringify({ servers: { everything: { command: process.execPath, args: [EVERYTHING, 'stdio'] } } }));
  writeFileSync(path.join(cwd, 'sum.ts'), 'const s = await tools.everything.get_sum({ a: 1, b: 2 });\nreturn s;\n');
  writeFileSync(path.join(cwd, 'sum2.ts'), 'const s = await tools.everything.get_sum({ a: 2, b: 3 });\nreturn s;\n');
  writeFileSync(path.join(cwd, 'toggle.ts'), 'const s = await tools.everything.get_sum({ a: 1, b: 2 });\nconst t = await tools.everything.toggle_simulated_logging({});\nreturn { s, t: typeof t };\n');
});

function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { cwd, timeout: 90_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? Number((err as { code?: unknown }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

interface ReplayJson {
  ok: boolean;
  value?: unknown;
  error?: { cause?: string; message: string; line?: number };
  replay: { replayed: number; live: number; divergence: { reason: string; line?: number } | null };
}

describe('toolweaver replay --live-on-divergence against server-everything (stdio)', () => {
  it('sends diverging calls live, keeps matching ones on the tape, and applies approvals to the live ones', async () => {
    const rec = await run(['run', 'sum.ts', '--json']);
    expect(rec.code, rec.stderr).toBe(0);
    const { traceId, value } = JSON.parse(rec.stdout) as { traceId: string; value: unknown };
    expect(value).toBe('The sum of 1 and 2 is 3.');

    // Without the flag the edited script stops at its divergence.
    const stopped = await run(['replay', traceId, '--script', 'sum2.ts', '--json']);
    expect(stopped.code).toBe(3);
    expect((JSON.parse(stopped.stdout) as ReplayJson).replay).toMatchObject({ replayed: 0, live: 0, divergence: { reason: 'arguments_differ', line: 1 } });

    // With it, the call goes to the real server and its answer is the live one.
    const live = await run(['replay', traceId, '--script', 'sum2.ts', '--live-on-divergence', '--json']);
    expect(live.code, live.stdout + live.stderr).toBe(0);
    expect(JSON.parse(live.stdout) as ReplayJson).toMatchObject({ ok: true, value: 'The sum of 2 and 3 is 5.', replay: { replayed: 0, live: 1, divergence: { reason: 'arguments_differ' } } });

    // A live call to a tool not marked read-only needs approval: denied without --allow, and the
    // recorded get_sum still came from the tape.
    const denied = await run(['replay', traceId, '--script', 'toggle.ts', '--live-on-divergence', '--json']);
    expect(denied.code).toBe(3);
    const d = JSON.parse(denied.stdout) as ReplayJson;
    expect(d).toMatchObject({ ok: false, error: { cause: 'denied', line: 2 }, replay: { replayed: 1 } });
    expect(d.error?.message).toContain("--allow 'everything/toggle-simulated-logging'");
    const allowed = await run(['replay', traceId, '--script', 'toggle.ts', '--live-on-divergence', '--allow', 'everything', '--json']);
    expect(allowed.code, allowed.stdout + allowed.stderr).toBe(0);
    expect(JSON.parse(allowed.stdout) as ReplayJson).toMatchObject({ ok: true, value: { s: 'The sum of 1 and 2 is 3.', t: 'string' }, replay: { replayed: 1, live: 1 } });
  }, 240_000);
});
