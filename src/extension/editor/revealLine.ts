// Moves a visible editor of `file` to `line` without opening or focusing anything: what a click on a
// span does. Opening the script instead would replace the panel when both share one editor group.
import * as vscode from 'vscode';

/** True when an editor of `file` was visible and now shows `line` (1-based). */
export function revealLineIfVisible(file: string, line: number): boolean {
  const editor = vscode.window.visibleTextEditors.find((e) => e.document.uri.scheme === 'file' && e.document.uri.fsPath === file);
  if (!editor) return false;
  const pos = new vscode.Position(Math.max(0, line - 1), 0);
  editor.selection = new vscode.Selection(pos, pos);
  editor.revealRange(new vscode.Range(pos, pos), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  return true;
}
