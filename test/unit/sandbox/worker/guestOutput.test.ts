import { describe, expect, it } from 'vitest';
import { GuestOutput } from '../../../../src/core/sandbox/worker/guestOutput';

// issue 10, item 8: log lines are cut in the sandbox, before the trace redacts them; a token cut
// in two kept a prefix no redaction pattern recognises.
describe('GuestOutput log cuts', () => {
  const token = 'ghp_16C7e42F292c6912E7710c838347Ae178B4a';

  it('drops a token split by the byte budget', () => {
    const out = new GuestOutput(30);
    out.log('log', `key ${token}`, `key ${token}`.length, 0);
    expect(out.take().logs).toEqual([{ level: 'log', t: 0, text: 'key ' }]);
    expect(out.logBytesDropped).toBe(token.length);
  });

  it('drops a token at the end of a line the guest already cut', () => {
    const out = new GuestOutput(10_000);
    const cut = `key ${token.slice(0, 14)}`;
    out.log('log', cut, cut.length + 26, 0);
    expect(out.take().logs).toEqual([{ level: 'log', t: 0, text: 'key ' }]);
  });

  it('keeps whole lines as they are', () => {
    const out = new GuestOutput(10_000);
    out.log('warn', `key ${token}`, `key ${token}`.length, 1);
    expect(out.take().logs).toEqual([{ level: 'warn', t: 1, text: `key ${token}` }]);
  });
});
