// The built-in redaction patterns: provider API keys, bearer tokens, URL passwords, secret
// key/value pairs, PEM private keys, JWTs, and PII. Each is precise enough that UUIDs, git SHAs,
// dates, versions and ordinary numbers survive (test/unit/redact/corpus.test.ts holds both sides).

/** One pattern. `regex` must be global; only the named group `s` is replaced when present. */
export interface RedactionPattern {
  /** Appears in the replacement: `[REDACTED:<name>]`. */
  name: string;
  kind: 'secret' | 'pii';
  regex: RegExp;
  /** Extra check on the matched secret (e.g. Luhn); false keeps the text. */
  validate?: (secret: string) => boolean;
}

/** Luhn checksum over the digits of `text` (separators ignored). */
export function luhnValid(text: string): boolean {
  const digits = text.replace(/\D/g, '');
  if (digits.length < 13 || digits.length > 19) return false;
  if (/^(\d)\1+$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** Issuer prefixes (Visa, Mastercard, Amex, Diners, Discover, JCB): epoch-ms timestamps and other
 *  long numbers that happen to pass Luhn are not cards. */
const CARD_PREFIX = /^(?:4|5[1-5]|2[2-7]|3[47]|3[0689]|6(?:011|5|4[4-9]))/;

const SECRET_KEY_WORDS =
  'password|passwd|passphrase|pwd|secret|client[_-]?secret|token|access[_-]?token|refresh[_-]?token|auth[_-]?token|api[_-]?key|apikey|access[_-]?key|secret[_-]?key|private[_-]?key';

/** JSON object keys whose whole value is a secret (redactValue). Exact words only: `max_tokens` is fine. */
export const SECRET_KEY_NAME = new RegExp(
  `^(?:[a-z0-9]+[_-])*(?:${SECRET_KEY_WORDS}|authorization|cookie|set[_-]?cookie|credentials?|session[_-]?id|x[_-]api[_-]key)$`,
  'i',
);

/** The built-in patterns, applied in this order (more specific first). */
export const BUILTIN_PATTERNS: readonly RedactionPattern[] = [
  {
    name: 'private_key',
    kind: 'secret',
    regex: /-----BEGIN [A-Z0-9 ]*PRIVATE KEY( BLOCK)?-----[\s\S]*?-----END [A-Z0-9 ]*PRIVATE KEY( BLOCK)?-----/g,
  },
  { name: 'anthropic_key', kind: 'secret', regex: /\bsk-ant-[A-Za-z0-9_-]{20,}/g },
  { name: 'openai_key', kind: 'secret', regex: /\bsk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,}/g },
  { name: 'github_token', kind: 'secret', regex: /\b(?:gh[pousr]_[A-Za-z0-9]{30,255}|github_pat_[A-Za-z0-9_]{22,255})/g },
  { name: 'aws_access_key', kind: 'secret', regex: /\b(?:AKIA|ASIA|ABIA|ACCA)[0-9A-Z]{16}\b/g },
  { name: 'slack_token', kind: 'secret', regex: /\bxox[abposr]-[A-Za-z0-9-]{10,}/g },
  { name: 'google_api_key', kind: 'secret', regex: /\bAIza[0-9A-Za-z_-]{35}/g },
  { name: 'stripe_key', kind: 'secret', regex: /\b(?:sk|rk)_(?:live|test)_[0-9A-Za-z]{16,}/g },
  {
    name: 'jwt',
    kind: 'secret',
    regex: /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g,
  },
  {
    name: 'bearer_token',
    kind: 'secret',
    regex: /\b(?:Bearer|Basic|Token)\s+(?<s>[A-Za-z0-9._~+/-]{12,}=*)/g,
  },
  {
    name: 'url_password',
    kind: 'secret',
    regex: /\b[a-zA-Z][a-zA-Z0-9+.-]*:\/\/[^\s:@/?#]+:(?<s>[^\s@/?#]+)@/g,
  },
  {
    // `password=…`, `api_key: …`, `"client_secret": "…"`; the key must be followed by = or :
    name: 'secret_assignment',
    kind: 'secret',
    regex: new RegExp(
      `\\b(?:[A-Za-z0-9]+[_-])*(?:${SECRET_KEY_WORDS})["']?\\s*[:=]\\s*["']?(?<s>[^\\s"'&,;<>\\])}]{3,})`,
      'gi',
    ),
    // Counts and flags (`tokens: 42`, `token=true`) are not secrets.
    validate: (s) => !/^(?:\d{1,6}|true|false|null|none|undefined|\*+|\[REDACTED[^\]]*)$/i.test(s),
  },
  { name: 'email', kind: 'pii', regex: /\b[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b/g },
  {
    name: 'card_number',
    kind: 'pii',
    regex: /(?<![\d.-])\d(?:[ -]?\d){12,18}(?![\d.-])/g,
    validate: (s) => CARD_PREFIX.test(s) && luhnValid(s),
  },
  {
    name: 'ssn',
    kind: 'pii',
    regex: /(?<![\d-])(?!000|666|9\d\d)\d{3}-(?!00)\d{2}-(?!0000)\d{4}(?![\d-])/g,
  },
  {
    // +CC international numbers, or North-American style with separators; bare digit runs are
    // ordinary numbers and stay.
    name: 'phone',
    kind: 'pii',
    regex:
      /(?<![\w+.-])(?:\+\d{1,3}[ .-]?(?:\(\d{1,4}\)[ .-]?)?\d{2,4}(?:[ .-]\d{2,4}){1,4}|\(\d{3}\)\s?\d{3}[ .-]\d{4}|\d{3}[ .-]\d{3}[ .-]\d{4})(?![\w.-])/g,
  },
];
