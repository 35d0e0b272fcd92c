// Suggests the closest known name for a misspelt one (code actions, error messages).
// Damerau-free Levenshtein on lower-cased names, with a threshold relative to the name's length.

/** Edit distance between two strings (insert, delete, substitute). */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      cur[j] = Math.min((prev[j] as number) + 1, (cur[j - 1] as number) + 1, (prev[j - 1] as number) + cost);
    }
    prev = cur;
  }
  return prev[b.length] as number;
}

/**
 * Known names closest to `name`, best first: at most `limit`, and only those within
 * max(2, 40% of the name's length) edits, so unrelated names are never suggested.
 */
export function closestNames(name: string, candidates: readonly string[], limit = 3): string[] {
  const needle = name.toLowerCase();
  const budget = Math.max(2, Math.floor(needle.length * 0.4));
  return candidates
    .map((c) => {
      const hay = c.toLowerCase();
      const d = hay.includes(needle) || needle.includes(hay) ? Math.min(1, editDistance(needle, hay)) : editDistance(needle, hay);
      return { c, d };
    })
    .filter((x) => x.d <= budget)
    .sort((x, y) => x.d - y.d || x.c.localeCompare(y.c))
    .slice(0, limit)
    .map((x) => x.c);
}
