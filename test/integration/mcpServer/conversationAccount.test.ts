// The token account of one real `toolweaver mcp` session (stdio, embedded demo catalog, type check on):
// the definitions counted are the ones tools/list serves, search results and rejected scripts go into
// the next run, a failed run claims no saving and its cost moves to the fix, a cut reply is flagged,
// and the conversation total re-sends earlier turns (more than the sum of the runs).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CODE_MODE_TOOLS, inputJsonSchema, toolName } from '../../../src/core/codeMode/tools';
import { definitionsText } from '../../../src/core/tokens/text';
import { loadDefaultTokenizer } from '../../../src/core/tokens/tokenizer';
import type { Trace } from '../../../src/core/trace/schema';
import { callTool, texts, traceOf as traceFile, type Reply } from './replies';

const CLI = path.resolve('dist/cli.js');
const cwd = mkdtempSync(path.join(tmpdir(), 'tw-mcp-conv-'));
const traceDir = path.join(cwd, 'traces');
let client: Client;

const call = (name: string, args: Record<string, unknown>): Promise<Reply> => callTool(client, name, args);
const traceOf = (r: Reply): Trace => traceFile(r, traceDir);
const tokensOf = (r: Reply) => {
  const t = traceOf(r).tokens;
  if (!t) throw new Error('the trace has no token account');
  return t;
};

const THREE = 'const r = await tools.demo.list_customers({ limit: 3 });\nreturn r.customers.map((c) => c.id);';
const MANY = 'let all: unknown[] = [];\nlet cursor: string | undefined;\ndo {\n  const page = await tools.demo.list_customers({ limit: 100, cursor });\n  all = all.concat(page.customers);\n  cursor = page.nextCursor;\n} while (all.length < 300 && cursor);\nreturn all;';

beforeAll(async () => {
  client = new Client({ name: 'conversation-account-test', version: '0' });
  await client.connect(new StdioClientTransport({ command: process.execPath, args: [CLI, 'mcp', '--no-skills', '--max-timeout-ms', '20000', '--trace-dir', traceDir], cwd, stderr: 'ignore' }));
}, 60_000);
afterAll(async () => {
  await client?.close();
  rmSync(cwd, { recursive: true, force: true });
});

describe('toolweaver mcp: one session is one conversation of the token account', () => {
  it('counts what the session served and the model read; a failed run moves its cost to the fix; the conversation re-sends earlier turns', async () => {
    // The definitions counted are the ones served (run_code with its manifest), as tools/list lists them.
    const { tools } = await client.listTools();
    const tok = await loadDefaultTokenizer();
    const served = CODE_MODE_TOOLS.map((def) => {
      const t = tools.find((x) => x.name === toolName(def, 'mcp'));
      return { name: t?.name ?? '', description: t?.description ?? '', inputSchema: inputJsonSchema(def) };
    });
    const servedTokens = tok.count(definitionsText(served));
    expect(served[0]?.description).toContain('tools on');

    const search = await call('search_tools', { query: 'list customers' });
    const rejected = await call('run_code', { code: 'const n: number = "three";\nreturn n;' });
    expect(rejected.isError).toBe(true);
    expect(texts(rejected)[0]).toContain('did not type-check');

    const first = await call('run_code', { code: THREE });
    expect(first.isError).toBeUndefined();
    const a1 = tokensOf(first);
    expect(a1.codeMode.breakdown.definitions).toBe(servedTokens * a1.codeMode.requests);
    expect(a1.codeMode.breakdown.definitions).toBeGreaterThan(0);
    // The search reply that was really returned, once per later request; the rejected script and its error.
    const docTokens = tok.count(texts(search).join(''));
    expect(a1.codeMode.breakdown.docs).toBe(docTokens * (a1.codeMode.requests - 1));
    expect(a1.codeMode.breakdown.repairs ?? 0).toBeGreaterThan(tok.count(texts(rejected)[0] ?? ''));
    expect(a1.codeMode.requests).toBe(4); // docs, the rejected script, the script, the reply
    // The script as sent: JSON-escaped in run_code's arguments, output once and re-sent once.
    expect(a1.codeMode.breakdown.script).toBe(2 * tok.count(JSON.stringify({ code: THREE })));
    expect(a1.savings).not.toBeNull();
    expect(a1.truncated).toBe(false);
    expect(a1.conversation).toMatchObject({ runs: 1, failedRuns: 0, codeMode: a1.codeMode.total, classic: a1.classic.total });
    expect(texts(first).some((t) => t.includes('\nconversation (1 run): '))).toBe(true);

    const failed = await call('run_code', { code: 'await tools.demo.list_customers({ limit: 1 });\nthrow new Error("boom");' });
    expect(failed.isError).toBe(true);
    const a2 = tokensOf(failed);
    expect(a2.savings).toBeNull();
    expect(a2.earlierAttempts).toBeUndefined();
    expect(a2.conversation).toMatchObject({ runs: 2, failedRuns: 1, classic: a1.classic.total });
    expect(texts(failed).join('\n')).toContain('no saving claimed: the run did not finish');

    const fixed = await call('run_code', { code: THREE });
    const a3 = tokensOf(fixed);
    expect(a3.earlierAttempts).toEqual({ runs: 1, tokens: a2.codeMode.total, usdWarm: a2.cost?.warm.codeMode, usdCold: a2.cost?.cold.codeMode });
    expect(a3.codeMode.total).toBe(a3.codeMode.breakdown.definitions + a3.codeMode.breakdown.script + a3.codeMode.breakdown.finalOutput + (a3.codeMode.breakdown.repairs ?? 0));
    expect(a3.codeMode.breakdown.repairs).toBe(a2.codeMode.total);
    expect(a3.savings?.total).toBe(a3.classic.total - a3.codeMode.total);
    // Each run's own code-mode cost, counted once (a3 carries a2's), plus the earlier turns re-sent.
    const own = a1.codeMode.total + a2.codeMode.total + (a3.codeMode.total - a2.codeMode.total);
    expect(a3.conversation?.runs).toBe(3);
    expect(a3.conversation?.codeMode ?? 0).toBeGreaterThan(own);
    expect(a3.conversation?.classic ?? 0).toBeGreaterThan(a1.classic.total + a3.classic.total);

    // A value cut to a preview: the model saw less, and the account says so.
    const big = await call('run_code', { code: MANY });
    const a4 = tokensOf(big);
    expect(a4.truncated).toBe(true);
    expect(texts(big).join('\n')).toContain('the reply was cut');
    expect(a4.conversation?.runs).toBe(4);
    // The reply as sent: the token lines are counted with their stand-ins, within a few tokens.
    const sent = tok.count(texts(big).join('\n\n'));
    // On a loaded machine the count can reach its time budget and estimate the rest (the account's
    // notes say so): then it is held to 10 %, not to the stand-ins' few tokens.
    const estimated = a4.notes.some((n) => n.includes('were estimated'));
    expect(Math.abs(a4.codeMode.breakdown.finalOutput - sent), a4.notes.join(' | ')).toBeLessThanOrEqual(estimated ? Math.max(12, Math.ceil(sent / 10)) : 12);
  }, 180_000);
});
