// How a run's withheld counts read ("1 secret, 2 email addresses"), shared by the model's reply,
// the CLI and the panel (a browser bundle: so this file imports nothing).
// Invariant: only counts and kinds; there are no values to show.

const WORDS: Record<string, [string, string]> = {
  secrets: ['secret', 'secrets'],
  emails: ['email address', 'email addresses'],
  phones: ['phone number', 'phone numbers'],
  cards: ['card number', 'card numbers'],
  ids: ['ID number', 'ID numbers'],
};

/** "2 secrets, 1 email address" from `{ total, byKind }` (empty when nothing was withheld). */
export function describeWithheld(w: { byKind: Record<string, number> }): string {
  return Object.entries(w.byKind)
    .filter(([, n]) => n > 0)
    .map(([kind, n]) => {
      const [one, many] = WORDS[kind] ?? [kind, kind];
      return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
    })
    .join(', ');
}
