// Pre-run type check in the extension: one warm TypeScript language service over the catalog's
// stubs rendered in memory, and a DiagnosticCollection for Run Script. The compiler loads lazily
// (first check, or a warm-up after the catalog is ready), never during activation.
import * as vscode from 'vscode';
import { stubDeclarations } from '../../core/discovery/stubText';
import { createTypeChecker, type TypeChecker, type TypeDiagnostic } from '../../core/agents/typeCheck';
import { describeCause } from '../../core/errors';
import type { CatalogService } from '../catalogService';

const WARM_DELAY_MS = 1_500;

export class TypeCheckService implements vscode.Disposable {
  private readonly checker: TypeChecker;
  private readonly collection = vscode.languages.createDiagnosticCollection('toolweaver-typecheck');
  private readonly disposables: vscode.Disposable[] = [this.collection];
  private warmTimer: ReturnType<typeof setTimeout> | undefined;
  private warmed = false;

  constructor(
    private readonly catalog: CatalogService,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.checker = createTypeChecker({ declarations: () => stubDeclarations(this.catalog.catalog) });
    this.disposables.push(
      catalog.onDidChange(() => {
        if (catalog.state === 'ready') this.warmSoon();
      }),
      // Old diagnostics point at old text: drop them on the first edit; the next run checks again.
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.contentChanges.length && this.collection.has(e.document.uri)) this.collection.delete(e.document.uri);
      }),
      vscode.workspace.onDidCloseTextDocument((doc) => this.collection.delete(doc.uri)),
    );
  }

  /** Builds the language service shortly after the catalog is ready, off the activation path. */
  warmSoon(): void {
    if (this.warmed || this.warmTimer) return;
    this.warmTimer = setTimeout(() => {
      this.warmTimer = undefined;
      const t0 = performance.now();
      this.checker.warm().then(
        () => {
          this.warmed = true;
          this.log.info(`Type checker warm in ${Math.round(performance.now() - t0)} ms`);
        },
        (err: unknown) => this.log.warn(`Could not warm the type checker: ${describeCause(err)}`),
      );
    }, WARM_DELAY_MS);
  }

  /** Type errors of a script against the current catalog's stubs (empty = it type-checks). */
  check(source: string, language: 'ts' | 'js'): Promise<TypeDiagnostic[]> {
    return this.checker.check(source, { language });
  }

  /** Shows diagnostics on a document (lines shifted by `lineOffset` for a selection). */
  show(uri: vscode.Uri, diags: TypeDiagnostic[], lineOffset = 0): void {
    this.collection.set(
      uri,
      diags.map((d) => {
        const pos = new vscode.Position(d.line - 1 + lineOffset, Math.max(0, d.column - 1));
        const diag = new vscode.Diagnostic(new vscode.Range(pos, pos.translate(0, 1)), d.message, vscode.DiagnosticSeverity.Error);
        diag.source = 'ToolWeaver type check';
        diag.code = d.code;
        return diag;
      }),
    );
  }

  /** Current diagnostics of a document (tests). */
  diagnostics(uri: vscode.Uri): readonly vscode.Diagnostic[] {
    return this.collection.get(uri) ?? [];
  }

  clear(uri: vscode.Uri): void {
    this.collection.delete(uri);
  }

  dispose(): void {
    if (this.warmTimer) clearTimeout(this.warmTimer);
    this.checker.dispose();
    for (const d of this.disposables) d.dispose();
  }
}
