// The call slot (worker → host): calls cross in order with the worker's messages, a full slot
// refuses more (they go as a message), and a text too big for the slot is refused.
import { describe, expect, it } from 'vitest';
import { CALL_SLOT_BYTES, CallReceiver, CallSender, newCallSlot, type SlotCalls } from '../../../src/core/sandbox/callChannel';

describe('call slot', () => {
  it('hands calls over only after the messages posted before them, and in order with the rest', () => {
    const slot = newCallSlot();
    const sender = new CallSender(slot);
    const receiver = new CallReceiver(slot);
    const seen: string[] = [];
    const deliver = (c: SlotCalls): void => void seen.push(`calls:${c.calls}`);
    sender.posted(); // 'started'
    sender.posted(); // an 'out' with logs
    expect(sender.offer(7, '0,,,a\u0001{"i":1}', 12)).toBe(true);
    // The slot is written, but the two earlier messages are not read yet.
    expect(receiver.take()).toBeUndefined();
    receiver.onMessage(() => seen.push('started'), deliver);
    expect(seen).toEqual(['started']);
    receiver.onMessage(() => seen.push('logs'), deliver);
    expect(seen).toEqual(['started', 'logs', 'calls:0,,,a\u0001{"i":1}']);
    expect(receiver.take()).toBeUndefined();
    // A message posted after the slot is read after its calls.
    expect(sender.offer(7, 'second', 0)).toBe(true);
    sender.posted();
    receiver.onMessage(() => seen.push('done'), deliver);
    expect(seen.slice(3)).toEqual(['calls:second', 'done']);
  });

  it('refuses calls while full or too big for the slot, and keeps the run id and dropped bytes', () => {
    const slot = newCallSlot();
    const sender = new CallSender(slot);
    const receiver = new CallReceiver(slot);
    expect(sender.offer(1, 'x'.repeat(CALL_SLOT_BYTES + 1), 0)).toBe(false);
    expect(sender.offer(3, 'é', 42)).toBe(true);
    expect(sender.offer(3, 'more', 42)).toBe(false);
    expect(receiver.take()).toEqual({ runId: 3, calls: 'é', logBytesDropped: 42 });
    expect(sender.offer(3, 'more', 42)).toBe(true);
  });

  it('wakes a listener on the event loop when the slot fills', async () => {
    const slot = newCallSlot();
    const sender = new CallSender(slot);
    const receiver = new CallReceiver(slot);
    const got: string[] = [];
    receiver.listen(() => {
      const c = receiver.take();
      if (c) got.push(c.calls);
    });
    sender.offer(1, 'a', 0);
    await new Promise((r) => setTimeout(r, 50));
    sender.offer(1, 'b', 0);
    await new Promise((r) => setTimeout(r, 50));
    receiver.close();
    expect(got).toEqual(['a', 'b']);
  });
});
