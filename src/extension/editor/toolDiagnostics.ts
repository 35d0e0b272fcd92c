// Flags `tools.<server>.<tool>` references that the catalog doesn't have, and offers fixes: the
// closest known name, or (when the tool exists but its stub is missing) generating the stubs.
import { existsSync } from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import { closestNames } from '../../core/editing/closestName';
import { findToolReferences } from '../../core/editing/toolReferences';
import type { CatalogService } from '../catalogService';

export const UNKNOWN_TOOL = 'toolweaver.unknownTool';
export const MISSING_STUB = 'toolweaver.missingStub';

export class ToolDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('toolweaver');

  constructor(
    private readonly catalog: CatalogService,
    private readonly stubsDir: () => string | undefined,
  ) {}

  update(document: vscode.TextDocument): void {
    if (this.catalog.state !== 'ready') {
      this.collection.delete(document.uri);
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
        d.source = 'ToolWeaver';
        diagnostics.push(d);
        continue;
      }
      if (!ref.tool || ref.toolStart === undefined) continue;
      const range = new vscode.Range(document.positionAt(ref.toolStart), document.positionAt(ref.end));
      const tool = server.tools.find((t) => t.ident === ref.tool);
      if (!tool) {
        const d = new vscode.Diagnostic(range, `Server "${server.name}" has no tool "${ref.tool}".`, vscode.DiagnosticSeverity.Warning);
        d.code = UNKNOWN_TOOL;
        d.source = 'ToolWeaver';
        diagnostics.push(d);
      } else if (stubs && !existsSync(path.join(stubs, 'servers', server.ident, `${tool.ident}.ts`))) {
        const d = new vscode.Diagnostic(range, `The stub of ${server.name}.${tool.name} has not been generated yet, so this call is untyped.`, vscode.DiagnosticSeverity.Information);
        d.code = MISSING_STUB;
        d.source = 'ToolWeaver';
        diagnostics.push(d);
      }
    }
    this.collection.set(document.uri, diagnostics);
  }

  clear(uri: vscode.Uri): void {
    this.collection.delete(uri);
  }

  dispose(): void {
    this.collection.dispose();
  }
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
      if (d.code !== UNKNOWN_TOOL) continue;
      const word = document.getText(d.range);
      const line = document.lineAt(d.range.start.line).text;
      // A tool diagnostic starts at the tool name; a server diagnostic at the server name.
      const ref = findToolReferences(line).find((r) => r.toolStart === d.range.start.character);
      const servers = this.catalog.catalog.servers;
      const server = ref ? servers.find((s) => s.ident === ref.server) : undefined;
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
