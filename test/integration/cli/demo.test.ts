// `npm start` runs `toolweaver demo`: the bundled CLI, the embedded demo server, the real sandbox,
// a trace on disk and a token account. This is the README's first command, so it is tested as built.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const CLI = path.resolve('dist/cli.js');
const cwd = mkdtempSync(path.join(tmpdir(), 'tw-demo-'));
afterAll(() => rmSync(cwd, { recursive: true, force: true }));

describe('toolweaver demo', () => {
  it('runs the demo script with several helpers and reports a trace and the tokens saved', async () => {
    const { stdout } = await run(process.execPath, [CLI, 'demo', '--json'], { cwd, timeout: 60_000 });
    const out = JSON.parse(stdout) as {
      ok: boolean; value: { reviewed: number; creditTiers: string[] }; stats: { toolCalls: number };
      traceFile: string; tokens: { savings: { reduction: number }; codeModeCostMore: boolean };
    };
    expect(out.ok).toBe(true);
    expect(out.value.reviewed).toBe(10);
    // flaky_lookup fails twice per key, so retry makes three calls for each of three keys.
    expect(out.value.creditTiers).toHaveLength(3);
    expect(out.value.creditTiers.every((t) => t.includes('after 3 calls'))).toBe(true);
    expect(out.stats.toolCalls).toBe(22);
    expect(out.tokens.codeModeCostMore).toBe(false);
    // the conservative figure (4 dependency waves, parallel calls): 86 % on the demo
    expect(out.tokens.savings.reduction).toBeGreaterThan(0.8);
    expect(out.traceFile.startsWith(path.join(cwd, '.toolweaver', 'traces'))).toBe(true);
    const trace = JSON.parse(readFileSync(out.traceFile, 'utf8')) as { status: string; spans: Array<{ kind: string; helper?: string }> };
    expect(trace.status).toBe('ok');
    const helpers = new Set(trace.spans.filter((s) => s.kind === 'helper').map((s) => s.helper));
    expect([...helpers]).toEqual(expect.arrayContaining(['map', 'retry', 'dag']));
  });

  it('prints the human report and can save the script for `toolweaver run`', async () => {
    const { stdout } = await run(process.execPath, [CLI, 'demo'], { cwd, timeout: 60_000 });
    expect(stdout).toMatch(/demo\.flaky_lookup\s+9 call\(s\), 6 failed \(retried\)/);
    expect(stdout).toMatch(/Saved [\d,]+ tokens/);
    // The demo runs under the CLI's default approval policy: its script only reads, so nothing is denied.
    expect(stdout).toContain("Approvals: the CLI's default policy (read-only tools run; tools that may change things are denied unless --allow/--allow-all/--policy allow them): 22 call(s) allowed, 0 denied.");
    await run(process.execPath, [CLI, 'demo', '--save-script', 'review.tw.ts'], { cwd });
    expect(existsSync(path.join(cwd, 'review.tw.ts'))).toBe(true);
    expect(readFileSync(path.join(cwd, 'review.tw.ts'), 'utf8')).toContain('export default async function main()');
  });
});
