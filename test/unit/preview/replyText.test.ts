import { describe, expect, it } from 'vitest';
import { previewValue } from '../../../src/core/preview/previewValue';
import { pageNote, previewNote } from '../../../src/core/preview/replyText';
import { createValueStore, readValue } from '../../../src/core/preview/valueStore';

const value = { ok: true, count: 3, items: [{ sku: 'A-1', qty: 2 }], log: 'x'.repeat(500), matrix: Array.from({ length: 30 }, (_, i) => [i, i * i]) };

describe('previewNote and pageNote', () => {
  it('say what was left out and give working read_value calls', () => {
    const p = previewValue(value, { maxChars: 260 });
    expect(previewNote(p, { maxChars: 260, runId: 'run_7' })).toBe(
      [
        'The value was too large, so it was cut to 260 characters of valid JSON: 2 parts were left out, each marked in place by a string "«… …»" that names its path and offset.',
        'To read a part, call read_value with its path and offset (after later runs, add "runId":"run_7" to read this one):',
        '- $.log: 467 of 500 characters not shown; read_value({"path":"$.log","offset":33})',
        '- $.matrix: 25 of 30 items not shown; read_value({"path":"$.matrix","offset":5})',
      ].join('\n'),
    );
    expect(previewNote(previewValue({ a: 1 }, { maxChars: 100 }), { maxChars: 100 })).toBeUndefined();
  });

  it('places a page and names the next call (with runId only when it is not the last run)', () => {
    const store = createValueStore();
    store.put('run_7', value);
    let page = readValue(store, { path: '$.matrix', offset: 5, maxChars: 80 });
    expect(page.text).toBe('[[5,25],[6,36],[7,49],[8,64],[9,81],[10,100],[11,121],[12,144],[13,169]]');
    expect(pageNote(page, { newestRunId: 'run_7' })).toBe('$.matrix (run run_7): items 5–13 of 30. Next: read_value({"path":"$.matrix","offset":14}).');
    store.put('run_8', 1);
    page = readValue(store, { runId: 'run_7', path: '$.matrix', offset: 14, maxChars: 80 });
    expect(pageNote(page, { newestRunId: 'run_8', readTool: 'toolweaver_read_value' })).toBe(
      '$.matrix (run run_7): items 14–21 of 30. Next: toolweaver_read_value({"runId":"run_7","path":"$.matrix","offset":22}).',
    );
    expect(pageNote(readValue(store, { path: '$' }))).toBe('$ (run run_8): the whole number value. This is the end.');
  });
});
