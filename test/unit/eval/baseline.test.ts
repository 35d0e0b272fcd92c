// The baseline comparison the bench and `toolweaver eval` fail on: a conservative token figure that
// moves more than the tolerance either way, a saving that appears or vanishes, or a task that turns
// incorrect fails; new and missing tasks are reported without failing.
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/core/errors';
import { compareToBaseline, makeBaseline, parseBaseline, type TaskFigures } from '../../../src/core/eval/baseline';

const f = (tokenReduction: number | null, correct = true, dollarReduction: number | null = tokenReduction): TaskFigures => ({ tokenReduction, dollarReduction, correct });
const base = (tasks: Record<string, TaskFigures>) => makeBaseline(new Map(Object.entries(tasks)), { updatedAt: '2026-12-01T00:00:00Z' });

describe('compareToBaseline', () => {
  it('passes within 2 points and fails past them, in either direction', () => {
    const b = base({ a: f(0.8), b: f(0.5), c: f(0.3) });
    const cmp = compareToBaseline(new Map([['a', f(0.819)], ['b', f(0.479)], ['c', f(0.3)]]), b);
    expect(cmp.tasks.map((t) => [t.name, t.status])).toEqual([['a', 'same'], ['b', 'moved'], ['c', 'same']]);
    expect(cmp.tasks[0]?.deltaPoints).toBeCloseTo(1.9, 6);
    expect(cmp.tasks[1]?.deltaPoints).toBeCloseTo(-2.1, 6);
    expect(cmp.failed).toBe(true);
    // An improvement past the tolerance fails too: the account must not drift silently either way.
    expect(compareToBaseline(new Map([['a', f(0.83)]]), base({ a: f(0.8) })).failed).toBe(true);
    expect(compareToBaseline(new Map([['a', f(0.82)]]), base({ a: f(0.8) })).failed).toBe(false);
  });

  it('honours a custom tolerance', () => {
    expect(compareToBaseline(new Map([['a', f(0.75)]]), base({ a: f(0.8) }), 5).failed).toBe(false);
    expect(compareToBaseline(new Map([['a', f(0.75)]]), base({ a: f(0.8) }), 4).failed).toBe(true);
  });

  it('fails when a saving appears or vanishes (a run that now fails, or now finishes)', () => {
    expect(compareToBaseline(new Map([['a', f(null)]]), base({ a: f(0.8) })).tasks[0]?.status).toBe('moved');
    expect(compareToBaseline(new Map([['a', f(0.8)]]), base({ a: f(null) })).tasks[0]?.status).toBe('moved');
    const same = compareToBaseline(new Map([['a', f(null)]]), base({ a: f(null) }));
    expect([same.tasks[0]?.status, same.tasks[0]?.deltaPoints, same.failed]).toEqual(['same', null, false]);
  });

  it('fails when a correct task becomes incorrect, even with the same figure', () => {
    const cmp = compareToBaseline(new Map([['a', f(0.8, false)]]), base({ a: f(0.8, true) }));
    expect([cmp.tasks[0]?.status, cmp.failed]).toEqual(['now_incorrect', true]);
  });

  it('reports new and missing tasks without failing; no baseline makes every task new', () => {
    const cmp = compareToBaseline(new Map([['n', f(0.1)]]), base({ gone: f(0.9) }));
    expect(cmp.tasks.map((t) => [t.name, t.status])).toEqual([['n', 'new'], ['gone', 'missing']]);
    expect(cmp.failed).toBe(false);
    expect(compareToBaseline(new Map([['n', f(0.1)]]), undefined).tasks[0]?.status).toBe('new');
  });

  it('compares reductions below -100 % as -100 % (reply noise), but fails when codeModeCostMore turns', () => {
    const lose = (r: number, flag = true): TaskFigures => ({ ...f(r), codeModeCostMore: flag });
    const noisy = compareToBaseline(new Map([['a', lose(-10.5)]]), base({ a: lose(-10.77) }));
    expect([noisy.tasks[0]?.status, noisy.failed]).toEqual(['same', false]);
    expect(noisy.tasks[0]?.deltaPoints).toBeCloseTo(27, 6);
    expect(compareToBaseline(new Map([['a', lose(-0.9)]]), base({ a: lose(-10) })).failed).toBe(true);
    expect(compareToBaseline(new Map([['a', lose(0.4, false)]]), base({ a: lose(0.4, true) })).tasks[0]?.status).toBe('moved');
  });

  it('does not take inherited names for baseline tasks', () => {
    expect(compareToBaseline(new Map([['toString', f(0.1)]]), base({})).tasks[0]?.status).toBe('new');
  });
});

describe('makeBaseline / parseBaseline', () => {
  it('rounds to 0.01 points, sorts tasks by name and round-trips', () => {
    const b = base({ z: f(0.123456), a: f(-1.5, false, null) });
    expect(Object.keys(b.tasks)).toEqual(['a', 'z']);
    expect(b.tasks.z).toEqual({ tokenReduction: 0.1235, dollarReduction: 0.1235, correct: true });
    expect(parseBaseline(JSON.parse(JSON.stringify(b)), 'b.json')).toEqual(b);
  });

  it('rejects a file that is not a baseline with a ConfigError naming it', () => {
    let err: unknown;
    try {
      parseBaseline({ version: 1, tasks: { a: { tokenReduction: 'x' } } }, '/x/baseline.json');
    } catch (e) {
      err = e;
    }
    expect(ConfigError.is(err, 'baseline_invalid')).toBe(true);
    expect((err as Error).message).toContain('/x/baseline.json');
  });
});
