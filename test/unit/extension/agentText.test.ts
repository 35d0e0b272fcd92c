// Pure text of the extension's agent adapters: approval prompts,
// token summaries, chat progress, and recognising ToolWeaver's own tools and servers.
import { describe, expect, it } from 'vitest';
import { agentFooter, approvalPrompt, prettyArgs, progressLine, tokenSummary, typeErrorText } from '../../../src/extension/agents/agentText';
import { isOwnMcpServer, isOwnToolName, withoutOwnServers } from '../../../src/extension/agents/ownTools';

describe('approval text', () => {
  it('shows the tool, the reason, the script line and the arguments', () => {
    const p = approvalPrompt({ server: 'demo', tool: 'delete_ticket', args: { ticketId: 'tkt_1' }, line: 4, runId: 'r', reason: 'demo/delete_ticket is marked destructive.' }, 'cleanup.tw.ts');
    expect(p.message).toBe('Allow the script to call demo/delete_ticket?');
    expect(p.detail).toBe('demo/delete_ticket is marked destructive.\nCalled from cleanup.tw.ts, line 4.\n\nArguments:\n{\n  "ticketId": "tkt_1"\n}');
  });

  it('cuts long arguments and says how much', () => {
    const text = prettyArgs({ body: 'x'.repeat(5_000) }, 100);
    expect(text).toHaveLength(100 + '\n… (4916 more characters)'.length);
    expect(text.endsWith('\n… (4916 more characters)')).toBe(true);
  });

});

describe('model-facing text', () => {
  it('type errors say nothing ran and point at the lines', () => {
    expect(typeErrorText([{ line: 3, column: 9, message: "Property 'x' does not exist.", code: 2339 }])).toBe(
      "The script did not type-check, so it was not run. Fix these and call toolweaver_run_code again:\nline 3, col 9: Property 'x' does not exist. (TS2339)\n(Use toolweaver_describe_tool to see a tool's exact input and output types.)",
    );
  });

  it('summarises the token account in one line', () => {
    const side = { requests: 1, input: 0, output: 0, total: 1_240, peakContext: 0, breakdown: { definitions: 0, docs: 0, intermediateResults: 0, arguments: 0, script: 0, finalOutput: 0 } };
    const account = { tokenizer: 'o200k', codeMode: side, classic: { ...side, total: 20_140, waves: 3, toolCalls: 12 }, savings: { total: 18_900, definitions: 0, intermediateResults: 0, reduction: 0.93843, peakReduction: 0 }, codeModeCostMore: false, approximate: false, notes: [] };
    expect(tokenSummary(account)).toBe('tokens: 1,240 with code mode vs 20,140 with direct tool calls (93.8 % saved)');
    expect(tokenSummary({ ...account, codeModeCostMore: true })).toContain('(code mode cost MORE than direct tool calls)');
    expect(tokenSummary(undefined)).toBeUndefined();
    // A run in a conversation: a second line for the conversation; the chat footer puts both on one line.
    const conversation = { runs: 2, failedRuns: 1, codeMode: 9_000, classic: 8_000, reduction: -0.125, cost: { model: 'm', codeMode: 0.02, classic: 0.01, reduction: -1 }, codeModeCostMore: true };
    const two = tokenSummary({ ...account, truncated: true, conversation });
    expect(two).toBe('tokens: 1,240 with code mode vs 20,140 with direct tool calls (93.8 % saved; the reply was cut)\nconversation (2 runs, 1 failed): 9,000 with code mode vs 8,000 with direct tool calls (code mode cost MORE than direct tool calls)');
    const footer = agentFooter({ ok: true, stopReason: 'answered', answer: 'a', iterations: 2, tokens: { input: 10, output: 5, estimated: false }, lastRun: { result: { ok: true, value: 1, logs: [], stats: { durationMs: 1, toolCalls: 1, cachedCalls: 0, failedToolCalls: 0, peakConcurrency: 1, logBytesDropped: 0 } }, tokenSummary: two } });
    expect(footer).toContain('Last run tokens: 1,240');
    expect(footer).toContain('; conversation (2 runs, 1 failed): 9,000 with code mode vs 8,000 with direct tool calls (code mode cost MORE than direct tool calls).');
    expect(footer).not.toContain('\n');
  });

  it('progress lines for the chat stream', () => {
    expect(progressLine({ type: 'request', iteration: 1 })).toBe('Asking the model for a script…');
    expect(progressLine({ type: 'typeErrors', diagnostics: [{ line: 1, column: 1, message: 'm', code: 1 }, { line: 2, column: 1, message: 'm', code: 1 }] })).toBe('The script has 2 type errors; asking the model to fix them…');
    expect(progressLine({ type: 'chunk', text: 'x' })).toBeUndefined();
  });
});

describe('own tools and servers', () => {
  it('recognises our LM tools and our MCP tools as VS Code names them, not other tools', () => {
    expect(isOwnToolName('toolweaver_run_code')).toBe(true);
    expect(isOwnToolName('mcp_toolweaver_run_code')).toBe(true);
    expect(isOwnToolName('mcp_toolweaver_describe_tool')).toBe(true);
    expect(isOwnToolName('mcp_toolweaver_read_value')).toBe(true);
    expect(isOwnToolName('toolweaver_read_value')).toBe(true);
    expect(isOwnToolName('mcp_github_run_code')).toBe(false);
    expect(isOwnToolName('mcp_toolweaver-docs_fetch')).toBe(false);
    expect(isOwnToolName('copilot_searchCodebase')).toBe(false);
  });

  it('recognises `toolweaver mcp` server entries however they are launched', () => {
    expect(isOwnMcpServer({ command: 'node', args: ['/x/dist/cli.js', 'mcp', '--config', 'a.json'] })).toBe(true);
    expect(isOwnMcpServer({ command: 'npx', args: ['-y', 'toolweaver', 'mcp'] })).toBe(true);
    expect(isOwnMcpServer({ command: '/usr/local/bin/toolweaver', args: ['mcp'] })).toBe(true);
    expect(isOwnMcpServer({ command: 'node', args: ['/x/dist/cli.js', 'demo-server'] })).toBe(false);
    expect(isOwnMcpServer({ command: 'node', args: ['server.js', 'mcp'] })).toBe(false);
    expect(isOwnMcpServer({ type: 'http', url: 'http://127.0.0.1/mcp' })).toBe(false);
  });

  it('drops our own servers from an mcp.json (JSONC), or leaves it alone', () => {
    const text = '{\n  // servers\n  "servers": {\n    "tw": { "command": "node", "args": ["dist/cli.js", "mcp"] },\n    "fs": { "command": "node", "args": ["fs.js"] },\n  },\n  "inputs": []\n}';
    const out = withoutOwnServers(text);
    expect(out?.dropped).toEqual(['tw']);
    expect(JSON.parse(out!.text)).toEqual({ servers: { fs: { command: 'node', args: ['fs.js'] } }, inputs: [] });
    expect(withoutOwnServers('{"servers":{"fs":{"command":"node","args":["fs.js"]}}}')).toBeUndefined();
    expect(withoutOwnServers('not json')).toBeUndefined();
  });
});
