import { describe, expect, it } from 'vitest';
import { IllegalRunTransition, isOver, moveTo, stopReasonOf, TRANSITIONS, type RunState, type RunStateKind } from '../../../../src/core/sandbox/worker/runState';

const sample: Record<RunStateKind, RunState> = {
  running: { kind: 'running' },
  stopping: { kind: 'stopping', reason: 'timeout' },
  finishing: { kind: 'finishing', reason: null, describeUntil: 0 },
  done: { kind: 'done' },
  broken: { kind: 'broken' },
};
const kinds = Object.keys(sample) as RunStateKind[];

describe('the lifecycle of a guest run', () => {
  it('allows exactly the forward moves of the table', () => {
    const legal: string[] = [];
    for (const from of kinds) {
      for (const to of kinds) {
        try {
          expect(moveTo(sample[from], sample[to])).toBe(sample[to]);
          legal.push(`${from}->${to}`);
        } catch (err) {
          expect(IllegalRunTransition.is(err)).toBe(true);
          expect((err as IllegalRunTransition).from).toBe(from);
          expect((err as IllegalRunTransition).to).toBe(to);
        }
      }
    }
    expect(legal.sort()).toEqual(
      [
        'running->stopping',
        'running->finishing',
        'running->done',
        'running->broken',
        'stopping->finishing',
        'stopping->done',
        'stopping->broken',
        'finishing->finishing',
        'finishing->done',
        'finishing->broken',
      ].sort(),
    );
  });

  it('never leaves a final state and never goes back to running', () => {
    expect(TRANSITIONS.done).toEqual([]);
    expect(TRANSITIONS.broken).toEqual([]);
    for (const from of kinds) expect(TRANSITIONS[from]).not.toContain('running');
    expect(() => moveTo(sample.done, sample.broken)).toThrow(/from 'done' to 'broken'/);
    expect(() => moveTo(sample.finishing, sample.stopping)).toThrow(IllegalRunTransition);
  });

  it('knows when a run is over and which stop it carries', () => {
    expect(kinds.filter((k) => isOver(sample[k]))).toEqual(['done', 'broken']);
    expect(stopReasonOf(sample.stopping)).toBe('timeout');
    expect(stopReasonOf({ kind: 'finishing', reason: 'quota', describeUntil: 5 })).toBe('quota');
    expect(stopReasonOf(sample.finishing)).toBeNull();
    expect(stopReasonOf(sample.running)).toBeNull();
  });
});
