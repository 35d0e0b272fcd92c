// Ordinary user errors through the real CLI (dist/cli.js) are a message and exit code 2, never a
// stack trace with exit 70; under --json stdout is still exactly one JSON object; a reader that
// goes away (`| head`) ends the CLI quietly.
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const CLI = path.resolve('dist/cli.js');
const cwd = mkdtempSync(path.join(tmpdir(), 'tw-usererr-'));
afterAll(() => rmSync(cwd, { recursive: true, force: true }));
const A_FILE = path.join(cwd, 'a-file');
const SCRIPT = path.join(cwd, 'one.ts');
/** A stack frame line, as Node prints them. */
const STACK = /^\s+at .+\(.+:\d+:\d+\)$/m;

interface Done {
  code: number | null;
  stdout: string;
  stderr: string;
}

function cli(args: string[], timeout = 60_000): Promise<Done> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { cwd, timeout, encoding: 'utf8' }, (err, stdout, stderr) => {
      const code = err ? ((err as { code?: unknown }).code as number | null) : 0;
      resolve({ code: typeof code === 'number' ? code : null, stdout, stderr });
    });
  });
}

/** Exit 2, a one-line reason on stderr and no stack frames anywhere. */
function expectUserError(r: Done, message: string | RegExp): void {
  expect(r.code, r.stderr).toBe(2);
  expect(r.stderr).toMatch(message);
  expect(r.stderr).not.toMatch(STACK);
  expect(r.stderr).not.toContain('a bug in ToolWeaver');
}

let busyPort = 0;
let busy: net.Server;
beforeAll(async () => {
  writeFileSync(A_FILE, 'not a folder');
  writeFileSync(SCRIPT, 'return 1;');
  busy = net.createServer();
  await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', () => resolve()));
  busyPort = (busy.address() as net.AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => busy.close(() => resolve())));

describe('user errors are messages with exit 2', () => {
  it('run --json with an unusable --trace-dir prints one JSON error object', async () => {
    const r = await cli(['run', SCRIPT, '--json', '--trace-dir', path.join(A_FILE, 'traces')]);
    expectUserError(r, /Cannot use the trace folder .*a-file\/traces \(ENOTDIR/);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] as string)).toMatchObject({ ok: false, error: { name: 'IoError', code: 'unwritable' } });
  });

  it.runIf(process.platform === 'linux')('a --trace-dir that mkdir cannot make under /proc fails instead of hanging', async () => {
    const r = await cli(['run', SCRIPT, '--trace-dir', '/proc/tw-no-such-folder/traces'], 30_000);
    expectUserError(r, /Cannot use the trace folder \/proc\/tw-no-such-folder\/traces \(ENOENT/);
  });

  it('mcp --http on a port in use', async () => {
    const r = await cli(['mcp', '--http', String(busyPort)]);
    expectUserError(r, new RegExp(`Port ${busyPort} on 127\\.0\\.0\\.1 is already in use\\. Choose another port \\(0 picks a free one\\)\\.`));
  });

  it('demo-server --http on a port in use', async () => {
    const r = await cli(['demo-server', '--http', String(busyPort)]);
    expectUserError(r, new RegExp(`Port ${busyPort} on 127\\.0\\.0\\.1 is already in use`));
  });

  it('traces export --out to an unwritable path', async () => {
    const traces = path.join(cwd, 'traces');
    const ran = await cli(['run', SCRIPT, '--json', '--trace-dir', traces]);
    expect(ran.code, ran.stderr).toBe(0);
    const { traceId } = JSON.parse(ran.stdout) as { traceId: string };
    const r = await cli(['traces', 'export', traceId, '--format', 'otlp', '--dir', traces, '--out', path.join(A_FILE, 'x.json')]);
    expectUserError(r, /Cannot write the export to .*a-file\/x\.json \(ENOTDIR/);
    // The same export to a writable path works.
    const ok = await cli(['traces', 'export', traceId, '--format', 'otlp', '--dir', traces, '--out', path.join(cwd, 'x.json')]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(JSON.parse(readFileSync(path.join(cwd, 'x.json'), 'utf8'))).toHaveProperty('resourceSpans');
  });
});

describe('a closed stdout', () => {
  it('run --json | head: EPIPE ends the CLI quietly with the run\'s exit code', async () => {
    const child = spawn(process.execPath, [CLI, 'run', SCRIPT, '--json', '--trace-dir', path.join(cwd, 'traces-epipe')], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    // The reader is gone before the CLI writes its one line, as with `| head -c0`.
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += String(d)));
    const code = await new Promise<number | null>((resolve) => child.once('close', (c) => resolve(c)));
    expect(stderr).not.toContain('EPIPE');
    expect(stderr).not.toMatch(STACK);
    expect(code).toBe(0);
  });
});
