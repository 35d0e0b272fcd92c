// `toolweaver types` (dist/cli.js in a child process): a run against server-everything records
// results; `types infer` learns their types; `run` then type-checks a script that reads them (it was
// refused while they were `unknown`); `types accept` pins one, `types discard` drops it.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EVERYTHING } from '../catalog/helpers';

const cli = path.resolve(__dirname, '../../../dist/cli.js');
const cwd = mkdtempSync(path.join(tmpdir(), 'tw-cli-types-'));
afterAll(() => rmSync(cwd, { recursive: true, force: true }));

function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [cli, ...args], { cwd, timeout: 90_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? Number((err as { code?: unknown }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

describe('toolweaver types', () => {
  it('infer learns from recorded results; the type check then accepts a script that reads them; accept and discard', async () => {
    mkdirSync(path.join(cwd, '.vscode'), { recursive: true });
    writeFileSync(path.join(cwd, '.vscode', 'mcp.json'), JSON.stringify({ servers: { everything: { type: 'stdio', command: process.execPath, args: [EVERYTHING] } } }));
    writeFileSync(path.join(cwd, 'record.ts'), "for (const message of ['a', 'b', 'c']) await tools.everything.echo({ message });\nreturn 1;\n");
    const rec = await run(['run', 'record.ts', '--allow', 'everything/echo']);
    expect(rec.code, rec.stderr).toBe(0);

    writeFileSync(path.join(cwd, 'reads.ts'), "const e = await tools.everything.echo({ message: 'x' });\nreturn e.toUpperCase();\n");
    const refused = await run(['run', 'reads.ts', '--json']);
    expect(refused.code).toBe(3);
    expect(JSON.parse(refused.stdout)).toMatchObject({ error: { code: 'type_errors' } });

    const inferred = await run(['types', 'infer', '--server', 'everything', '--json']);
    expect(inferred.code, inferred.stderr).toBe(0);
    expect(JSON.parse(inferred.stdout)).toMatchObject({ tools: { 'everything/echo': { calls: 3, schema: { type: 'string' } } } });
    const human = await run(['types', 'infer']);
    expect(human.stdout).toContain('export type EverythingEchoOutput = string;');

    const checked = await run(['run', 'reads.ts', '--json']);
    expect(checked.code, checked.stdout).toBe(0);
    expect(JSON.parse(checked.stdout)).toMatchObject({ ok: true, value: 'ECHO: X' });

    expect((await run(['types', 'accept', 'everything/echo'])).code).toBe(0);
    const pinned = path.join(cwd, '.toolweaver', 'pinned-types.json');
    expect(existsSync(pinned)).toBe(true);
    expect(JSON.parse(readFileSync(pinned, 'utf8'))).toMatchObject({ version: 1, tools: { 'everything/echo': { calls: 3 } } });
    expect((await run(['types', 'discard', 'everything/echo'])).code).toBe(0);
    expect(JSON.parse(readFileSync(pinned, 'utf8')).tools).toEqual({});
    const shown = await run(['types', 'show']);
    expect(shown.stdout).toMatch(/everything\/echo\s+discarded/);
    expect((await run(['types', 'accept', 'nope/none'])).code).toBe(1);
  }, 240_000);
});
