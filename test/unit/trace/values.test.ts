import { describe, expect, it } from 'vitest';
import { createRedactor } from '../../../src/core/redact/redactor';
import { cutUtf8, storeText, storeValue } from '../../../src/core/trace/values';

describe('stored values', () => {
  it('keeps small values whole and records their size', () => {
    expect(storeValue({ a: 'é' }, 100)).toEqual({ value: { a: 'é' }, bytes: 10, truncated: false });
    expect(storeValue(undefined, 100)).toEqual({ bytes: 0, truncated: false });
    expect(storeValue(null, 100)).toEqual({ value: null, bytes: 4, truncated: false });
  });

  it('cuts to a byte budget without splitting characters', () => {
    expect(cutUtf8('aé€😀', 3)).toBe('aé');
    expect(cutUtf8('aé€😀', 6)).toBe('aé€');
    expect(Buffer.byteLength(cutUtf8('😀'.repeat(100), 10))).toBe(8);
    const v = storeValue('€'.repeat(100), 50);
    expect(v).toMatchObject({ truncated: true, bytes: 302 });
    expect(Buffer.byteLength(v.preview!)).toBeLessThanOrEqual(50);
  });

  it('redacts before cutting, also in the prefix of huge values', () => {
    const r = createRedactor();
    const small = storeValue({ password: 'x', note: 'bob@example.com' }, 1000, r);
    expect(small.value).toEqual({ password: '[REDACTED:secret_field]', note: '[REDACTED:email]' });
    const huge = storeValue({ note: 'mail bob@example.com', pad: 'x'.repeat(100_000) }, 1000, r);
    expect(huge.truncated).toBe(true);
    expect(huge.bytes).toBeGreaterThan(100_000);
    expect(huge.preview).toContain('[REDACTED:email]');
    expect(huge.preview).not.toContain('bob@example.com');
    expect(storeText('ssn 123-45-6789', 100, r).text).toBe('ssn [REDACTED:ssn]');
  });

  // issue 10, item 8: values over 8x the budget (128 KiB at the default 16 KiB) were redacted with
  // the text patterns only, so cookie/credentials/session_id fields reached the trace.
  it('applies the key-based rules to values over 8x the budget', () => {
    const r = createRedactor();
    const value = { cookie: 'sid=s%3Aabc123', credentials: 'ada:correct-horse', session_id: 'sess-7788aa', n: { session_id: 99887766 }, pad: 'x'.repeat(200 * 1024) };
    const stored = storeValue(value, 16 * 1024, r);
    expect(stored).toMatchObject({ truncated: true, bytes: Buffer.byteLength(JSON.stringify(value)) });
    for (const secret of ['sid=s%3Aabc123', 'ada:correct-horse', 'sess-7788aa', '99887766']) expect(stored.preview).not.toContain(secret);
    expect(stored.preview).toContain('{"cookie":"[REDACTED:secret_field]","credentials":"[REDACTED:secret_field]","session_id":"[REDACTED:secret_field]","n":{"session_id":[REDACTED:secret_field]}');
    expect(r.count).toBe(4);
  });

  // issue 10, item 8: a token at the preview boundary kept its prefix (`ghp_16C7e42F29…`) when the
  // secrets before it shrank the redacted prefix below the cut.
  it('redacts before the cut, so a token straddling it is replaced whole', () => {
    const maxBytes = 1000;
    const jwt = `eyJhbGciOiJIUzI1NiJ9.eyJ${'a'.repeat(930)}.${'s'.repeat(40)}`;
    const token = 'ghp_16C7e42F292c6912E7710c838347Ae178B4a';
    const jwts = Array.from({ length: 5 }, () => jwt).join(' ');
    // place the token across the old 4 KiB margin (maxBytes + 4096 characters into the JSON)
    const lead = '{"a":"'.length + jwts.length + 1;
    const text = `${jwts} ${'y'.repeat(maxBytes + 4096 - 11 - lead)} ${token} ${'z'.repeat(200_000)}`;
    expect(JSON.stringify({ a: text }).indexOf(token)).toBe(maxBytes + 4096 - 10);
    const r = createRedactor();
    const stored = storeValue({ a: text }, maxBytes, r);
    expect(stored.truncated).toBe(true);
    expect(stored.preview).not.toContain('ghp_16C7');
    expect(stored.preview).not.toContain('eyJhbGciOiJIUzI1NiJ9');
    expect(Buffer.byteLength(stored.preview ?? '')).toBeLessThanOrEqual(maxBytes);
    expect(r.count).toBe(6); // the final prefix only: 5 JWTs and the token, each counted once
  });
});
