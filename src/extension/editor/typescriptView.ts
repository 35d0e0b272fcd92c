// What TypeScript shows for a script through the generated stubs (see core/editing/stubCoverage.ts),
// so completion and hover add only what it lacks. The manifest is re-read when its mtime changes.
import { statSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type * as vscode from 'vscode';
import { isInside, parseStubManifest, referencesStubs, type StubCoverage } from '../../core/editing/stubCoverage';

export class TypeScriptView {
  private cache: { file: string; mtimeMs: number; coverage: StubCoverage } | undefined;

  constructor(
    private readonly stubsDir: () => string | undefined,
    private readonly scriptsDir: () => string | undefined,
  ) {}

  /**
   * The servers and tools TypeScript lists and describes for `document` (it sees the stubs through a
   * `/// <reference>`, or the scripts/stubs folder's tsconfig.json), or undefined when it sees none.
   */
  coverage(document: vscode.TextDocument): StubCoverage | undefined {
    const stubs = this.stubsDir();
    if (!stubs || document.uri.scheme !== 'file') return undefined;
    const file = document.uri.fsPath;
    const scripts = this.scriptsDir();
    const sees = referencesStubs(document.getText()) || isInside(file, stubs, path.sep) || (scripts !== undefined && isInside(file, scripts, path.sep));
    if (!sees) return undefined;
    return this.read(path.join(stubs, 'manifest.json'));
  }

  private read(file: string): StubCoverage | undefined {
    let mtimeMs: number;
    try {
      mtimeMs = statSync(file).mtimeMs;
    } catch {
      return undefined; // no stubs written yet: TypeScript knows no tool
    }
    if (this.cache?.file === file && this.cache.mtimeMs === mtimeMs) return this.cache.coverage;
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      return undefined;
    }
    const coverage = parseStubManifest(text);
    this.cache = { file, mtimeMs, coverage };
    return coverage;
  }
}
