// Extension entry point: wiring only. Each feature lives in its own module under src/extension.
import type * as vscode from 'vscode';

export function activate(_context: vscode.ExtensionContext): void {
  // Features are registered here as they land (see src/extension/*).
}

export function deactivate(): void {}
