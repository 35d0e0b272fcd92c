// toolweaver_read_value is declared once (READ_VALUE_TOOL); package.json's languageModelTools entry
// must be that declaration, and the LM tool's replies name the LM tool.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readValueReply } from '../../../src/core/run/readValueReply';
import { READ_VALUE_TOOL } from '../../../src/core/preview/readValueTool';
import { createValueStore } from '../../../src/core/preview/valueStore';
import { runOutcomeText } from '../../../src/extension/agents/agentText';

interface LmTool {
  name: string;
  modelDescription: string;
  inputSchema: unknown;
}

describe('toolweaver_read_value', () => {
  const tools = (JSON.parse(readFileSync('package.json', 'utf8')) as { contributes: { languageModelTools: LmTool[] } }).contributes.languageModelTools;

  it('is in package.json with the schema of READ_VALUE_TOOL', () => {
    const entry = tools.find((t) => t.name === READ_VALUE_TOOL.lmToolName);
    expect(entry?.inputSchema).toEqual(READ_VALUE_TOOL.inputJsonSchema());
    expect(entry?.modelDescription).toContain('toolweaver_read_value $.customers offset 20');
    expect(entry?.modelDescription).not.toMatch(/(?<!toolweaver_)read_value \$/);
  });

  it('run_code and read_value replies in VS Code name toolweaver_read_value', () => {
    const stats = { durationMs: 1, toolCalls: 0, cachedCalls: 0, failedToolCalls: 0, peakConcurrency: 0, logBytesDropped: 0 };
    const value = { rows: Array.from({ length: 3000 }, (_, i) => i) };
    const text = runOutcomeText({ result: { ok: true, value, logs: [], stats }, traceId: 't1' });
    expect(text).toContain('toolweaver_read_value $.rows offset');
    expect(text).toContain('call toolweaver_read_value with its path and offset');
    const store = createValueStore();
    store.put('t1', value);
    const page = readValueReply(store, { path: '$.rows', offset: 0, maxChars: 100 }, { readTool: READ_VALUE_TOOL.lmToolName });
    expect(page.text).toContain('Next: toolweaver_read_value({"path":"$.rows","offset":');
  });
});
