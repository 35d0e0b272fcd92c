// Hover over `tools.<server>.<tool>`, next to TypeScript's: when the stubs give TypeScript the tool's
// signature and description, this adds only what it lacks — the server's hints and the last observed
// call (latency, result size), one line each. Without the stubs it shows the full docs.
import * as vscode from 'vscode';
import { toolReferenceAt } from '../../core/editing/toolReferences';
import { describeHints } from '../../core/stubs/renderToolFile';
import { describeObservation, type ToolObservations } from '../../core/trace/toolObservations';
import type { CatalogService } from '../catalogService';
import { toolMarkdown } from './toolDocs';
import type { TypeScriptView } from './typescriptView';

export class ToolHoverProvider implements vscode.HoverProvider {
  constructor(
    private readonly catalog: CatalogService,
    private readonly typescript: TypeScriptView,
    private readonly observations: ToolObservations,
  ) {}

  provideHover(document: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    const line = document.lineAt(position.line);
    const ref = toolReferenceAt(line.text, position.character);
    if (!ref?.tool || ref.toolStart === undefined) return undefined;
    const server = this.catalog.catalog.servers.find((s) => s.ident === ref.server);
    const tool = server?.tools.find((t) => t.ident === ref.tool);
    if (!server || !tool) return undefined;
    const range = new vscode.Range(position.line, ref.toolStart, position.line, ref.end);
    const observed = this.observations.get(server.name, tool.name);
    if (!this.typescript.coverage(document)?.get(server.ident)?.has(tool.ident)) {
      const md = toolMarkdown(server, tool);
      if (observed) md.appendMarkdown(`\n\n${describeObservation(observed)}`);
      return new vscode.Hover(md, range);
    }
    // TypeScript's hover has the signature and the description (the interface member's JSDoc), not
    // the server's hints nor how the tool behaved: add those, one line each.
    const lines: string[] = [];
    const hints = describeHints(tool.annotations);
    if (hints.length) lines.push(`$(info) ${hints.join(' · ')} (declared by the server)`);
    if (observed) lines.push(`$(history) ${describeObservation(observed)}`);
    if (!lines.length) return undefined;
    const md = new vscode.MarkdownString(lines.join('  \n'), true);
    return new vscode.Hover(md, range);
  }
}
