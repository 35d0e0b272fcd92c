// Traces that travel: `toolweaver run --otlp URL` (dist/cli.js in a child process, the embedded demo)
// pushes the finished trace to a local OTLP/HTTP receiver on 127.0.0.1 as OTLP/JSON; a collector that
// is down, or one that never answers, neither fails nor holds up the run.
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOtlpPusher, otlpTracesUrl } from '../../../src/core/trace/otlpPush';
import type { Trace } from '../../../src/core/trace/schema';

const CLI = path.resolve('dist/cli.js');
const cwd = mkdtempSync(path.join(tmpdir(), 'tw-otlp-'));
writeFileSync(path.join(cwd, 'one.js'), "const c = await tools.demo.get_customer({ customerId: 'cus_0001' });\nreturn c.customer.id;\n");

interface Received { url: string; contentType: string; body: unknown }
const received: Received[] = [];
const hanging: ServerResponse[] = [];

function listen(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<Server> {
  const server = createServer(handler);
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}
const portOf = (s: Server) => (s.address() as AddressInfo).port;

let collector: Server;
let silent: Server;
let downPort: number;

beforeAll(async () => {
  collector = await listen((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ url: req.url ?? '', contentType: String(req.headers['content-type']), body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  // Accepts the request and never answers.
  silent = await listen((_req, res) => void hanging.push(res));
  const gone = await listen(() => undefined);
  downPort = portOf(gone);
  await new Promise((r) => gone.close(r));
});
afterAll(async () => {
  for (const r of hanging) r.destroy();
  await new Promise((r) => collector.close(r));
  silent.closeAllConnections();
  await new Promise((r) => silent.close(r));
  rmSync(cwd, { recursive: true, force: true });
});

function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string; ms: number }> {
  const t0 = Date.now();
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, 'run', '--no-typecheck', ...args], { cwd, timeout: 60_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? Number((err as { code?: unknown }).code ?? 1) : 0, stdout, stderr, ms: Date.now() - t0 });
    });
  });
}

describe('OTLP push', () => {
  it('the traces URL: /v1/traces appended to a base, kept when given; only http(s)', () => {
    expect(otlpTracesUrl('http://127.0.0.1:4318')).toBe('http://127.0.0.1:4318/v1/traces');
    expect(otlpTracesUrl('http://collector:4318/otel/')).toBe('http://collector:4318/otel/v1/traces');
    expect(otlpTracesUrl('https://x.example/v1/traces')).toBe('https://x.example/v1/traces');
    expect(() => otlpTracesUrl('grpc://127.0.0.1:4317')).toThrow(/must be http:\/\/ or https:\/\//);
    expect(() => otlpTracesUrl('not a url')).toThrow(/is not a URL/);
  });

  it('toolweaver run --otlp pushes the finished trace as OTLP/JSON', async () => {
    const r = await run(['one.js', '--json', '--otlp', `http://127.0.0.1:${portOf(collector)}`]);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { value: unknown; traceId: string };
    expect(out.value).toBe('cus_0001');
    expect(received).toHaveLength(1);
    const got = received[0] as Received;
    expect(got.url).toBe('/v1/traces');
    expect(got.contentType).toBe('application/json');
    const spans = (got.body as { resourceSpans: Array<{ scopeSpans: Array<{ spans: Array<{ name: string; attributes: Array<{ key: string; value: { stringValue?: string } }> }> }> }> }).resourceSpans[0]?.scopeSpans[0]?.spans ?? [];
    expect(spans.map((s) => s.name)).toEqual(expect.arrayContaining(['toolweaver.run', 'execute_tool get_customer']));
  });

  it('a collector that is down: the run succeeds, says so once on stderr', async () => {
    const r = await run(['one.js', '--otlp', `http://127.0.0.1:${downPort}`]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('cus_0001');
    expect(r.stderr).toMatch(/Warning: OTLP: the collector at http:\/\/127\.0\.0\.1:\d+\/v1\/traces could not be reached/);
  });

  it('a collector that never answers: push() returns at once and flush() is bounded', async () => {
    const warnings: string[] = [];
    const pusher = createOtlpPusher({ endpoint: `http://127.0.0.1:${portOf(silent)}`, timeoutMs: 30_000, logger: { debug() {}, info() {}, warn: (m) => warnings.push(m), error() {} } });
    // A real trace: the one the first CLI run wrote.
    const dir = path.join(cwd, '.toolweaver', 'traces');
    const file = readdirSync(dir).find((f) => /^\d{8}-.*\.json$/.test(f)) as string;
    const trace = JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as Trace;
    const t0 = performance.now();
    pusher.push(trace);
    // It does not wait for the answer (30 s away); the bound only allows for a loaded machine and
    // fetch's first use, which loads its HTTP client synchronously.
    expect(performance.now() - t0).toBeLessThan(2_000);
    const t1 = performance.now();
    await pusher.flush(300);
    // Generous: the bound is 300 ms; a loaded machine may add some.
    expect(performance.now() - t1).toBeLessThan(3_000);
    // The request did go out and is still unanswered (the collector holds it).
    for (let i = 0; i < 40 && hanging.length === 0; i++) await new Promise((r) => setTimeout(r, 50));
    expect(hanging).toHaveLength(1);
    expect(warnings).toEqual([]);
  });

  it('a bad --otlp URL is a usage error before anything runs (exit 1)', async () => {
    const r = await run(['one.js', '--otlp', 'grpc://127.0.0.1:4317']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('--otlp: The OTLP endpoint "grpc://127.0.0.1:4317" must be http:// or https://');
  });
});
