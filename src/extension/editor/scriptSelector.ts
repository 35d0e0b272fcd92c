// Which documents get ToolWeaver's editor features: runnable scripts (see core/editing/scriptFiles).
import type * as vscode from 'vscode';

/** Keep in sync with SCRIPT_FILE_PATTERN in src/core/editing/scriptFiles.ts. */
export const SCRIPT_SELECTOR: vscode.DocumentSelector = [
  { scheme: 'file', pattern: '**/*.tw.ts' },
  { scheme: 'file', pattern: '**/*.tw.js' },
  { scheme: 'untitled', language: 'typescript' },
];
