import { describe, expect, it } from 'vitest';
import { compilePattern, createRedactor } from '../../../src/core/redact/redactor';
import { luhnValid } from '../../../src/core/redact/patterns';

// Each true positive: [name, text, the secret that must disappear, the pattern name expected].
const POSITIVES: [string, string, string, string][] = [
  ['openai', 'key=sk-proj-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789', 'AbCdEfGhIjKlMnOpQrStUvWxYz0123456789', ''],
  ['openai bare', 'use sk-AbCdEfGhIjKlMnOpQrStUvWx1234 now', 'sk-AbCdEfGhIjKlMnOpQrStUvWx1234', 'openai_key'],
  ['anthropic', 'ANTHROPIC=sk-ant-api03-abcdefghijklmnopqrstuvwxyz012345', 'sk-ant-api03-abcdefghijklmnopqrstuvwxyz012345', ''],
  ['github classic', 'token ghp_0123456789abcdefghijABCDEFGHIJ012345 here', 'ghp_0123456789abcdefghijABCDEFGHIJ012345', 'github_token'],
  ['github oauth', 'gho_0123456789abcdefghijABCDEFGHIJ012345', 'gho_0123456789abcdefghijABCDEFGHIJ012345', 'github_token'],
  ['github pat', 'github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz', 'github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz', 'github_token'],
  ['aws', 'aws id AKIAIOSFODNN7EXAMPLE.', 'AKIAIOSFODNN7EXAMPLE', 'aws_access_key'],
  ['slack', 'xoxb-123456789012-1234567890123-AbCdEfGhIjKl', 'xoxb-123456789012-1234567890123-AbCdEfGhIjKl', 'slack_token'],
  ['google', 'AIzaSyA-1234567890abcdefghijklmnopqrstu', 'AIzaSyA-1234567890abcdefghijklmnopqrstu', 'google_api_key'],
  ['stripe', 'sk_live_4eC39HqLyjWDarjtT1zdp7dc', 'sk_live_4eC39HqLyjWDarjtT1zdp7dc', 'stripe_key'],
  ['bearer', 'Authorization: Bearer abc123def456ghi789jkl', 'abc123def456ghi789jkl', ''],
  ['url password', 'postgres://admin:s3cr3tPa55@db.example.com:5432/app', 's3cr3tPa55', 'url_password'],
  ['kv password', 'login with password=hunter2xyz please', 'hunter2xyz', 'secret_assignment'],
  ['kv json api_key', '{"api_key": "k-998877665544"}', 'k-998877665544', 'secret_assignment'],
  ['kv client_secret', 'CLIENT_SECRET: abcdEFGH1234', 'abcdEFGH1234', 'secret_assignment'],
  [
    'pem',
    'x\n-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA1234\nabcd\n-----END RSA PRIVATE KEY-----\ny',
    'MIIEowIBAAKCAQEA1234',
    'private_key',
  ],
  [
    'jwt',
    'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U',
    'dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U',
    'jwt',
  ],
  ['email', 'mail ada.lovelace+x@example.co.uk today', 'ada.lovelace+x@example.co.uk', 'email'],
  ['phone us', 'call (555) 123-4567 or 555-123-4567', '123-4567', 'phone'],
  ['phone intl', 'ring +44 20 7946 0958 now', '7946 0958', 'phone'],
  ['visa', 'card 4111 1111 1111 1111 exp', '4111 1111 1111 1111', 'card_number'],
  ['visa dashed', 'card 4012-8888-8888-1881', '4012-8888-8888-1881', 'card_number'],
  ['amex', 'amex 378282246310005', '378282246310005', 'card_number'],
  ['ssn', 'ssn 123-45-6789.', '123-45-6789', 'ssn'],
];

