// Pre-run type check in the extension: one warm TypeScript language service over the catalog's
// stubs rendered in memory, and a DiagnosticCollection for Run Script. The compiler loads lazily
// (first check, or a warm-up after the catalog is ready), never during activation. The check gates
// the run; its problems show only where TypeScript's server (or ToolWeaver's name check) does not
// already show one at the same place, so each error is listed once.
import * as vscode from 'vscode';
import { stubDeclarations } from '../../core/discovery/stubText';
import { skillsDeclarationFile } from '../../core/skills/declarations';
import type { Skill } from '../../core/skills/skillSet';
import { createTypeChecker, type TypeChecker, type TypeDiagnostic } from '../../core/agents/typeCheck';
import { describeCause } from '../../core/errors';
import type { CatalogService } from '../catalogService';
import { notShownByOthers, sameDiagnostics } from '../editor/shownDiagnostics';

const WARM_DELAY_MS = 1_500;
const SOURCE = 'ToolWeaver type check';

export class TypeCheckService implements vscode.Disposable {
  private readonly checker: TypeChecker;
  private readonly collection = vscode.languages.createDiagnosticCollection('toolweaver-typecheck');
  private readonly disposables: vscode.Disposable[] = [this.collection];
  private warmTimer: ReturnType<typeof setTimeout> | undefined;
  private warmed = false;
  /** What the last check found per document, before removing what others show. */
  private readonly found = new Map<string, { uri: vscode.Uri; diags: vscode.Diagnostic[] }>();

  constructor(
    private readonly catalog: CatalogService,
    private readonly log: vscode.LogOutputChannel,
    /** The workspace's skills (SkillService), declared as skills.d.ts for the check. */
    private readonly skills: () => readonly Skill[] = () => [],
  ) {
    this.checker = createTypeChecker({ declarations: () => [...stubDeclarations(this.catalog.catalog), skillsDeclarationFile(this.skills())] });
    this.disposables.push(
      catalog.onDidChange(() => {
        if (catalog.state === 'ready') this.warmSoon();
      }),
      // Old diagnostics point at old text: drop them on the first edit; the next run checks again.
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.contentChanges.length && this.found.has(e.document.uri.toString())) this.clear(e.document.uri);
      }),
      vscode.workspace.onDidCloseTextDocument((doc) => this.clear(doc.uri)),
      // TypeScript's server may report after the check: step aside then too.
      vscode.languages.onDidChangeDiagnostics((e) => {
        for (const uri of e.uris) if (this.found.has(uri.toString())) this.publish(uri);
      }),
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

  /** Shows diagnostics on a document (lines shifted by `lineOffset` for a selection), except those
   *  another owner already shows at the same place. */
  show(uri: vscode.Uri, diags: TypeDiagnostic[], lineOffset = 0): void {
    const mapped = diags.map((d) => {
      const pos = new vscode.Position(d.line - 1 + lineOffset, Math.max(0, d.column - 1));
      const diag = new vscode.Diagnostic(new vscode.Range(pos, pos.translate(0, 1)), d.message, vscode.DiagnosticSeverity.Error);
      diag.source = SOURCE;
      diag.code = d.code;
      return diag;
    });
    this.found.set(uri.toString(), { uri, diags: mapped });
    this.publish(uri);
  }

  private publish(uri: vscode.Uri): void {
    const entry = this.found.get(uri.toString());
    if (!entry) return;
    const shown = notShownByOthers(uri, entry.diags, SOURCE);
    if (!sameDiagnostics(shown, this.collection.get(uri) ?? [])) this.collection.set(uri, shown);
  }

  /** Current diagnostics of a document (tests). */
  diagnostics(uri: vscode.Uri): readonly vscode.Diagnostic[] {
    return this.collection.get(uri) ?? [];
  }

  clear(uri: vscode.Uri): void {
    this.found.delete(uri.toString());
    if (this.collection.has(uri)) this.collection.delete(uri);
  }

  dispose(): void {
    if (this.warmTimer) clearTimeout(this.warmTimer);
    this.checker.dispose();
    for (const d of this.disposables) d.dispose();
  }
}
