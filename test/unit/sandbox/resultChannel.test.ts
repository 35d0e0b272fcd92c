// The result slot (issue 15): the host writes only into a slot the worker opened, and anything else
// (a closed slot, a batch too big, a wake for a message) leaves the worker to its event loop.
import { describe, expect, it } from 'vitest';
import { newResultSlot, RESULT_SLOT_BYTES, ResultReceiver, ResultSender } from '../../../src/core/sandbox/resultChannel';

function pair(): { sender: ResultSender; receiver: ResultReceiver } {
  const slot = newResultSlot();
  return { sender: new ResultSender(slot), receiver: new ResultReceiver(slot) };
}

describe('result slot', () => {
  it('carries one batch of JSON text to an armed receiver, once', () => {
    const { sender, receiver } = pair();
    receiver.arm();
    const batch = '[[1,1,{"text":"héllo ✓"}],[2,0,{"code":"timeout"}]]';
    expect(sender.offer(7, batch, 2)).toBe(true);
    // The slot is taken until the receiver reads it.
    expect(sender.offer(7, '[[3,1,null]]', 1)).toBe(false);
    expect(receiver.wait(1000)).toEqual({ runId: 7, batch, count: 2 });
    expect(sender.offer(7, '[[3,1,null]]', 1)).toBe(false);
  });

  it('refuses a batch when the receiver is not armed, or when it is too big', () => {
    const { sender, receiver } = pair();
    expect(sender.offer(1, '[[1,1,1]]', 1)).toBe(false);
    receiver.arm();
    expect(sender.offer(1, `[[1,1,"${'x'.repeat(RESULT_SLOT_BYTES)}"]]`, 1)).toBe(false);
    expect(receiver.wait(0)).toBeUndefined();
    expect(sender.offer(1, '[[1,1,1]]', 1)).toBe(false);
  });

  it('a wake ends the wait without a batch, and a timed-out wait closes the slot', () => {
    const { sender, receiver } = pair();
    receiver.arm();
    sender.wake();
    const t0 = performance.now();
    expect(receiver.wait(5000)).toBeUndefined();
    expect(performance.now() - t0).toBeLessThan(2000);
    receiver.arm();
    expect(receiver.wait(10)).toBeUndefined();
    expect(sender.offer(1, '[[1,1,1]]', 1)).toBe(false);
  });
});
