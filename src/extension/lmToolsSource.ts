// Language-model tools (vscode.lm.tools: other extensions' tools and VS Code's own MCP support) as a
// catalog server named `vscode`, callable from scripts through vscode.lm.invokeTool.
import * as vscode from 'vscode';
import { buildCatalog } from '../core/catalog/catalogId';
import type { JsonSchema } from '../core/catalog/types';
import { ToolError, describeCause } from '../core/errors';
import type { ToolInvoker } from '../core/ports';
import type { CatalogPart } from '../core/workspace/mergeCatalogs';
import { isOwnToolName } from './agents/ownTools';

export const LM_SERVER_NAME = 'vscode';


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

export function lmToolsPart(): CatalogPart | undefined {
  // Our own tools (LM tools and our MCP server as VS Code lists it) are left out: a script calling
  // run_code would recurse.
  const tools = vscode.lm.tools.filter((t) => !isOwnToolName(t.name));
  if (tools.length === 0) return undefined;
  const catalog = buildCatalog([
    {
      name: LM_SERVER_NAME,
      source: 'vscode-lm',
      status: { state: 'connected' },
      tools: tools.map((t) => ({
        name: t.name,
        description: t.description,
        inputSchema: (t.inputSchema && typeof t.inputSchema === 'object' ? t.inputSchema : { type: 'object' }) as JsonSchema,
      })),
    },
  ]);
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
  return { label: 'language-model tools', catalog, invoker };
}
