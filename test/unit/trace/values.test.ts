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
});
