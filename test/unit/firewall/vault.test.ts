// The privacy vault, both directions, on a corpus: each category is replaced by a stable
// placeholder, placeholders restore exactly (deep, inside strings, keys), never across
// conversations, and benign text passes untouched.
import { describe, expect, it } from 'vitest';
import { createPrivacyVault, summarizeWithheld } from '../../../src/core/firewall/vault';
import { benignCorpus } from '../../fixtures/redactCorpus';

const SECRETS = { values: ['supersecret123', 'unnamed-config-value-77'], named: [{ name: 'MY_TOKEN', value: 'supersecret123' }] };

/** One sample per category/rule: [text with the finding, the finding, the placeholder it must get]. */
const CORPUS: Array<{ category: string; text: string; found: string; placeholder: string }> = [
  { category: 'secrets', text: 'env MY_TOKEN=supersecret123 ok', found: 'supersecret123', placeholder: '«secret:MY_TOKEN»' },
  { category: 'secrets', text: 'value unnamed-config-value-77 here', found: 'unnamed-config-value-77', placeholder: '«secret_1»' },
  { category: 'secrets', text: 'push with ghp_16C7e42F292c6912E7710c838347Ae178B4a now', found: 'ghp_16C7e42F292c6912E7710c838347Ae178B4a', placeholder: '«github_token_1»' },
  { category: 'secrets', text: 'Authorization: Bearer abcdefghijklmnop1234', found: 'abcdefghijklmnop1234', placeholder: '«bearer_token_1»' },
  { category: 'emails', text: 'write to ada@example.com today', found: 'ada@example.com', placeholder: '«email_1»' },
  { category: 'phones', text: 'call +1 415 555 2671 after 5', found: '+1 415 555 2671', placeholder: '«phone_1»' },
  { category: 'cards', text: 'card 4111 1111 1111 1111 on file', found: '4111 1111 1111 1111', placeholder: '«card_1»' },
  { category: 'ids', text: 'ssn 123-45-6789 checked', found: '123-45-6789', placeholder: '«ssn_1»' },
];

describe('createPrivacyVault: to the model', () => {
  it.each(CORPUS)('replaces a $category finding ($placeholder) and restores it exactly', ({ text, found, placeholder, category }) => {
    const vault = createPrivacyVault();
    const out = vault.toModel(text, { secrets: SECRETS });
    expect(out.value).not.toContain(found);
    expect(out.value).toBe(text.replace(found, placeholder));
    expect([...out.placeholders]).toEqual([[placeholder, category]]);
    expect(vault.fromModel(out.value)).toBe(text);
  });

  it('gives the same value the same placeholder within a conversation, across calls, and numbers distinct values', () => {
    const vault = createPrivacyVault();
    const a = vault.toModel({ to: 'ada@example.com', cc: ['bob@example.org', 'ada@example.com'] });
    expect(a.value).toEqual({ to: '«email_1»', cc: ['«email_2»', '«email_1»'] });
    const b = vault.toModel('again: bob@example.org, then carl@example.net');
    expect(b.value).toBe('again: «email_2», then «email_3»');
    expect(summarizeWithheld(a.placeholders)).toEqual({ total: 2, byKind: { emails: 2 } });
    expect(vault.size).toBe(3);
  });

  it('withholds a secret under a secret-ish key, naming it after the configured secret when it is one', () => {
    const vault = createPrivacyVault();
    const out = vault.toModel({ MY_TOKEN: 'supersecret123', password: 'hunter2hunter2', session_id: 8812345 }, { secrets: SECRETS });
    expect(out.value).toEqual({ MY_TOKEN: '«secret:MY_TOKEN»', password: '«secret_field_1»', session_id: '«secret_field_2»' });
    expect(summarizeWithheld(out.placeholders)).toEqual({ total: 3, byKind: { secrets: 3 } });
  });

  it('keeps the value, logs and keys apart from the walk: emails as object keys are withheld too', () => {
    const vault = createPrivacyVault();
    const out = vault.toModel({ 'ada@example.com': { score: 3 } });
    expect(out.value).toEqual({ '«email_1»': { score: 3 } });
    expect(vault.fromModel(out.value)).toEqual({ 'ada@example.com': { score: 3 } });
  });

  it('never withholds a placeholder again (a tool echoing «secret:MY_TOKEN» keeps it whole)', () => {
    const vault = createPrivacyVault();
    vault.toModel('supersecret123', { secrets: SECRETS });
    const out = vault.toModel('Echo: token is «secret:MY_TOKEN» and «email_9» and password=«secret_field_1»', { secrets: SECRETS });
    expect(out.value).toBe('Echo: token is «secret:MY_TOKEN» and «email_9» and password=«secret_field_1»');
    expect(out.placeholders.size).toBe(0);
  });

  it('two configured secrets with one name get distinct placeholders', () => {
    const vault = createPrivacyVault();
    const secrets = { values: ['first-key-123456', 'second-key-654321'], named: [{ name: 'API_KEY', value: 'first-key-123456' }, { name: 'API_KEY', value: 'second-key-654321' }] };
    expect(vault.toModel('a first-key-123456 b second-key-654321', { secrets }).value).toBe('a «secret:API_KEY» b «secret:API_KEY_2»');
  });

  it('opt-out categories pass through; secrets are withheld whatever the list says', () => {
    const vault = createPrivacyVault({ categories: [] });
    const text = 'ada@example.com +1 415 555 2671 4111 1111 1111 1111 123-45-6789 supersecret123 ghp_16C7e42F292c6912E7710c838347Ae178B4a';
    expect(vault.toModel(text, { secrets: SECRETS }).value).toBe('ada@example.com +1 415 555 2671 4111 1111 1111 1111 123-45-6789 «secret:MY_TOKEN» «github_token_1»');
    const emailsOnly = createPrivacyVault({ categories: ['emails'] });
    expect(emailsOnly.toModel('ada@example.com 123-45-6789').value).toBe('«email_1» 123-45-6789');
    expect([...emailsOnly.categories()]).toEqual(['secrets', 'emails']);
  });

  it('reads a categories function at each call (a settings change applies to the next run)', () => {
    let categories: string[] = ['emails'];
    const vault = createPrivacyVault({ categories: () => categories });
    expect(vault.toModel('ada@example.com').value).toBe('«email_1»');
    categories = [];
    expect(vault.toModel('bob@example.org').value).toBe('bob@example.org');
  });

  it('firewalls values nested deeper than the redactor walks', () => {
    let deep: unknown = { mail: 'ada@example.com', token: 'supersecret123' };
    for (let i = 0; i < 400; i++) deep = { next: deep };
    const out = JSON.stringify(createPrivacyVault().toModel(deep, { secrets: SECRETS }).value);
    expect(out).not.toContain('ada@example.com');
    expect(out).not.toContain('supersecret123');
    expect(out).toContain('«email_1»');
  });

  it('past maxEntries new values are still withheld, with a placeholder that restores nothing', () => {
    const vault = createPrivacyVault({ maxEntries: 1 });
    const out = vault.toModel('a@example.com b@example.com');
    expect(out.value).toBe('«email_1» «email_overflow»');
    expect(vault.fromModel('«email_1» «email_overflow»')).toBe('a@example.com «email_overflow»');
  });

  it('leaves benign text untouched (the redaction corpus: SHAs, UUIDs, base64, paths, identifiers, hashes)', () => {
    const vault = createPrivacyVault();
    const benign = [
      ...Object.values(benignCorpus()).flat(),
      'version 1.2.3, build 2024-05-01T10:30:00Z, order 1187, 19.99 EUR, ts 1717171717171, port 8080',
      'tokens: 42, max_tokens=1000, id: 4f3743927366122b6, call «made_up» later',
    ];
    const changed = benign.filter((t) => vault.toModel(t).value !== t);
    expect(changed).toEqual([]);
    expect(vault.size).toBe(0);
  });
});

