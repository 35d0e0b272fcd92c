// Language-model tools (vscode.lm.tools) as catalog parts, one per source the user allowed (an
// extension, a VS Code MCP server ToolWeaver does not run itself, or VS Code's own tools by name),
// callable from scripts through vscode.lm.invokeTool. Classification lives in core/catalog/lmToolSources.
import * as vscode from 'vscode';
import { buildCatalog } from '../core/catalog/catalogId';
import { annotationsOf, extensionToolMap, inputSchemaOf, selectLmTools, toLmToolInfo, type LmSelection, type LmToolInfo, type LmToolSource } from '../core/catalog/lmToolSources';
import { ToolError, describeCause } from '../core/errors';
import type { ToolInvoker } from '../core/ports';
import type { CatalogPart } from '../core/workspace/mergeCatalogs';
import { isOwnToolName } from './agents/ownTools';

function resultValue(result: vscode.LanguageModelToolResult): unknown {
  const texts: string[] = [];
  const others: unknown[] = [];
  for (const part of result.content) {
    if (part instanceof vscode.LanguageModelTextPart) texts.push(part.value);
    else others.push(part);
  }
  const text = texts.join('');
  if (texts.length && !others.length) {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return text;
    }
  }
  return texts.length ? { text, parts: others.length } : others;
}

/** Every tool VS Code lists now except ToolWeaver's own (a script calling run_code would recurse). */
export function currentLmTools(): LmToolInfo[] {
  return vscode.lm.tools.map((t) => toLmToolInfo(t)).filter((t): t is LmToolInfo => t !== undefined && !isOwnToolName(t.name));
}

/** The current tools split into chosen / offered / VS Code duplicates of `ownServers`. */
export function lmToolSelection(allow: readonly string[], ownServers: readonly string[]): LmSelection {
  return selectLmTools(currentLmTools(), { allow, ownServers, extensionOf: extensionToolMap(vscode.extensions.all) });
}

/** How the Tools view and messages name a source. */
export function lmSourceLabel(source: Pick<LmToolSource, 'kind' | 'id' | 'server'>): string {
  if (source.kind === 'extension') return `language-model tools of ${vscode.extensions.getExtension(source.id)?.packageJSON?.displayName ?? source.id}`;
  if (source.kind === 'mcp') return `VS Code's MCP server ${source.server}`;
  return "VS Code's built-in tools";
}

const invoker: ToolInvoker = {
  async callTool(req, opts) {
    const cts = new vscode.CancellationTokenSource();
    const onAbort = () => cts.cancel();
    opts.signal.addEventListener('abort', onAbort, { once: true });
    try {
      const result = await vscode.lm.invokeTool(req.tool, { input: req.args, toolInvocationToken: undefined }, cts.token);
      return resultValue(result);
    } catch (err) {
      if (opts.signal.aborted) throw new ToolError('cancelled', `The call to ${req.tool} was cancelled.`, { server: req.server, tool: req.tool, cause: err });
      throw new ToolError('tool_failed', `The language-model tool ${req.tool} failed: ${describeCause(err)}`, { server: req.server, tool: req.tool, cause: err });
    } finally {
      opts.signal.removeEventListener('abort', onAbort);
      cts.dispose();
    }
  },
};

/** One catalog part per chosen source; its server is named after the source (`tools.<source>.<tool>`). */
export function lmToolsParts(chosen: readonly LmToolSource[]): CatalogPart[] {
  return chosen.map((source) => {
    const catalog = buildCatalog([
      {
        name: source.server,
        source: 'vscode-lm',
        status: { state: 'connected' },
        tools: source.tools.map((t) => {
          const annotations = annotationsOf(t);
          return { name: t.name, description: t.description, inputSchema: inputSchemaOf(t), ...(annotations ? { annotations } : {}) };
        }),
      },
    ]);
    return { id: `lm:${source.id}`, kind: 'language-model-tools' as const, label: lmSourceLabel(source), catalog, invoker };
  });
}
