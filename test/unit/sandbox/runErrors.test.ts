// Run errors come from one factory keyed by code: one name per code, whatever built the error.
import { describe, expect, it } from 'vitest';
import { RUN_ERROR_NAMES, runError } from '../../../src/core/sandbox/runErrors';
import { quotaError, stopError, timeoutError } from '../../../src/core/sandbox/outcome';
import { DEFAULT_LIMITS } from '../../../src/core/sandbox/types';

describe('runError', () => {
  it('derives the name from the code; only guest and syntax errors may carry their own', () => {
    expect(runError('sandbox_crashed', 'x')).toEqual({ name: 'SandboxCrashedError', code: 'sandbox_crashed', message: 'x' });
    expect(runError('guest_error', 'x', { name: 'RangeError', line: 3 })).toEqual({ name: 'RangeError', code: 'guest_error', message: 'x', line: 3 });
    expect(new Set(Object.values(RUN_ERROR_NAMES)).size).toBe(Object.keys(RUN_ERROR_NAMES).length);
  });
  it('the host and the guest word a quota or a timeout the same way', () => {
    const limits = { ...DEFAULT_LIMITS, maxToolCalls: 7, timeoutMs: 1234 };
    expect(stopError('quota', limits)).toMatchObject({ limitHit: 'maxToolCalls', error: quotaError(limits) });
    expect(stopError('timeout', limits)).toMatchObject({ limitHit: 'timeoutMs', error: timeoutError(limits) });
    expect(quotaError(limits).message).toContain('more than 7 tool calls');
    expect(timeoutError(limits).message).toContain('within 1234 ms');
  });
});
