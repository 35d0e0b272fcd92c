// The panel's words: helper labels without a repeated word, error codes in words (issue 14, item 9).
import { describe, expect, it } from 'vitest';
import type { Span } from '../../../src/core/trace/schema';
import { describeRunErrorCode } from '../../../src/core/sandbox/errorWords';
import { spanLabel } from '../../../src/webview/timelineModel';

const helper = (name: string, attrs: Record<string, unknown>): Span => ({ kind: 'helper', id: 'h', startMs: 0, endMs: 1, status: 'ok', helper: name, attrs }) as Span;

describe('panel copy', () => {
  it('labels an attempt span "attempt 1", not "attempt · attempt 1"', () => {
    expect(spanLabel(helper('attempt', { attempt: 1 }))).toBe('attempt 1');
    expect(spanLabel(helper('retry', { attempts: 4 }))).toBe('retry · attempts 4');
    expect(spanLabel(helper('step', { step: 'report', name: 'x' }))).toBe('step report · name x');
    expect(spanLabel(helper('map', { items: 8, concurrency: 4 }))).toBe('map · items 8 · concurrency 4');
  });

  it('says what an error code means; unknown codes still read as words', () => {
    expect(describeRunErrorCode('guest_error')).toBe('The script threw an error');
    expect(describeRunErrorCode('tool_error')).toBe('A tool call failed');
    expect(describeRunErrorCode('some_new_code')).toBe('The run failed (some new code)');
  });
});
