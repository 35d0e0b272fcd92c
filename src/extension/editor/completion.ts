// Completion of tools in scripts, next to TypeScript's: TypeScript lists what the generated stubs
// declare, so this provider adds only what it cannot know — servers and tools not (yet) in the stubs,
// with a typed call and snippet placeholders for the required arguments. One row per item.
import * as vscode from 'vscode';
import { toolCallSnippet } from '../../core/editing/callSnippet';
import { completionContextAt } from '../../core/editing/toolReferences';
import type { CatalogService } from '../catalogService';
import { toolMarkdown } from './toolDocs';
import type { TypeScriptView } from './typescriptView';

export class ToolCompletionProvider implements vscode.CompletionItemProvider {
  constructor(
    private readonly catalog: CatalogService,
    private readonly typescript: TypeScriptView,
  ) {}

  provideCompletionItems(document: vscode.TextDocument, position: vscode.Position): vscode.CompletionItem[] | undefined {
    const prefix = document.lineAt(position.line).text.slice(0, position.character);
    const ctx = completionContextAt(prefix);
    if (!ctx) return undefined;
    const servers = this.catalog.catalog.servers;
    const known = this.typescript.coverage(document);
    if (ctx.kind === 'server') {
      return servers
        .filter((s) => !known?.has(s.ident))
        .map((s) => {
          const item = new vscode.CompletionItem(s.ident, vscode.CompletionItemKind.Module);
          item.detail = `${s.name} · ${s.tools.length} tool${s.tools.length === 1 ? '' : 's'} (not in the stubs yet)`;
          item.documentation = new vscode.MarkdownString(`MCP server \`${s.name}\` (${s.status.state}).`);
          item.sortText = `0${s.ident}`;
          return item;
        });
    }
    const server = servers.find((s) => s.ident === ctx.server);
    if (!server) return undefined;
    const stubbed = known?.get(server.ident);
    return server.tools
      .filter((tool) => !stubbed?.has(tool.ident))
      .map((tool) => {
        const item = new vscode.CompletionItem(tool.ident, vscode.CompletionItemKind.Function);
        item.insertText = new vscode.SnippetString(toolCallSnippet(server, tool, { withPrefix: false }));
        item.detail = (tool.title ?? tool.description ?? '').split(/\r?\n/)[0];
        item.documentation = toolMarkdown(server, tool);
        item.sortText = `0${tool.ident}`;
        return item;
      });
  }
}