// Text that must come out unchanged.
const NEGATIVES: [string, string][] = [
  ['uuid', 'id 123e4567-e89b-12d3-a456-426614174000'],
  ['git sha', 'commit 9fceb02d0ae598e95dc970b74767f19372d61af8 (a1b2c3d)'],
  ['numbers', 'total 1234567, ratio 0.98765, count 42, big 98765432101234'],
  ['epoch ms', 'at 1700000000000 and 1732147200123'],
  ['iso dates', '2024-01-15T10:20:30.123Z and 2026-11-21'],
  ['versions', 'node 20.19.25, v1.2.3-beta.4, 2026.8.31, 10.0.0.1'],
  ['non-luhn 16', 'order 4111111111111112 and 1234 5678 9012 3456'],
  ['password word', 'Reset your password in settings. The password field is required.'],
  ['token word', 'max_tokens: 4096, tokens=12, token count 300'],
  ['sk word', 'task-force and risk-free desk-top'],
  ['hex color', 'color #ff00aa'],
  ['paths', '/usr/local/bin/node and C:\\Users\\me\\file.txt'],
  ['short url', 'https://example.com/path?q=1'],
  ['url with port', 'https://example.com:8080/a/b?page=2&sort=asc'],
  ['redacted marker', 'password=[REDACTED:x]'],
];

describe('redaction corpus', () => {
  for (const [name, text, secret, pattern] of POSITIVES) {
    it(`redacts ${name}`, () => {
      const r = createRedactor();
      const out = r.redactText(text);
      expect(out).not.toContain(secret);
      if (pattern) expect(out).toContain(`[REDACTED:${pattern}]`);
      expect(r.count).toBeGreaterThan(0);
    });
  }
  for (const [name, text] of NEGATIVES) {
    it(`keeps ${name}`, () => {
      const r = createRedactor();
      expect(r.redactText(text)).toBe(text);
      expect(r.count).toBe(0);
    });
  }

  it('keeps the text around a redacted secret', () => {
    const r = createRedactor();
    expect(r.redactText('postgres://admin:s3cr3tPa55@db/app')).toBe('postgres://admin:[REDACTED:url_password]@db/app');
    expect(r.redactText('Authorization: Bearer abc123def456ghi789jkl')).toBe('Authorization: Bearer [REDACTED:bearer_token]');
  });

  it('redacts configured secret values exactly, longest first, ignoring short ones', () => {
    const r = createRedactor({ secrets: ['my-long-value-1', 'my-long-value-1-extended', 'true'] });
    expect(r.redactText('a my-long-value-1-extended b my-long-value-1 c true')).toBe(
      'a [REDACTED:configured_secret] b [REDACTED:configured_secret] c true',
    );
    expect(r.count).toBe(2);
  });

  it('walks JSON values and redacts whole values under secret-ish keys', () => {
    const r = createRedactor();
    const input = {
      user: 'ada',
      password: 'x',
      nested: [{ apiKey: 'plainvalue', max_tokens: 100, note: 'mail bob@example.com' }],
      headers: { Authorization: 'whatever', 'x-api-key': 'k' },
      pageCount: 3,
    };
    const out = r.redactValue(input);
    expect(out).toEqual({
      user: 'ada',
      password: '[REDACTED:secret_field]',
      nested: [{ apiKey: '[REDACTED:secret_field]', max_tokens: 100, note: 'mail [REDACTED:email]' }],
      headers: { Authorization: '[REDACTED:secret_field]', 'x-api-key': '[REDACTED:secret_field]' },
      pageCount: 3,
    });
    expect(input.password).toBe('x');
    expect(r.count).toBe(5);
  });

  it('lets patterns be disabled and added', () => {
    const r = createRedactor({ disable: ['email'], patterns: [compilePattern({ name: 'ticket', pattern: 'TCK-\\d{4}' })] });
    expect(r.redactText('bob@example.com TCK-1234')).toBe('bob@example.com [REDACTED:ticket]');
    expect(createRedactor({ pii: false }).redactText('bob@example.com 123-45-6789')).toBe('bob@example.com 123-45-6789');
  });

  it('checks Luhn', () => {
    expect(luhnValid('4111111111111111')).toBe(true);
    expect(luhnValid('4111111111111112')).toBe(false);
    expect(luhnValid('0000000000000000')).toBe(false);
  });
});
