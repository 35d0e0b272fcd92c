// The guest memory (issue 15): starts small, grows on demand, and its maximum is a hard cap.
import { describe, expect, it } from 'vitest';
import { GuestMemory, INITIAL_MEMORY_MB } from '../../../../src/core/sandbox/worker/guestMemory';

describe('GuestMemory', () => {
  it('keeps the cap a hard limit: a grow past it is refused and recorded', () => {
    const m = new GuestMemory(32);
    expect(m.memory.buffer.byteLength).toBe(INITIAL_MEMORY_MB << 20);
    m.memory.grow(((32 - INITIAL_MEMORY_MB) << 20) / 65536);
    expect(m.exhausted).toBe(false);
    expect(() => m.memory.grow(1)).toThrow(RangeError);
    expect(m.exhausted).toBe(true);
  });

  it('a cap at the first size cannot grow at all', () => {
    const m = new GuestMemory(INITIAL_MEMORY_MB);
    expect(m.memory.buffer.byteLength).toBe(INITIAL_MEMORY_MB << 20);
    expect(() => m.memory.grow(1)).toThrow(RangeError);
    expect(m.exhausted).toBe(true);
  });
});
