// Hover over `tools.<server>.<tool>` shows the tool's signature and docs.
import * as vscode from 'vscode';
import { toolReferenceAt } from '../../core/editing/toolReferences';
import type { CatalogService } from '../catalogService';
import { toolMarkdown } from './toolDocs';

export class ToolHoverProvider implements vscode.HoverProvider {
  constructor(private readonly catalog: CatalogService) {}

  provideHover(document: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    const line = document.lineAt(position.line);
    const ref = toolReferenceAt(line.text, position.character);
    if (!ref?.tool || ref.toolStart === undefined) return undefined;
    const server = this.catalog.catalog.servers.find((s) => s.ident === ref.server);
    const tool = server?.tools.find((t) => t.ident === ref.tool);
    if (!server || !tool) return undefined;
    return new vscode.Hover(toolMarkdown(server, tool), new vscode.Range(position.line, ref.toolStart, position.line, ref.end));
  }
}
