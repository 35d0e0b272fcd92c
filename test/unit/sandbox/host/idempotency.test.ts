import { describe, expect, it } from 'vitest';
import { IdempotencyKeys } from '../../../../src/core/sandbox/host/idempotency';

describe('IdempotencyKeys', () => {
  it('gives calls outside a retry keys of their own, numbered from 1', () => {
    const keys = new IdempotencyKeys('run');
    keys.observe({ spanId: 'h1', helper: 'map' });
    keys.observe({ spanId: 'h2', parentId: 'h1', helper: 'item' });
    expect([keys.keyFor(null, 0), keys.keyFor(null, 0), keys.keyFor('h2', 0), keys.keyFor('h2', 0), keys.keyFor('unknown', 0)]).toEqual(['run:1', 'run:2', 'run:3', 'run:4', 'run:5']);
  });

  it('gives the k-th call of every attempt of one retry the same key, and two retries different ones', () => {
    const keys = new IdempotencyKeys('t');
    keys.observe({ spanId: 'h1', helper: 'retry' });
    keys.observe({ spanId: 'h2', parentId: 'h1', helper: 'attempt' });
    const first = [keys.keyFor('h2', 3), keys.keyFor('h2', 4)];
    keys.observe({ spanId: 'h3', parentId: 'h1', helper: 'attempt' });
    const second = [keys.keyFor('h3', 3), keys.keyFor('h3', 4)];
    expect(first).toEqual(['t:1', 't:2']);
    expect(second).toEqual(first);
    // Another retry of the same tool is another logical call.
    keys.observe({ spanId: 'h4', helper: 'retry' });
    keys.observe({ spanId: 'h5', parentId: 'h4', helper: 'attempt' });
    expect(keys.keyFor('h5', 3)).toBe('t:3');
    // A different tool in the same position is a different call.
    keys.observe({ spanId: 'h6', parentId: 'h4', helper: 'attempt' });
    expect(keys.keyFor('h6', 9)).toBe('t:4');
  });

  it('follows helpers nested in an attempt (a map inside retry, a retry inside a retry)', () => {
    const keys = new IdempotencyKeys('t');
    const attempt = (outer: string, id: number): string[] => {
      keys.observe({ spanId: `a${id}`, parentId: outer, helper: 'attempt' });
      keys.observe({ spanId: `m${id}`, parentId: `a${id}`, helper: 'map' });
      keys.observe({ spanId: `i${id}a`, parentId: `m${id}`, helper: 'item' });
      keys.observe({ spanId: `i${id}b`, parentId: `m${id}`, helper: 'item' });
      keys.observe({ spanId: `r${id}`, parentId: `a${id}`, helper: 'retry' });
      keys.observe({ spanId: `ra${id}`, parentId: `r${id}`, helper: 'attempt' });
      return [keys.keyFor(`i${id}a`, 0), keys.keyFor(`i${id}b`, 0), keys.keyFor(`ra${id}`, 0)];
    };
    keys.observe({ spanId: 'R', helper: 'retry' });
    const one = attempt('R', 1);
    expect(new Set(one).size).toBe(3);
    expect(attempt('R', 2)).toEqual(one);
  });

  it('does not share keys across poll attempts or fallback branches (those are different calls)', () => {
    const keys = new IdempotencyKeys('t');
    keys.observe({ spanId: 'R', helper: 'retry' });
    keys.observe({ spanId: 'A', parentId: 'R', helper: 'attempt' });
    keys.observe({ spanId: 'P', parentId: 'A', helper: 'poll' });
    keys.observe({ spanId: 'P1', parentId: 'P', helper: 'attempt' });
    keys.observe({ spanId: 'P2', parentId: 'P', helper: 'attempt' });
    expect(keys.keyFor('P1', 0)).not.toBe(keys.keyFor('P2', 0));
    const plain = new IdempotencyKeys('u');
    plain.observe({ spanId: 'F', helper: 'fallback' });
    plain.observe({ spanId: 'F1', parentId: 'F', helper: 'attempt' });
    plain.observe({ spanId: 'F2', parentId: 'F', helper: 'attempt' });
    expect(plain.keyFor('F1', 0)).not.toBe(plain.keyFor('F2', 0));
  });
});
