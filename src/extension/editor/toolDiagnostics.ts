// Flags `tools.<server>.<tool>` references that the catalog doesn't have, and offers fixes: the
// closest known name, or (when the tool exists but its stub is missing) generating the stubs. Where
// TypeScript already reports the same name (through the stubs), its problem stands alone and the
// fixes attach to it.
import { existsSync } from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import { closestNames } from '../../core/editing/closestName';
import { isRunnableScript } from '../../core/editing/scriptFiles';
import { findToolReferences } from '../../core/editing/toolReferences';
import type { CatalogService } from '../catalogService';
import { notShownByOthers, sameDiagnostics } from './shownDiagnostics';

export const UNKNOWN_TOOL = 'toolweaver.unknownTool';
export const MISSING_STUB = 'toolweaver.missingStub';
const SOURCE = 'ToolWeaver';

export class ToolDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('toolweaver');
  private readonly sub: vscode.Disposable;

  constructor(
    private readonly catalog: CatalogService,
    private readonly stubsDir: () => string | undefined,
  ) {
    // TypeScript's problems arrive after ours (its server checks asynchronously): look again then.
    // Setting our own collection fires this too; update() only sets when something changed.
    this.sub = vscode.languages.onDidChangeDiagnostics((e) => {
      for (const uri of e.uris) {
        const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
        if (doc && isRunnableScript(doc.fileName)) this.update(doc);
      }
    });
  }

  update(document: vscode.TextDocument): void {
    if (this.catalog.state !== 'ready') {
      if (this.collection.has(document.uri)) this.collection.delete(document.uri);
      return;
    }
    const text = document.getText();
    const servers = this.catalog.catalog.servers;
    const stubs = this.stubsDir();
    const diagnostics: vscode.Diagnostic[] = [];
    for (const ref of findToolReferences(text)) {
      const server = servers.find((s) => s.ident === ref.server);
      if (!server) {
        if (['search', 'describe'].includes(ref.server)) continue; // tools.search()/describe() helpers
        const range = new vscode.Range(document.positionAt(ref.serverStart), document.positionAt(ref.serverStart + ref.server.length));
        const d = new vscode.Diagnostic(range, `No server "${ref.server}" in the ToolWeaver catalog.`, vscode.DiagnosticSeverity.Warning);
        d.code = UNKNOWN_TOOL;
        d.source = SOURCE;
        diagnostics.push(d);
        continue;
      }
      if (!ref.tool || ref.toolStart === undefined) continue;
      const range = new vscode.Range(document.positionAt(ref.toolStart), document.positionAt(ref.end));
      const tool = server.tools.find((t) => t.ident === ref.tool);
      if (!tool) {
        const d = new vscode.Diagnostic(range, `Server "${server.name}" has no tool "${ref.tool}".`, vscode.DiagnosticSeverity.Warning);
        d.code = UNKNOWN_TOOL;
        d.source = SOURCE;
        diagnostics.push(d);
      } else if (stubs && !existsSync(path.join(stubs, 'servers', server.ident, `${tool.ident}.ts`))) {
        const d = new vscode.Diagnostic(range, `The stub of ${server.name}.${tool.name} has not been generated yet, so this call is untyped.`, vscode.DiagnosticSeverity.Information);
        d.code = MISSING_STUB;
        d.source = SOURCE;
        diagnostics.push(d);
      }
    }
    const shown = notShownByOthers(document.uri, diagnostics, SOURCE, ['ts']);
    if (!sameDiagnostics(shown, this.collection.get(document.uri) ?? [])) this.collection.set(document.uri, shown);
  }

  clear(uri: vscode.Uri): void {
    this.collection.delete(uri);
  }

  dispose(): void {
    this.sub.dispose();
    this.collection.dispose();
  }
}

/** TypeScript's "no such property" codes (2339, and 2551 "did you mean"), on a tools reference. */
const TS_UNKNOWN_NAME = new Set([2339, 2551]);

function diagnosticCode(d: vscode.Diagnostic): string | number | undefined {
  return typeof d.code === 'object' ? d.code.value : d.code;
}

export class ToolCodeActions implements vscode.CodeActionProvider {
  static readonly kinds = [vscode.CodeActionKind.QuickFix];

  constructor(private readonly catalog: CatalogService) {}

  provideCodeActions(document: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const actions: vscode.CodeAction[] = [];
    for (const d of context.diagnostics) {
      if (d.code === MISSING_STUB) {
        const a = new vscode.CodeAction('Generate the missing stub', vscode.CodeActionKind.QuickFix);
        a.command = { command: 'toolweaver.generateStubs', title: 'Generate Stubs' };
        a.diagnostics = [d];
        a.isPreferred = true;
        actions.push(a);
        continue;
      }
      const line = document.lineAt(d.range.start.line).text;
      // A tool diagnostic starts at the tool name; a server diagnostic at the server name.
      const ref = findToolReferences(line).find((r) => r.toolStart === d.range.start.character);
      const servers = this.catalog.catalog.servers;
      const server = ref ? servers.find((s) => s.ident === ref.server) : undefined;
      if (d.source === 'ts') {
        // TypeScript's problem on a tools name: the same fixes as ours (ours stepped aside).
        const onServer = findToolReferences(line).some((r) => r.serverStart === d.range.start.character);
        if (!TS_UNKNOWN_NAME.has(Number(diagnosticCode(d))) || (!ref && !onServer)) continue;
        const tool = ref && server ? server.tools.find((t) => t.ident === ref.tool) : undefined;
        if (tool) {
          // Known to the catalog, unknown to TypeScript: its stub is missing.
          const a = new vscode.CodeAction('Generate the missing stub', vscode.CodeActionKind.QuickFix);
          a.command = { command: 'toolweaver.generateStubs', title: 'Generate Stubs' };
          a.diagnostics = [d];
          actions.push(a);
          continue;
        }
      } else if (d.code !== UNKNOWN_TOOL) continue;
      const word = document.getText(new vscode.Range(d.range.start, d.range.start.translate(0, /^[\w$]*/.exec(line.slice(d.range.start.character))?.[0].length ?? 0)));
      const candidates = server ? server.tools.map((t) => t.ident) : servers.map((s) => s.ident);
      for (const [i, name] of closestNames(word, candidates).entries()) {
        const a = new vscode.CodeAction(`Change to "${name}"`, vscode.CodeActionKind.QuickFix);
        a.edit = new vscode.WorkspaceEdit();
        a.edit.replace(document.uri, d.range, name);
        a.diagnostics = [d];
        a.isPreferred = i === 0;
        actions.push(a);
      }
      const refresh = new vscode.CodeAction('Refresh the tool catalog', vscode.CodeActionKind.QuickFix);
      refresh.command = { command: 'toolweaver.refreshCatalog', title: 'Refresh Catalog' };
      refresh.diagnostics = [d];
      actions.push(refresh);
    }
    return actions;
  }
}
