import { describe, expect, it } from 'vitest';
import { redactionFromSettings } from '../../../src/core/redact/fromSettings';
import { createRedactor } from '../../../src/core/redact/redactor';

describe('redactionFromSettings', () => {
  it('adds valid custom patterns and reports invalid ones without dropping redaction', () => {
    const { options, problems } = redactionFromSettings({ enabled: true, extraPatterns: ['ACME-\\d{4}', '(unclosed'], disabledRules: ['email', 'nope'] }, ['hunter2-secret']);
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/not a valid regular expression/);
    expect(problems[1]).toMatch(/no built-in redaction rule named "nope"/);
    const r = createRedactor(options);
    const out = r.redactText('ticket ACME-1234 by bob@example.com with hunter2-secret');
    expect(out).not.toContain('ACME-1234');
    expect(out).toContain('bob@example.com'); // email rule disabled
    expect(out).not.toContain('hunter2-secret');
  });
  it('when disabled, keeps PII but still removes configured secrets', () => {
    const r = createRedactor(redactionFromSettings({ enabled: false, extraPatterns: [], disabledRules: [] }, ['hunter2-secret']).options);
    const out = r.redactText('mail bob@example.com key sk-abcdefghijklmnopqrstuvwx1234 pw hunter2-secret');
    expect(out).toContain('bob@example.com');
    expect(out).toContain('sk-abcdefghijklmnopqrstuvwx1234');
    expect(out).not.toContain('hunter2-secret');
  });
});
