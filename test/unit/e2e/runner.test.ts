// The e2e test runner (test/e2e/runner.ts) counts and reports honestly: failures, hook failures and
// timeouts are failures, afterEach runs after a failure, and the closing line is "N passed, N failed".
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

type Runner = typeof import('../../e2e/runner');

/** A fresh runner module (its registry is module state). */
async function freshRunner(): Promise<Runner> {
  vi.resetModules();
  return import('../../e2e/runner');
}

describe('e2e runner', () => {
  let lines: string[];
  const print = (l: string) => void lines.push(l);
  beforeEach(() => {
    lines = [];
    delete process.env.TOOLWEAVER_E2E_GREP;
  });
  afterEach(() => {
    delete process.env.TOOLWEAVER_E2E_GREP;
  });

  it('counts passes and failures and ends with the summary line', async () => {
    const r = await freshRunner();
    r.suite('s', () => {
      r.test('ok', () => undefined);
      r.test('async ok', async () => new Promise((res) => setTimeout(res, 1)));
      r.test('bad', () => {
        throw new Error('boom');
      });
    });
    const sum = await r.runRegistered(print);
    expect([sum.passed, sum.failed]).toEqual([2, 1]);
    expect(sum.failures).toEqual(['s › bad: boom']);
    expect(lines.at(-1)).toMatch(/^2 passed, 1 failed \(/);
    expect(lines.some((l) => l.startsWith('  ✗ bad\n      Error: boom'))).toBe(true);
  });

  it('fails a test at its timeout and aborts its signal', async () => {
    const r = await freshRunner();
    let aborted = false;
    r.test('slow', (signal) => new Promise((res) => signal.addEventListener('abort', () => ((aborted = true), res(undefined)))), { timeoutMs: 20 });
    const sum = await r.runRegistered(print);
    expect(sum.failed).toBe(1);
    expect(sum.failures[0]).toMatch(/timed out after 20 ms/);
    expect(aborted).toBe(true);
  });

  it('runs afterEach after a failing test and counts an afterEach error', async () => {
    const r = await freshRunner();
    const seen: string[] = [];
    r.suite('hooks', () => {
      r.afterEach(() => void seen.push('afterEach'));
      r.test('fails', () => {
        throw new Error('x');
      });
    });
    r.suite('bad hook', () => {
      r.afterEach(() => {
        throw new Error('cleanup broke');
      });
      r.test('passes but cleanup fails', () => undefined);
    });
    const sum = await r.runRegistered(print);
    expect(seen).toEqual(['afterEach']);
    expect(sum.passed).toBe(0);
    expect(sum.failures).toEqual(['hooks › fails: x', 'bad hook › passes but cleanup fails: cleanup broke']);
  });

  it('a failing before hook fails the suite and skips its tests', async () => {
    const r = await freshRunner();
    r.suite('s', () => {
      r.before(() => {
        throw new Error('no server');
      });
      r.test('a', () => undefined);
    });
    const sum = await r.runRegistered(print);
    expect([sum.passed, sum.failed, sum.skipped]).toEqual([0, 1, 1]);
    expect(sum.failures[0]).toBe('s › before hook: no server');
  });

  it('filters by TOOLWEAVER_E2E_GREP and honours only/skip', async () => {
    process.env.TOOLWEAVER_E2E_GREP = 'keep';
    const r = await freshRunner();
    r.test('keep me', () => undefined);
    r.test('drop me', () => {
      throw new Error('should not run');
    });
    expect((await r.runRegistered(print)).passed).toBe(1);

    delete process.env.TOOLWEAVER_E2E_GREP;
    const r2 = await freshRunner();
    r2.test('other', () => {
      throw new Error('should not run');
    });
    r2.test.only('focused', () => undefined);
    r2.test.skip('skipped', () => undefined);
    const sum = await r2.runRegistered(print);
    expect([sum.passed, sum.failed]).toEqual([1, 0]);
  });
});
