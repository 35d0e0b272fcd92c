// Issue 11's leak through `toolweaver run` (dist/cli.js): a script returning server-everything's
// get_env printed MY_TOKEN's value to stdout (and its logs to stderr). The printed value, plain and
// --json, must carry «secret:MY_TOKEN» instead; the flags choose the PII categories.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '../../..');
const CLI = path.join(root, 'dist/cli.js');
const EVERYTHING = path.join(root, 'node_modules/@modelcontextprotocol/server-everything/dist/index.js');
const SECRET = 'supersecret123';
const cwd = mkdtempSync(path.join(tmpdir(), 'tw-fw-cli-'));
afterAll(() => rmSync(cwd, { recursive: true, force: true }));

const SCRIPT = `
const env = await tools.everything.get_env({});
console.log(JSON.stringify(env));
const echoed = await tools.everything.echo({ message: 'owner ada@example.com' });
return { env, echoed, phone: '+1 415 555 2671' };
`;

beforeAll(() => {
  mkdirSync(path.join(cwd, '.vscode'));
  const servers = { everything: { command: process.execPath, args: [EVERYTHING, 'stdio'], env: { MY_TOKEN: '${input:tok}' } } };
  writeFileSync(path.join(cwd, '.vscode', 'mcp.json'), JSON.stringify({ servers }));
  writeFileSync(path.join(cwd, 'env.js'), SCRIPT);
  writeFileSync(path.join(cwd, 'fail.js'), "throw new Error('the token ' + 'supersecret' + '123' + ' was refused');");
});

function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { cwd, timeout: 90_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? Number((err as { code?: unknown }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

describe('toolweaver run: the printed value is firewalled', () => {
  it('plain: stdout and stderr carry placeholders, never the secret; the stats line says what was withheld', async () => {
    const r = await run(['run', 'env.js', '--input', `tok=${SECRET}`]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout + r.stderr).not.toContain(SECRET);
    expect(r.stdout + r.stderr).not.toContain('ada@example.com');
    const value = JSON.parse(r.stdout) as { env: Record<string, string>; echoed: string; phone: string };
    expect(value.env.MY_TOKEN).toBe('«secret:MY_TOKEN»');
    expect(value.echoed).toBe('Echo: owner «email_1»');
    expect(value.phone).toBe('«phone_1»');
    expect(r.stderr).toContain('"MY_TOKEN":"«secret:MY_TOKEN»"');
    expect(r.stderr).toContain('withheld: 1 secret, 1 email address, 1 phone number');
  }, 90_000);

  it('--json: the one JSON object has placeholders and `withheld`; the trace records the same counts', async () => {
    const r = await run(['run', 'env.js', '--json', '--input', `tok=${SECRET}`]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout + r.stderr).not.toContain(SECRET);
    const out = JSON.parse(r.stdout) as { ok: boolean; value: { env: Record<string, string> }; logs: Array<{ text: string }>; withheld: unknown; traceFile: string };
    expect(out.value.env.MY_TOKEN).toBe('«secret:MY_TOKEN»');
    expect(out.logs[0]?.text).toContain('"MY_TOKEN":"«secret:MY_TOKEN»"');
    const withheld = { total: 3, byKind: { secrets: 1, emails: 1, phones: 1 } };
    expect(out.withheld).toEqual(withheld);
    const trace = JSON.parse(readFileSync(out.traceFile, 'utf8')) as { withheld: unknown };
    expect(trace.withheld).toEqual(withheld);
    expect(readFileSync(out.traceFile, 'utf8')).not.toContain(SECRET);
    // The raw tape beside the trace (src/core/trace/rawTape.ts) keeps personal data for replay, never a secret.
    const tape = readFileSync(path.join(path.dirname(out.traceFile), 'tapes', path.basename(out.traceFile)), 'utf8');
    expect(tape).toContain('ada@example.com');
    expect(tape).not.toContain(SECRET);
  }, 90_000);

  it('--no-firewall-pii prints PII but still withholds secrets; --firewall picks categories', async () => {
    const noPii = await run(['run', 'env.js', '--json', '--no-firewall-pii', '--input', `tok=${SECRET}`]);
    expect(noPii.code, noPii.stderr).toBe(0);
    expect(noPii.stdout).not.toContain(SECRET);
    const a = JSON.parse(noPii.stdout) as { value: { env: Record<string, string>; echoed: string; phone: string }; withheld: unknown };
    expect(a.value).toMatchObject({ env: { MY_TOKEN: '«secret:MY_TOKEN»' }, echoed: 'Echo: owner ada@example.com', phone: '+1 415 555 2671' });
    expect(a.withheld).toEqual({ total: 1, byKind: { secrets: 1 } });

    const phones = await run(['run', 'env.js', '--json', '--firewall', 'phones', '--input', `tok=${SECRET}`]);
    const b = JSON.parse(phones.stdout) as { value: { echoed: string; phone: string } };
    expect(b.value).toMatchObject({ echoed: 'Echo: owner ada@example.com', phone: '«phone_1»' });

    const bad = await run(['run', 'env.js', '--firewall', 'passwords', '--input', `tok=${SECRET}`]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('--firewall does not know the category "passwords"');
  }, 90_000);

  it('an error message carrying the secret is firewalled too', async () => {
    const r = await run(['run', 'fail.js', '--json', '--input', `tok=${SECRET}`]);
    expect(r.code).toBe(3);
    expect(r.stdout + r.stderr).not.toContain(SECRET);
    const out = JSON.parse(r.stdout) as { error: { message: string } };
    expect(out.error.message).toBe('the token «secret:MY_TOKEN» was refused');
  }, 90_000);
});
