// The shapes of the untrusted-text scanner: what a finding is and what a scan reports. A finding is
// a heuristic signal that text may be addressing the model; its absence proves nothing.

/** What a finding looks like, coarse enough for a UI badge and a trace count. */
export type InjectionKind =
  /** "ignore previous instructions", "you are now DAN", "new instructions:", system-prompt requests. */
  | 'override'
  /** "do not tell the user", "without informing the user". */
  | 'concealment'
  /** Reading credentials files or sending secrets/conversation to a URL or into a tool argument. */
  | 'exfiltration'
  /** Telling the model to call a tool silently / before answering / with some content. */
  | 'tool_request'
  /** Text that speaks to the AI reading it ("Note to the AI assistant:", "if you are an LLM"). */
  | 'addressed_to_model'
  /** Chat-template and role markup: `<system>`, `<|im_start|>`, `[INST]`, `### System:`, turn markers. */
  | 'role_markup'
  /** Unicode tag characters (U+E0000–E007F) outside an emoji flag: invisible ASCII. */
  | 'hidden_tags'
  /** Runs of zero-width / variation-selector characters, or zero-width characters splitting a word. */
  | 'invisible_chars'
  /** Bidi embedding/override/isolate controls on a line with no right-to-left letters (Trojan Source). */
  | 'bidi_control'
  /** A Latin word with Cyrillic/Greek look-alike letters in it ("ignоre" with a Cyrillic о). */
  | 'homoglyphs'
  /** A base64 block whose decoded text trips one of the text rules. */
  | 'encoded_payload';

/** Every kind, in a fixed order (for reports and tests). Keep in sync with InjectionKind. */
export const INJECTION_KINDS: readonly InjectionKind[] = [
  'override',
  'concealment',
  'exfiltration',
  'tool_request',
  'addressed_to_model',
  'role_markup',
  'hidden_tags',
  'invisible_chars',
  'bidi_control',
  'homoglyphs',
  'encoded_payload',
];

export interface InjectionFinding {
  kind: InjectionKind;
  /** The specific rule that fired, e.g. `ignore_instructions`, `chat_template_token`, `base64:system_tag`. */
  rule: string;
  /** Up to ~100 characters around the match, on one line, with invisible characters made visible. */
  excerpt: string;
  /** UTF-16 offset of the match in the scanned string. */
  offset: number;
  /** Length of the match in the scanned string (UTF-16 code units). */
  length: number;
  /** What hidden characters or an encoded block decode to, when they do (shortened). */
  decoded?: string;
}

export interface ScanOptions {
  /** Scan at most this many characters of one string; the rest is not looked at (see `truncated`).
   *  Default DEFAULT_MAX_SCAN_CHARS. */
  maxChars?: number;
  /** Stop collecting after this many findings in one string (see `findingsCut`). Default 20. */
  maxFindings?: number;
}

export interface InjectionScan {
  findings: InjectionFinding[];
  /** Length of the whole string. */
  length: number;
  /** Characters actually scanned (`length` unless truncated). */
  scanned: number;
  /** True when the string was longer than `maxChars`: the tail was not scanned. */
  truncated: boolean;
  /** True when more findings existed than `maxFindings`. */
  findingsCut: boolean;
}

/** Default per-string scan budget: 256 Ki characters. A scan costs ~0.1 s of CPU per Mi characters
 *  of prose here (bench/untrusted.ts), so one string costs at most ~30 ms by default. */
export const DEFAULT_MAX_SCAN_CHARS = 256 * 1024;
export const DEFAULT_MAX_FINDINGS = 20;
