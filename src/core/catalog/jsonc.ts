// JSONC tolerance for VS Code's config files: removes // and /* */ comments and trailing commas.
// Invariant: nothing inside a string literal is ever touched, and line/column positions of the
// remaining text are kept (removed characters become spaces) so JSON.parse errors still point right.

/** Returns `text` with comments and trailing commas blanked out (replaced by spaces). */
export function stripJsonc(text: string): string {
  const out = text.split('');
  const n = text.length;
  let i = 0;
  // Index of the last comma outside strings/comments not yet followed by a significant character.
  let pendingComma = -1;
  while (i < n) {
    const ch = text[i];
    if (ch === '"') {
      pendingComma = -1;
      i++;
      while (i < n && text[i] !== '"') {
        if (text[i] === '\\') i++;
        i++;
      }
      i++;
      continue;
    }
    if (ch === '/' && text[i + 1] === '/') {
      while (i < n && text[i] !== '\n') out[i++] = ' ';
      continue;
    }
    if (ch === '/' && text[i + 1] === '*') {
      out[i++] = ' ';
      out[i++] = ' ';
      while (i < n && !(text[i] === '*' && text[i + 1] === '/')) {
        if (text[i] !== '\n' && text[i] !== '\r') out[i] = ' ';
        i++;
      }
      if (i < n) {
        out[i++] = ' ';
        out[i++] = ' ';
      }
      continue;
    }
    if (ch === ',') {
      pendingComma = i;
    } else if (ch === '}' || ch === ']') {
      if (pendingComma !== -1) out[pendingComma] = ' ';
      pendingComma = -1;
    } else if (ch !== undefined && !/\s/.test(ch)) {
      pendingComma = -1;
    }
    i++;
  }
  return out.join('');
}
