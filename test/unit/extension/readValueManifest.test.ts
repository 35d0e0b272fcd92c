// In VS Code the LM tool's replies name the LM tool (toolweaver_read_value); package.json's entry is
// checked with the other code-mode tools in test/unit/codeMode/packageJson.test.ts.
import { describe, expect, it } from 'vitest';
import { readValueReply } from '../../../src/core/run/readValueReply';
import { CODE_MODE_TOOL_NAMES } from '../../../src/core/codeMode/tools';
import { createValueStore } from '../../../src/core/preview/valueStore';
import { runOutcomeText } from '../../../src/extension/agents/agentText';

describe('toolweaver_read_value', () => {
  it('run_code and read_value replies in VS Code name toolweaver_read_value', () => {
    const stats = { durationMs: 1, toolCalls: 0, cachedCalls: 0, failedToolCalls: 0, peakConcurrency: 0, logBytesDropped: 0 };
    const value = { rows: Array.from({ length: 3000 }, (_, i) => i) };
    const text = runOutcomeText({ result: { ok: true, value, logs: [], stats }, traceId: 't1' });
    expect(text).toContain('toolweaver_read_value $.rows offset');
    expect(text).toContain('call toolweaver_read_value with its path and offset');
    const store = createValueStore();
    store.put('t1', value);
    const page = readValueReply(store, { path: '$.rows', offset: 0, maxChars: 100 }, { readTool: CODE_MODE_TOOL_NAMES.lm.readValue });
    expect(page.text).toContain('Next: toolweaver_read_value({"path":"$.rows","offset":');
  });
});
