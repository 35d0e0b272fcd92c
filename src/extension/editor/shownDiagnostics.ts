// One problem per error: ToolWeaver's own diagnostics step aside where another owner (TypeScript's
// server, or ToolWeaver's other collection) already shows a problem starting at the same place.
import * as vscode from 'vscode';

/**
 * The diagnostics of `mine` that no other owner shows yet: none of `uri`'s diagnostics from another
 * source (or only from `others`, when given) starts at the same position.
 */
export function notShownByOthers(uri: vscode.Uri, mine: readonly vscode.Diagnostic[], ownSource: string, others?: readonly string[]): vscode.Diagnostic[] {
  const theirs = vscode.languages.getDiagnostics(uri).filter((d) => d.source !== ownSource && (!others || others.includes(d.source ?? '')));
  return mine.filter((m) => !theirs.some((d) => d.range.start.isEqual(m.range.start)));
}

/** Cheap equality of two diagnostic lists (what a collection would show). */
export function sameDiagnostics(a: readonly vscode.Diagnostic[], b: readonly vscode.Diagnostic[]): boolean {
  return a.length === b.length && a.every((d, i) => {
    const o = b[i];
    return o !== undefined && o.message === d.message && o.range.isEqual(d.range) && o.severity === d.severity;
  });
}
