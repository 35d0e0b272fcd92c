// Markdown docs of a tool for hover and completion: signature, description, annotations.
import * as vscode from 'vscode';
import type { CatalogServer, CatalogTool } from '../../core/catalog/types';
import { renderToolSignature } from '../../core/stubs/renderToolSignature';

export function toolMarkdown(server: CatalogServer, tool: CatalogTool): vscode.MarkdownString {
  const md = new vscode.MarkdownString();
  md.appendCodeblock(renderToolSignature(server, tool), 'typescript');
  if (tool.title && tool.title !== tool.name) md.appendMarkdown(`**${tool.title.replace(/[*_`[\]]/g, '\\$&')}**\n\n`);
  if (tool.description) md.appendText(tool.description);
  const a = tool.annotations ?? {};
  const notes = [a.readOnlyHint ? 'read-only' : '', a.destructiveHint ? '⚠ destructive' : '', a.idempotentHint ? 'idempotent' : '', a.openWorldHint ? 'open-world' : ''].filter(Boolean);
  if (notes.length) md.appendMarkdown(`\n\n_${notes.join(' · ')}_`);
  md.appendMarkdown(`\n\nServer \`${server.name}\`${tool.name !== tool.ident ? ` · original name \`${tool.name}\`` : ''}`);
  return md;
}
