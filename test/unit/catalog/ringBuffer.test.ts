import { describe, expect, it } from 'vitest';
import { RingBuffer } from '../../../src/core/catalog/ringBuffer';

describe('RingBuffer', () => {
  it('keeps only the last `capacity` bytes', () => {
    const rb = new RingBuffer(10);
    rb.push(Buffer.from('abcdef'));
    rb.push(Buffer.from('ghijkl'));
    expect(rb.text()).toBe('cdefghijkl');
    rb.push(Buffer.from('0123456789XYZ'));
    expect(rb.text()).toBe('3456789XYZ');
  });
  it('tail returns the last non-empty lines', () => {
    const rb = new RingBuffer(1000);
    rb.push(Buffer.from('one\n\ntwo\nthree\n'));
    expect(rb.tail(2)).toBe('two\nthree');
  });
});
