// The built-in redaction patterns: provider API keys, webhook URLs, bearer tokens, URL passwords,
// secret fields and key/value pairs, PEM private keys, JWTs, AWS secret keys, and PII. Each is precise
// enough that UUIDs, git SHAs, dates, versions and ordinary numbers survive (test/unit/redact/ holds
// both sides; docs/redaction.md lists every rule).
import { looksLikeAwsSecret } from './entropy';

/** One pattern. `regex` must be global. When the regex has named groups `s`, `s2`, `s3`…, the
 *  first one that took part in the match is what gets replaced; otherwise the whole match. */
export interface RedactionPattern {
  /** Appears in the replacement: `[REDACTED:<name>]`. */
  name: string;
  kind: 'secret' | 'pii';
  regex: RegExp;
  /** Extra check on the matched secret (e.g. Luhn); false keeps the text. */
  validate?: (secret: string) => boolean;
  /** A cheap necessary condition (case-insensitive): when it finds nothing in a text, neither can
   *  `regex`. The redactor tests the union of these once per text and skips every pattern that
   *  has one when the union finds nothing (most short strings of a JSON value). */
  quick?: RegExp;
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

/** Field names whose whole value is a secret: the key-value words plus header-ish ones. */
const SECRET_FIELD_WORDS = `${SECRET_KEY_WORDS}|authorization|cookie|set[_-]?cookie|credentials?|session[_-]?id|x[_-]api[_-]key`;

/** JSON object keys whose whole value is a secret (redactValue). Exact words only: `max_tokens` is fine. */
export const SECRET_KEY_NAME = new RegExp(`^(?:[a-z0-9]+[_-])*(?:${SECRET_FIELD_WORDS})$`, 'i');

/** The name of the key-based rule, in redactValue and in the text patterns that mirror it. */
export const SECRET_FIELD_RULE = 'secret_field';

// A field name as text, written as a lookbehind that ends at the separator: bare (`cookie:` in
// code or YAML), quoted (`"cookie":`) or quoted inside an escaped JSON string (`\"cookie\":`).
// Patterns built on it start at the separator (`[:=]`), which V8 scans for quickly; starting at
// the name cost 40–50 ms per MiB.
const fieldKeyBefore = (quote: string, sep: string): string =>
  String.raw`(?<=(?<![\w$-])${quote}(?:[A-Za-z0-9]+[_-])*(?:${SECRET_FIELD_WORDS})${quote}\s*${sep})`;

/** Field-name quoting: none, ", ' or ` (each optionally escaped), or JSON's " only. */
const ANY_QUOTE = '\\\\?["\'`]?';
const JSON_QUOTE = '\\\\?"';
/** The string literal after a field name: "…", '…', `…` (no interpolation) or \"…\" (escaped JSON). */
const STRING_VALUE =
  String.raw`(?:"(?<s>(?:[^"\\\n]|\\.)+)"|'(?<s2>(?:[^'\\\n]|\\.)+)'|` + '`(?<s3>[^`\\\\$]+)`' + String.raw`|\\"(?<s4>(?:(?!\\")[^"\n])+)\\")`;

/** Each built-in pattern's quick test (RedactionPattern.quick). */
const QUICK: Record<string, string> = {
  private_key: '-----BEGIN',
  anthropic_key: 'sk-',
  openai_key: 'sk-',
  github_token: 'gh[pousr]_|github_pat_',
  gitlab_token: 'gl[a-z]{1,5}-',
  npm_token: 'npm_',
  huggingface_token: 'hf_',
  sendgrid_key: 'SG\\.',
  google_oauth_secret: 'GOCSPX-',
  aws_access_key: 'A[KSBC][IC]A',
  aws_secret_key: 'secret',
  slack_token: 'xox',
  slack_webhook: 'hooks\\.slack',
  discord_webhook: 'discord',
  google_api_key: 'AIza',
  stripe_key: '_live_|_test_',
  azure_key: 'AccountKey|SharedAccessKey',
  jwt: 'eyJ',
  bearer_token: 'Bearer|Basic|Token',
  url_password: '://',
  [SECRET_FIELD_RULE]: SECRET_FIELD_WORDS,
  secret_assignment: SECRET_KEY_WORDS,
  aws_secret_key_like: '[A-Za-z0-9/+]{40}',
  email: '@',
  card_number: '\\d(?:[ -]?\\d){12}',
  ssn: '\\d{3}-\\d{2}-\\d{4}',
  phone: '\\d{3}[ .-]\\d{3}|\\(\\d{3}\\)|\\+\\d',
};

function withQuick(p: RedactionPattern): RedactionPattern {
  const quick = QUICK[p.name];
  return quick === undefined ? p : { ...p, quick: new RegExp(quick, 'i') };
}

/** The built-in patterns, applied in this order (more specific first). */
export const BUILTIN_PATTERNS: readonly RedactionPattern[] = ([
  {
    name: 'private_key',
    kind: 'secret',
    regex: /-----BEGIN [A-Z0-9 ]*PRIVATE KEY( BLOCK)?-----[\s\S]*?-----END [A-Z0-9 ]*PRIVATE KEY( BLOCK)?-----/g,
  },
  { name: 'anthropic_key', kind: 'secret', regex: /\bsk-ant-[A-Za-z0-9_-]{20,}/g },
  { name: 'openai_key', kind: 'secret', regex: /\bsk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,}/g },
  { name: 'github_token', kind: 'secret', regex: /\b(?:gh[pousr]_[A-Za-z0-9]{30,255}|github_pat_[A-Za-z0-9_]{22,255})/g },
  // personal, deploy, runner, trigger, feed, SCIM, CI-job, OAuth-app, incoming-mail and agent tokens
  { name: 'gitlab_token', kind: 'secret', regex: /\b(?:glpat|gldt|glrt|glptt|glft|glsoat|glcbt|gloas|glimt|glagent)-[A-Za-z0-9_-]{20,}/g },
  { name: 'npm_token', kind: 'secret', regex: /\bnpm_[A-Za-z0-9]{36}(?![A-Za-z0-9])/g },
  { name: 'huggingface_token', kind: 'secret', regex: /\bhf_[A-Za-z0-9]{30,}(?![A-Za-z0-9])/g },
  { name: 'sendgrid_key', kind: 'secret', regex: /\bSG\.[A-Za-z0-9_-]{16,32}\.[A-Za-z0-9_-]{30,50}/g },
  { name: 'google_oauth_secret', kind: 'secret', regex: /\bGOCSPX-[A-Za-z0-9_-]{20,}/g },
  { name: 'aws_access_key', kind: 'secret', regex: /\b(?:AKIA|ASIA|ABIA|ACCA)[0-9A-Z]{16}\b/g },
  {
    // by its name: `aws_secret_access_key = …`, `AWS_SECRET_ACCESS_KEY=…`, `"SecretAccessKey": "…"`, `<SecretAccessKey>…`
    name: 'aws_secret_key',
    kind: 'secret',
    regex: /(?<![A-Za-z0-9])(?:aws[_-]?secret[_-]?(?:access[_-]?)?key|secret[_-]?access[_-]?key)[\\"'\s:=,>]{1,8}(?<s>[A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])/gi,
  },
  { name: 'slack_token', kind: 'secret', regex: /\bxox[abposr]-[A-Za-z0-9-]{10,}/g },
  { name: 'slack_webhook', kind: 'secret', regex: /\bhttps?:\/\/hooks\.slack\.com\/(?:services|workflows|triggers)\/(?<s>[A-Za-z0-9_/-]{16,})/g },
  {
    name: 'discord_webhook',
    kind: 'secret',
    regex: /\bhttps?:\/\/(?:(?:ptb|canary)\.)?discord(?:app)?\.com\/api\/(?:v\d+\/)?webhooks\/(?<s>\d{5,}\/[A-Za-z0-9_-]{20,})/g,
  },
  { name: 'google_api_key', kind: 'secret', regex: /\bAIza[0-9A-Za-z_-]{35}/g },
  { name: 'stripe_key', kind: 'secret', regex: /\b(?:sk|rk)_(?:live|test)_[0-9A-Za-z]{16,}/g },
  // Azure storage / Service Bus / Event Hubs connection strings
  { name: 'azure_key', kind: 'secret', regex: /\b(?:AccountKey|SharedAccessKey)\s*=\s*(?<s>[A-Za-z0-9+/]{20,}={0,2})/g },
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
    // The text form of redactValue's key rule: a quoted string after a secret-ish field name
    // (`"cookie": "…"` in JSON, `session_id: '…'` or `apiKey = "…"` in code); the string is replaced.
    name: SECRET_FIELD_RULE,
    kind: 'secret',
    regex: new RegExp(`[:=]${fieldKeyBefore(ANY_QUOTE, '[:=]')}\\s*${STRING_VALUE}`, 'gi'),
  },
  {
    // …and a JSON number under such a key (`"session_id": 8812345`), as redactValue does.
    name: SECRET_FIELD_RULE,
    kind: 'secret',
    regex: new RegExp(`:${fieldKeyBefore(JSON_QUOTE, ':')}\\s*(?<s>-?\\d+(?:\\.\\d+)?(?:[eE][+-]?\\d+)?)(?![\\w.])`, 'gi'),
  },
  {
    // `password=…`, `api_key: …`, `"client_secret": "…"`; the key must be followed by = or :
    name: 'secret_assignment',
    kind: 'secret',
    regex: new RegExp(
      // starts at the separator, like the field rule (fieldKeyBefore): 30 ms per MiB less
      `[:=](?<=\\b(?:[A-Za-z0-9]+[_-])*(?:${SECRET_KEY_WORDS})["']?\\s*[:=])\\s*["']?(?<s>[^\\s"'&,;<>\\])}]{3,})`,
      'gi',
    ),
    // Counts and flags (`tokens: 42`, `token=true`) are not secrets.
    validate: (s) => !/^(?:\d{1,6}|true|false|null|none|undefined|\*+|\[REDACTED[^\]]*)$/i.test(s),
  },
  {
    // A bare AWS secret access key: exactly 40 base64 characters standing alone, but not as the
    // last line of wrapped base64 (a line after a run of 16+ base64 characters), judged by
    // entropy (entropy.ts). JSON escapes before it count as a boundary (see redactor.ts).
    name: 'aws_secret_key_like',
    kind: 'secret',
    regex: /(?<![A-Za-z0-9/+=_\\-])(?<![A-Za-z0-9/+=]{16}\\?\r?\\?\n)[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=_-])/g,
    validate: looksLikeAwsSecret,
  },
  { name: 'email', kind: 'pii', regex: /\b[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b/g },
  {
    name: 'card_number',
    kind: 'pii',
    // not inside a word: digit runs of hex hashes and ids (`…4f3743927366122b6…`) are not cards
    regex: /(?<![\w.-])\d(?:[ -]?\d){12,18}(?![\w.-])/g,
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
] satisfies RedactionPattern[]).map(withQuick);
