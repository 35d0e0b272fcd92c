// `toolweaver run` type-checks the script against the catalog's stubs before running it (the same
// check and compiler options as the extension's pre-run check); --no-typecheck skips it.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const CLI = path.resolve('dist/cli.js');
const cwd = mkdtempSync(path.join(tmpdir(), 'tw-typecheck-'));
afterAll(() => rmSync(cwd, { recursive: true, force: true }));

function cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { cwd, timeout: 60_000, encoding: 'utf8' }, (err, stdout, stderr) => {
      const code = err ? ((err as { code?: unknown }).code as number | null) : 0;
      resolve({ code: typeof code === 'number' ? code : null, stdout, stderr });
    });
  });
}

function script(name: string, text: string): string {
  const file = path.join(cwd, name);
  writeFileSync(file, text);
  return file;
}

describe('toolweaver run type-checks first', () => {
  const bad = script('bad.ts', 'const c = await tools.demo.get_customer({ customerId: 7 });\nreturn c;\n');

  it('refuses a script with a type error: exit 3, the error with its line, no run, no trace', async () => {
    const r = await cli(['run', bad, '--trace-dir', 'refused-traces']);
    expect(r.code, r.stderr).toBe(3);
    expect(r.stderr).toContain('The script has 1 type error against the tool stubs, so it was not run');
    expect(r.stderr).toContain('--no-typecheck');
    expect(r.stderr).toMatch(/line 1, col 43: Type 'number' is not assignable to type 'string'\. \(TS2322\)/);
    expect(existsSync(path.join(cwd, 'refused-traces'))).toBe(false);
  }, 60_000);

  it('prints one JSON object with the diagnostics under --json', async () => {
    const r = await cli(['run', bad, '--json']);
    expect(r.code).toBe(3);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] as string)).toEqual({
      ok: false,
      error: { name: 'TypeCheckError', code: 'type_errors', message: expect.stringContaining('--no-typecheck') as unknown },
      diagnostics: [{ line: 1, column: 43, code: 2322, message: "Type 'number' is not assignable to type 'string'." }],
    });
  }, 60_000);

  it('--no-typecheck runs it anyway', async () => {
    const r = await cli(['run', bad, '--no-typecheck', '--json']);
    expect(JSON.parse(r.stdout.trim())).toMatchObject({ error: { code: expect.not.stringMatching(/^type_errors$/) as unknown } });
  }, 60_000);

  it('accepts what models write (an evolving array, untyped parameters, top-level return)', async () => {
    const ok = script('ok.ts', 'const out = [];\nfunction tag(x) { return `#${x}`; }\nout.push(tag("a"));\nreturn out;\n');
    const r = await cli(['run', ok, '--json']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(JSON.parse(r.stdout.trim())).toMatchObject({ ok: true, value: ['#a'] });
  }, 60_000);
});
