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
  // A JSON field is redacted whole by the key rule (as redactValue does), before secret_assignment sees it.
  ['kv json api_key', '{"api_key": "k-998877665544"}', 'k-998877665544', 'secret_field'],
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
  // issue 10, item 8: providers that were not recognised
  ['gitlab pat', 'GITLAB_TOKEN glpat-Zx3c9vB7nM2qW8eR5tY1 ok', 'glpat-Zx3c9vB7nM2qW8eR5tY1', 'gitlab_token'],
  ['gitlab deploy', 'gldt-AbCdEfGhIjKlMnOpQrSt12', 'gldt-AbCdEfGhIjKlMnOpQrSt12', 'gitlab_token'],
  ['npm', '//registry.npmjs.org/:_authToken npm_a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8', 'npm_a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8', 'npm_token'],
  ['hugging face', 'HF hf_AbCdEfGhIjKlMnOpQrStUvWxYzAbCdEfGh', 'hf_AbCdEfGhIjKlMnOpQrStUvWxYzAbCdEfGh', 'huggingface_token'],
  [
    'sendgrid',
    'key 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 end',
    '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',
    'sendgrid_key',
  ],
  [
    'azure storage',
    'DefaultEndpointsProtocol=https;AccountName=acme;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;EndpointSuffix=core.windows.net',
    'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==',
    'azure_key',
  ],
  [
    'azure service bus',
    'Endpoint=sb://acme.servicebus.windows.net/;SharedAccessKeyName=Root;SharedAccessKey=q1W2e3R4t5Y6u7I8o9P0aSdFgHjKlZxCvBnM1234567=',
    'q1W2e3R4t5Y6u7I8o9P0aSdFgHjKlZxCvBnM1234567=',
    'azure_key',
  ],
  ['google oauth secret', '"client_id": "x", 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', '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', 'google_oauth_secret'],
  [
    'slack webhook',
    'post to https://hooks.slack.com/services/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 now',
    'T0A1B2C3D/B4E5F6G7H/z9Y8x7W6v5U4t3S2r1Q0p9O8',
    'slack_webhook',
  ],
  [
    'discord webhook',
    'https://discord.com/api/webhooks/1122334455667788990/AbCdEfGhIjKlMnOpQrStUvWxYz-0123456789_abcdefghijklmnopqrstuv',
    'AbCdEfGhIjKlMnOpQrStUvWxYz-0123456789_abcdefghijklmnopqrstuv',
    'discord_webhook',
  ],
  // the AWS secret access key: by its name, and standing alone
  ['aws secret (ini)', 'aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', 'aws_secret_key'],
  ['aws secret (env)', 'export AWS_SECRET_ACCESS_KEY="7Gh2+kLmN9pQrS4tUvWxYz0aBcDeFgHiJkLmNoP1"', '7Gh2+kLmN9pQrS4tUvWxYz0aBcDeFgHiJkLmNoP1', 'aws_secret_key'],
  ['aws secret (STS xml)', '<SecretAccessKey>9xYzAbC/dEfGhIjKlMnOpQrStUvWx123456789Ab</SecretAccessKey>', '9xYzAbC/dEfGhIjKlMnOpQrStUvWx123456789Ab', 'aws_secret_key'],
  ['aws secret (bare)', 'key is wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY.', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', 'aws_secret_key_like'],
  ['aws secret (bare, quoted)', '["Qm9vT3+8aX2zLkPw7RtYvNc4sDfGhJk1MnBvCxZq"]', 'Qm9vT3+8aX2zLkPw7RtYvNc4sDfGhJk1MnBvCxZq', 'aws_secret_key_like'],
  ['aws secret (after a JSON escape)', '"first line\\nwJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', 'aws_secret_key_like'],
  // JSON text (a logged JSON.stringify, a huge value): `\n` before a token is a boundary too
  ['github after a JSON escape', '{"text":"line\\nghp_0123456789abcdefghijABCDEFGHIJ012345"}', 'ghp_0123456789abcdefghijABCDEFGHIJ012345', 'github_token'],
  ['slack webhook after a JSON escape', '"a\\nhttps://hooks.slack.com/services/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"', 'z9Y8x7W6v5U4t3S2r1Q0p9O8', 'slack_webhook'],
  // the key rule as text: JSON fields (large values are redacted as text), code literals, escaped JSON
  ['field cookie', '{"cookie":"sid=s%3Aabc123.xyz"}', 'sid=s%3Aabc123.xyz', 'secret_field'],
  ['field credentials', '{"credentials": "ada:correct-horse"}', 'ada:correct-horse', 'secret_field'],
  ['field session_id number', '{"session_id": 88123456, "n": 1}', '88123456', 'secret_field'],
  ['field in code', "await tools.api.call({ headers: { Cookie: 'sid=998877aa' }, sessionId: `z9z9z9` })", 'sid=998877aa', 'secret_field'],
  ['field in escaped JSON', '{"body":"{\\"session_id\\":\\"s-77aa88bb\\"}"}', 's-77aa88bb', 'secret_field'],
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
  // look-alikes of the item-8 rules
  ['git sha 40 hex', 'HEAD is 9fceb02d0ae598e95dc970b74767f19372d61af8'],
  ['upper hex sha', 'SHA1 69D8D52C5B5FF5AFCF9A249B39012421D62A87E7'],
  ['hex digit runs are not cards', 'commit 347f8212526e4f3743927366122b6c244963aa49'],
  ['base64 of text, 40 chars', 'data UGF0aWVuY2UgaXMgdGhlIGtleSB0byBzdWNjZXNz end'],
  ['identifier 40 chars', 'call getNextNonSpaceNonCommentCharacterIndex2 here'],
  ['path 40 chars', 'see src/Components/UserProfile2/AvatarList3 for it'],
  ['41 base64 chars', 'x wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEYZ y'],
  ['last line of wrapped base64', 'MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAu1SU1LfVLPHCozMxH2Mo\nwJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'],
  ['lockfile integrity', '"integrity": "sha512-Q8yNeiNz0U3q3a5DEtGxZfMXfYwQJzZc2QZJDSiFJkgAg3P6VgRHxtAENUpUAg9cBQ2rTkpk6dGj1SCeKXuOyw=="'],
  ['go.sum', 'golang.org/x/mod v0.17.0 h1:zY54UmvipHiNd+pm+m0x9KhZ9hl1/7QNMyxXbc6ICqA='],
  ['npm words', 'npm_config_user_agent npm_package_version npm_lifecycle_event'],
  ['hf words', 'from hf_hub import hf_hub_download'],
  ['SG words', 'SG.1 and SG.short.x'],
  ['gitlab words', 'glpat- is the prefix of GitLab tokens'],
  ['slack url', 'https://hooks.slack.com/ and https://slack.com/services/x'],
  ['discord url', 'https://discord.com/channels/1122334455667788990/998877665544332211'],
  ['azure without key', 'AccountName=acme;EndpointSuffix=core.windows.net'],
  ['field words in prose', 'The cookie banner asks for consent; credentials are stored in the keychain.'],
  ['field compare, not assign', 'if (token === "abc") return; token == "x"'],
  ['field empty and counts', '{"session_id": "", "tokens": 5, "max_tokens": 100, "cookieCount": 3}'],
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

  it('redacts the key-based fields of issue 10 (cookie, credentials, session_id) in values too', () => {
    const r = createRedactor();
    const out = r.redactValue({ cookie: 'sid=abc', credentials: 'ada:pw', session_id: 88123456, sessionId: 'zz', meta: { credentials: { user: 'ada' } } });
    expect(out).toEqual({
      cookie: '[REDACTED:secret_field]',
      credentials: '[REDACTED:secret_field]',
      session_id: '[REDACTED:secret_field]',
      sessionId: '[REDACTED:secret_field]',
      meta: { credentials: { user: 'ada' } },
    });
  });

  it('returns what it found, by rule and kind, without keeping state', () => {
    const r = createRedactor({ secrets: ['configured-value-1'] });
    const found = r.text('mail bob@example.com, key ghp_0123456789abcdefghijABCDEFGHIJ012345, configured-value-1, bob2@example.com');
    expect(found.value).toBe('mail [REDACTED:email], key [REDACTED:github_token], [REDACTED:configured_secret], [REDACTED:email]');
    expect(found.found).toEqual({
      total: 4,
      byRule: {
        configured_secret: { kind: 'secret', count: 1 },
        github_token: { kind: 'secret', count: 1 },
        email: { kind: 'pii', count: 2 },
      },
    });
    expect(r.value({ password: 'x', note: 'ok' })).toEqual({
      value: { password: '[REDACTED:secret_field]', note: 'ok' },
      found: { total: 1, byRule: { secret_field: { kind: 'secret', count: 1 } } },
    });
    expect(r.count).toBe(0); // text()/value() are pure; only redactText/redactValue add to count
  });

  it('switches the key rule off as a whole (values and text) with redactSecretKeys: false', () => {
    const r = createRedactor({ redactSecretKeys: false });
    expect(r.redactValue({ cookie: 'sid=abc' })).toEqual({ cookie: 'sid=abc' });
    expect(r.redactText('{"cookie":"sid=abc"}')).toBe('{"cookie":"sid=abc"}');
  });

  it('checks Luhn', () => {
    expect(luhnValid('4111111111111111')).toBe(true);
    expect(luhnValid('4111111111111112')).toBe(false);
    expect(luhnValid('0000000000000000')).toBe(false);
  });
});
