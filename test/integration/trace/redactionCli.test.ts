// Issue 10, item 8, end to end: `toolweaver run` (dist/cli.js) runs a script whose tool results
// (server-filesystem reading a credentials file and a 200 KiB JSON file) carry the secrets of the
// issue; the stored trace, both exports and `traces show --json` must hold none of them.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '../../..');
const cli = path.join(root, 'dist/cli.js');
const FILESYSTEM = path.join(root, 'node_modules/@modelcontextprotocol/server-filesystem/dist/index.js');
const cwd = mkdtempSync(path.join(tmpdir(), 'tw-redaction-'));
afterAll(() => rmSync(cwd, { recursive: true, force: true }));

/** Every secret here must be absent from everything the trace reaches; the key is for messages. */
const SECRETS: Record<string, string> = {
  awsBare: 'Qm9vT3+8aX2zLkPw7RtYvNc4sDfGhJk1MnBvCxZq',
  awsByName: '7Gh2+kLmN9pQrS4tUvWxYz0aBcDeFgHiJkLmNoP1',
  github: 'ghp_16C7e42F292c6912E7710c838347Ae178B4a',
  gitlab: 'glpat-Zx3c9vB7nM2qW8eR5tY1',
  npm: 'npm_a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8',
  huggingface: 'hf_AbCdEfGhIjKlMnOpQrStUvWxYzAbCdEfGh',
  sendgrid: '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',
  azure: 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==',
  googleOauth: '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',
  slackWebhook: 'T0A1B2C3D/B4E5F6G7H/z9Y8x7W6v5U4t3S2r1Q0p9O8',
  discordWebhook: 'AbCdEfGhIjKlMnOpQrStUvWxYz-0123456789_abcdefghijklmnopqrstuv',
  cookie: 'sid=s%3AbigCookie998877',
  credentials: 'ada:correct-horse-battery',
  sessionId: 'sess-55aa66bb77cc',
  configured: 'configured-env-secret-4711',
  sourceLiteral: 'literal-session-7788',
};

const CREDENTIALS_FILE = [
  `backup ${SECRETS.awsBare}`,
  `aws_secret_access_key = ${SECRETS.awsByName}`,
  `GITHUB_TOKEN=${SECRETS.github}`,
  `gitlab ${SECRETS.gitlab}`,
  `//registry.npmjs.org/:_authToken ${SECRETS.npm}`,
  `hf ${SECRETS.huggingface}`,
  `sendgrid ${SECRETS.sendgrid}`,
  `DefaultEndpointsProtocol=https;AccountName=acme;AccountKey=${SECRETS.azure};EndpointSuffix=core.windows.net`,
  `google ${SECRETS.googleOauth}`,
  `https://hooks.slack.com/services/${SECRETS.slackWebhook}`,
  `https://discord.com/api/webhooks/1122334455667788990/${SECRETS.discordWebhook}`,
  `env ${SECRETS.configured}`,
].join('\n');

// Over 128 KiB, so its result takes the large-value path (redacted as text, then cut). The padding
// is ordinary words: one long unbroken run would make token counting slow (issue 10, item 1).
const BIG_FILE = JSON.stringify({
  cookie: SECRETS.cookie,
  credentials: SECRETS.credentials,
  session_id: SECRETS.sessionId,
  rows: Array.from({ length: 4000 }, (_, i) => ({ id: i, note: `order ${i} shipped to the north region` })),
});

const SCRIPT = `
const small = await tools.fs.read_text_file({ path: ${JSON.stringify(path.join(cwd, 'data', 'creds.txt'))} });
const big = await tools.fs.read_text_file({ path: ${JSON.stringify(path.join(cwd, 'data', 'big.json'))} });
const session_id = "${SECRETS.sourceLiteral}";
const text = JSON.stringify(small);
console.log(text);
console.log(JSON.stringify(big).slice(0, 400));
return { small, session_id, bigBytes: JSON.stringify(big).length };
`;

function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [cli, ...args], { cwd, timeout: 90_000, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      resolve({ code: err ? Number((err as { code?: unknown }).code ?? 1) : 0, stdout, stderr: stderr + (err ? String(err) : '') });
    });
  });
}

function leaks(text: string): string[] {
  return Object.entries(SECRETS)
    .filter(([, secret]) => text.includes(secret))
    .map(([name]) => name);
}

let traceId: string;
let traceFile: string;

beforeAll(async () => {
  mkdirSync(path.join(cwd, 'data'));
  mkdirSync(path.join(cwd, '.vscode'));
  writeFileSync(path.join(cwd, 'data', 'creds.txt'), CREDENTIALS_FILE);
  writeFileSync(path.join(cwd, 'data', 'big.json'), BIG_FILE);
  writeFileSync(path.join(cwd, 'script.ts'), SCRIPT);
  const servers = { fs: { command: process.execPath, args: [FILESYSTEM, path.join(cwd, 'data')], env: { FS_API_TOKEN: SECRETS.configured } } };
  writeFileSync(path.join(cwd, '.vscode', 'mcp.json'), JSON.stringify({ servers }));
  const r = await run(['run', 'script.ts', '--json']);
  expect({ code: r.code, stderr: r.stderr }).toMatchObject({ code: 0 });
  ({ traceId, traceFile } = JSON.parse(r.stdout) as { traceId: string; traceFile: string });
}, 120_000);

describe('redaction of the item-8 secrets, end to end', () => {
  it('the stored trace holds none of them, and says what it redacted', () => {
    const text = readFileSync(traceFile, 'utf8');
    expect(leaks(text)).toEqual([]);
    const trace = JSON.parse(text) as { redactions: number; spans: { result?: { truncated: boolean; preview?: string } }[]; script: { source: string } };
    // the tool results really carried the secrets: each rule left its marker
    for (const rule of ['aws_secret_key_like', 'aws_secret_key', 'github_token', 'gitlab_token', 'npm_token', 'huggingface_token', 'sendgrid_key', 'azure_key', 'google_oauth_secret', 'slack_webhook', 'discord_webhook', 'configured_secret', 'secret_field']) {
      expect(text).toContain(`[REDACTED:${rule}]`);
    }
    const big = trace.spans[1]?.result;
    expect(big?.truncated).toBe(true);
    expect(big?.preview).toContain('\\"cookie\\":\\"[REDACTED:secret_field]\\"');
    expect(trace.script.source).toContain('const session_id = "[REDACTED:secret_field]";');
    expect(trace.redactions).toBeGreaterThan(20);
  });

  it('`traces show --json` holds none of them', async () => {
    const r = await run(['traces', 'show', traceId, '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).id).toBe(traceId);
    expect(leaks(r.stdout)).toEqual([]);
    const people = await run(['traces', 'show', traceId]);
    expect(people.code).toBe(0);
    expect(leaks(people.stdout)).toEqual([]);
  });

  it('the OTLP and Chrome exports hold none of them', async () => {
    for (const format of ['otlp', 'chrome']) {
      const r = await run(['traces', 'export', traceId, '--format', format]);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('[REDACTED:');
      expect(leaks(r.stdout)).toEqual([]);
    }
  });
});