describe('createPrivacyVault: from the model', () => {
  it('restores placeholders deep in arguments, inside longer strings and in keys', () => {
    const vault = createPrivacyVault();
    vault.toModel({ a: 'ada@example.com', t: 'supersecret123' }, { secrets: SECRETS });
    const args = { to: '«email_1»', body: 'Hi «email_1», your token is «secret:MY_TOKEN».', list: [{ deep: ['«secret:MY_TOKEN»'] }], '«email_1»': 1, n: 3, ok: true, none: null };
    expect(vault.fromModel(args)).toEqual({
      to: 'ada@example.com',
      body: 'Hi ada@example.com, your token is supersecret123.',
      list: [{ deep: ['supersecret123'] }],
      'ada@example.com': 1,
      n: 3,
      ok: true,
      none: null,
    });
    expect(args.to).toBe('«email_1»'); // the input is not modified
  });

  it('leaves placeholders the model invented, and lookalikes, as they are', () => {
    const vault = createPrivacyVault();
    vault.toModel('ada@example.com');
    expect(vault.fromModel('«email_2» «phone_1» «secret:OTHER» «email_1»x «Bonjour»')).toBe('«email_2» «phone_1» «secret:OTHER» ada@example.comx «Bonjour»');
  });

  it('never restores a placeholder of another conversation', () => {
    const a = createPrivacyVault();
    const b = createPrivacyVault();
    expect(a.toModel('ada@example.com supersecret123', { secrets: SECRETS }).value).toBe('«email_1» «secret:MY_TOKEN»');
    expect(b.fromModel({ to: '«email_1»', token: '«secret:MY_TOKEN»' })).toEqual({ to: '«email_1»', token: '«secret:MY_TOKEN»' });
    // b's own «email_1» is its own value
    b.toModel('zed@example.org');
    expect(b.fromModel('«email_1»')).toBe('zed@example.org');
    expect(a.fromModel('«email_1»')).toBe('ada@example.com');
  });

  it('a round trip of a whole value gives the original back', () => {
    const original = { rows: [{ email: 'ada@example.com', phone: '(415) 555-2671', card: '4111-1111-1111-1111', note: 'token supersecret123' }], count: 1 };
    const vault = createPrivacyVault();
    const seen = vault.toModel(original, { secrets: SECRETS });
    expect(JSON.stringify(seen.value)).not.toMatch(/ada@|555-2671|4111|supersecret/);
    expect(vault.fromModel(seen.value)).toEqual(original);
  });
});
