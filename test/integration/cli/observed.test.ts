// `toolweaver run` feeds the figures this folder's traces observed to tools.search()/tools.describe()
// inside the script (as `toolweaver mcp` does): runs that called demo tools change what the next
// script's tools.describe() says (search ranks by the same figures: test/unit/discovery/observed.test.ts);
// before any run there are none.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const CLI = path.resolve('dist/cli.js');
const cwd = mkdtempSync(path.join(tmpdir(), 'tw-run-observed-'));
afterAll(() => rmSync(cwd, { recursive: true, force: true }));

const FLAKY = "let failed = 0;\nfor (const k of ['x1', 'x1', 'x2', 'x2']) { try { await tools.demo.flaky_lookup({ key: k, failures: 1 }); } catch { failed++; } }\nreturn failed;\n";
const DESCRIBE = "return (await tools.describe('demo.flaky_lookup')).split('\\n').at(-1);\n";
writeFileSync(path.join(cwd, 'flaky.js'), FLAKY);
writeFileSync(path.join(cwd, 'describe.js'), DESCRIBE);

function run(file: string): Promise<{ code: number; value: unknown; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, 'run', '--no-typecheck', '--json', file], { cwd, timeout: 60_000 }, (err, stdout, stderr) => {
      let value: unknown;
      try {
        value = (JSON.parse(stdout) as { value?: unknown }).value;
      } catch {
        value = undefined;
      }
      resolve({ code: err ? Number((err as { code?: unknown }).code ?? 1) : 0, value, stdout, stderr });
    });
  });
}

describe('toolweaver run: observed figures inside the script', () => {
  it('before any run, tools.describe() has no observed line', async () => {
    const r = await run('describe.js');
    expect(r.code, r.stderr).toBe(0);
    expect(String(r.value)).not.toContain('observed:');
  });

  it('after runs, tools.describe() ends with the observed line of those runs', async () => {
    for (let i = 0; i < 2; i++) {
      writeFileSync(path.join(cwd, 'flaky.js'), FLAKY.replaceAll("'x", `'r${i}x`));
      const r = await run('flaky.js');
      expect(r.code, r.stderr).toBe(0);
      expect(r.value).toBe(2);
    }
    const d = await run('describe.js');
    expect(d.code, d.stderr).toBe(0);
    // The two describe-only runs made no tool calls: 2 runs × 4 calls, half failed (failures: 1 per key).
    expect(String(d.value)).toMatch(/^\/\/ observed: 8 calls, p50 [\d.]+ m?s, p95 [\d.]+ m?s, 50 % failed/);
  }, 120_000);
});
