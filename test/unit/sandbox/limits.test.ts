import { describe, expect, it } from 'vitest';
import { capError, MAX_STACK_KB, MIN_MEMORY_MB, resolveLimits, truncateBytes } from '../../../src/core/sandbox/limits';
import { DEFAULT_LIMITS } from '../../../src/core/sandbox/types';

describe('resolveLimits', () => {
  it('fills defaults and ignores values that are not positive numbers', () => {
    expect(resolveLimits(undefined)).toEqual(DEFAULT_LIMITS);
    expect(resolveLimits({ timeoutMs: NaN, maxToolCalls: -1, memoryMb: 'x' as unknown as number })).toEqual(DEFAULT_LIMITS);
    expect(resolveLimits({ timeoutMs: 500 }).timeoutMs).toBe(500);
    expect(DEFAULT_LIMITS.maxPendingSleeps).toBe(10_000);
  });
  it('clamps to what the engine can honour', () => {
    expect(resolveLimits({ memoryMb: 1 }).memoryMb).toBe(MIN_MEMORY_MB);
    expect(resolveLimits({ stackKb: 1e9 }).stackKb).toBe(MAX_STACK_KB);
    expect(resolveLimits({ timeoutMs: 1e12 }).timeoutMs).toBeLessThan(2 ** 31);
    expect(resolveLimits({ maxConcurrency: 0.5 }).maxConcurrency).toBe(1);
    expect(resolveLimits({ maxPendingSleeps: 2.5 }).maxPendingSleeps).toBe(2);
    expect(resolveLimits({ maxPendingSleeps: 0.5 }).maxPendingSleeps).toBe(1);
  });
});

describe('truncateBytes', () => {
  it('cuts at a byte budget without splitting characters', () => {
    expect(truncateBytes('short')).toBe('short');
    const cut = truncateBytes('😀'.repeat(3000), 100);
    expect(Buffer.byteLength(cut)).toBeLessThanOrEqual(100);
    expect(cut).toMatch(/^(😀)+… \[truncated\]$/);
  });
  it('caps error messages and stacks at 4 KiB', () => {
    const e = capError({ name: 'Error', code: 'guest_error', message: 'm'.repeat(10_000), stack: 's'.repeat(10_000) });
    expect(Buffer.byteLength(e.message)).toBeLessThanOrEqual(4096);
    expect(Buffer.byteLength(e.stack ?? '')).toBeLessThanOrEqual(4096);
  });
});
