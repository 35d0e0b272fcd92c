// Completion of tools in scripts: `tools.` lists servers, `tools.<server>.` lists its tools and
// inserts a typed call with snippet placeholders for the required arguments.
import * as vscode from 'vscode';
import { toolCallSnippet } from '../../core/editing/callSnippet';
import { completionContextAt } from '../../core/editing/toolReferences';
import type { CatalogService } from '../catalogService';
import { toolMarkdown } from './toolDocs';

export class ToolCompletionProvider implements vscode.CompletionItemProvider {
  constructor(private readonly catalog: CatalogService) {}

  provideCompletionItems(document: vscode.TextDocument, position: vscode.Position): vscode.CompletionItem[] | undefined {
    const prefix = document.lineAt(position.line).text.slice(0, position.character);
    const ctx = completionContextAt(prefix);
    if (!ctx) return undefined;
    const servers = this.catalog.catalog.servers;
    if (ctx.kind === 'server') {
      return servers.map((s) => {
        const item = new vscode.CompletionItem(s.ident, vscode.CompletionItemKind.Module);
        item.detail = `${s.name} · ${s.tools.length} tools`;
        item.documentation = new vscode.MarkdownString(`MCP server \`${s.name}\` (${s.status.state}).`);
        item.sortText = `0${s.ident}`;
        return item;
      });
    }
    const server = servers.find((s) => s.ident === ctx.server);
    if (!server) return undefined;
    return server.tools.map((tool) => {
      const item = new vscode.CompletionItem(tool.ident, vscode.CompletionItemKind.Function);
      item.insertText = new vscode.SnippetString(toolCallSnippet(server, tool, { withPrefix: false }));
      item.detail = (tool.title ?? tool.description ?? '').split(/\r?\n/)[0];
      item.documentation = toolMarkdown(server, tool);
      item.sortText = `0${tool.ident}`;
      return item;
    });
  }
}
