// Turns user redaction settings (on/off, extra regexes as strings, rules to disable) into
// RedactorOptions. Invariant: a bad regex never disables redaction; it is skipped and reported.
import { BUILTIN_PATTERNS, type RedactionPattern } from './patterns';
import type { RedactorOptions } from './redactor';

export interface RedactionSettings {
  enabled: boolean;
  extraPatterns: readonly string[];
  disabledRules: readonly string[];
}

export interface RedactionConfig {
  options: RedactorOptions;
  /** One sentence per setting that could not be used. */
  problems: string[];
}

export function redactionFromSettings(settings: RedactionSettings, secrets: readonly string[]): RedactionConfig {
  if (!settings.enabled) {
    // Configured secrets are still removed: they came from the user's own server config.
    return { options: { secrets, disable: BUILTIN_PATTERNS.map((p) => p.name), pii: false, redactSecretKeys: false }, problems: [] };
  }
  const problems: string[] = [];
  const patterns: RedactionPattern[] = [];
  settings.extraPatterns.forEach((source, i) => {
    try {
      patterns.push({ name: `custom${i + 1}`, kind: 'secret', regex: new RegExp(source, 'g') });
    } catch (err) {
      problems.push(`Redaction pattern ${JSON.stringify(source)} is not a valid regular expression (${err instanceof Error ? err.message : String(err)}); it is ignored.`);
    }
  });
  const known = new Set(BUILTIN_PATTERNS.map((p) => p.name));
  for (const name of settings.disabledRules) {
    if (!known.has(name)) problems.push(`There is no built-in redaction rule named "${name}". Known rules: ${[...known].join(', ')}.`);
  }
  return { options: { secrets, patterns, disable: settings.disabledRules.filter((n) => known.has(n)) }, problems };
}
