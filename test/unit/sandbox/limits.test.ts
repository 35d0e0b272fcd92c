import { describe, expect, it } from 'vitest';
import { capError, cutBeforeRedaction, MAX_STACK_KB, MIN_MEMORY_MB, resolveLimits, truncateBytes } from '../../../src/core/sandbox/limits';
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
  // issue 10, item 8: these cuts happen before the trace redacts, so a token cut in two kept a
  // prefix no pattern recognises. The split token is dropped whole.
  it('never ends a cut inside a token', () => {
    const token = 'ghp_16C7e42F292c6912E7710c838347Ae178B4a';
    const message = `${'a '.repeat(2030)}key: ${token} and more`;
    const budget = 4096 - Buffer.byteLength('… [truncated]');
    expect(message.indexOf(token)).toBeLessThan(budget);
    expect(message.indexOf(token) + token.length).toBeGreaterThan(budget);
    const cut = truncateBytes(message);
    expect(cut).not.toContain('ghp_');
    expect(cut.endsWith('a key: … [truncated]')).toBe(true);
    expect(cutBeforeRedaction('abc def', 5)).toBe('abc ');
    expect(cutBeforeRedaction('abc def', 4)).toBe('abc ');
    expect(cutBeforeRedaction('abc def', 3)).toBe('abc');
    expect(cutBeforeRedaction('é'.repeat(10), 5)).toBe('éé');
    // a run longer than any token is cut where it is
    expect(cutBeforeRedaction('x'.repeat(5000), 4000)).toBe('x'.repeat(3488));
  });
});
