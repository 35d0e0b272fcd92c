import { describe, expect, it } from 'vitest';
import { closestNames, editDistance } from '../../../src/core/editing/closestName';

describe('closestNames', () => {
  it('computes edit distance', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('same', 'same')).toBe(0);
  });
  it('suggests the nearest names, best first', () => {
    const names = ['get_customer', 'get_customers', 'list_orders', 'delete_ticket'];
    expect(closestNames('get_custmer', names)).toEqual(['get_customer', 'get_customers']);
    expect(closestNames('list_order', names)[0]).toBe('list_orders');
  });
  it('never suggests unrelated names', () => {
    expect(closestNames('frobnicate', ['get_customer', 'list_orders'])).toEqual([]);
  });
});
