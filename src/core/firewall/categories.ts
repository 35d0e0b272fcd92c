// What the privacy firewall withholds from a model: categories of findings, the redaction rules in
// each (src/core/redact/patterns.ts owns the rules) and the placeholder label of each rule.
// Invariant: 'secrets' is always on; a category list from outside only ever adds the PII ones.
import { UsageError } from '../errors';

/** One kind of data the firewall can withhold. */
export type FirewallCategory = 'secrets' | 'emails' | 'phones' | 'cards' | 'ids';

/** Every category, in display order. */
export const FIREWALL_CATEGORIES: readonly FirewallCategory[] = ['secrets', 'emails', 'phones', 'cards', 'ids'];

/** The categories a user may switch off (secrets never). */
export const OPTIONAL_FIREWALL_CATEGORIES: readonly FirewallCategory[] = ['emails', 'phones', 'cards', 'ids'];

/** The PII rules of each optional category (names of BUILTIN_PATTERNS). */
const PII_RULES: Record<Exclude<FirewallCategory, 'secrets'>, readonly string[]> = {
  emails: ['email'],
  phones: ['phone'],
  cards: ['card_number'],
  ids: ['ssn'],
};

/** Placeholder labels of rules whose name is not the label itself. */
const LABELS: Record<string, string> = { card_number: 'card' };

/** The category a redaction rule's finding belongs to. PII rules outside the built-in ones (a
 *  custom pattern declared as PII) count as 'ids'. */
export function categoryOfRule(rule: string, kind: 'secret' | 'pii'): FirewallCategory {
  if (kind === 'secret') return 'secrets';
  for (const [category, rules] of Object.entries(PII_RULES)) if (rules.includes(rule)) return category as FirewallCategory;
  return 'ids';
}

/** The label in a placeholder (`email` in `«email_1»`): lower-case letters, digits and `_` only. */
export function labelOfRule(rule: string): string {
  const label = (LABELS[rule] ?? rule).toLowerCase().replace(/[^a-z0-9_]+/g, '_').slice(0, 40);
  return label.length > 0 ? label : 'secret';
}

/** Names of the built-in PII rules to switch off for `categories`. */
export function disabledPiiRules(categories: ReadonlySet<FirewallCategory>): string[] {
  return Object.entries(PII_RULES).flatMap(([category, rules]) => (categories.has(category as FirewallCategory) ? [] : [...rules]));
}

/** The set a setting or flag asks for, with 'secrets' added; unknown names are dropped (see
 *  parseFirewallCategories for the strict form). */
export function normalizeCategories(list: Iterable<string> | undefined): Set<FirewallCategory> {
  const out = new Set<FirewallCategory>(['secrets']);
  for (const name of list ?? FIREWALL_CATEGORIES) if ((FIREWALL_CATEGORIES as readonly string[]).includes(name)) out.add(name as FirewallCategory);
  return out;
}

/**
 * The CLI's `--firewall a,b` (repeatable) and `--no-firewall-pii`: no flag = every category; the
 * flag lists the categories to withhold ('secrets' is implied); `--no-firewall-pii` = secrets only.
 * Unknown names and the two flags together are usage errors.
 */
export function parseFirewallCategories(values: readonly string[], noPii: boolean): Set<FirewallCategory> {
  if (noPii && values.length > 0) throw new UsageError('Use either --firewall LIST or --no-firewall-pii, not both.');
  if (noPii) return new Set(['secrets']);
  if (values.length === 0) return new Set(FIREWALL_CATEGORIES);
  const names = values.flatMap((v) => v.split(',')).map((v) => v.trim().toLowerCase()).filter(Boolean);
  for (const name of names) {
    if (!(FIREWALL_CATEGORIES as readonly string[]).includes(name)) {
      throw new UsageError(`--firewall does not know the category "${name}". Categories: ${FIREWALL_CATEGORIES.join(', ')} (secrets are always withheld).`);
    }
  }
  return normalizeCategories(names);
}
