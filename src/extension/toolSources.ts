// "ToolWeaver: Choose Language-Model Tools": offers the tools VS Code lists (vscode.lm.tools) grouped
// by source — extensions, VS Code's MCP servers, then VS Code's own tools one by one — and writes the
// choice to toolweaver.catalog.languageModelTools in this workspace (a choice for this folder, like
// the demo: it makes ToolWeaver write stubs here).
import * as vscode from 'vscode';
import type { LmToolSource } from '../core/catalog/lmToolSources';
import type { CatalogService } from './catalogService';
import { lmSourceLabel, lmToolSelection } from './lmToolsSource';
import { readSettings } from './settings';

type Pick = vscode.QuickPickItem & { entry?: string };

/** Quick-pick rows: one per extension / MCP source, one per built-in tool (allowing all of VS Code's own tools is rarely wanted). */
function rows(sources: readonly LmToolSource[], allowed: ReadonlySet<string>, chosenIds: ReadonlySet<string>): Pick[] {
  const out: Pick[] = [];
  let section = '';
  for (const s of sources) {
    const title = s.kind === 'extension' ? 'Extensions' : s.kind === 'mcp' ? "VS Code's MCP servers" : "VS Code's own tools (chat internals: terminal, edits, confirmations)";
    if (title !== section) {
      out.push({ label: title, kind: vscode.QuickPickItemKind.Separator });
      section = title;
    }
    if (s.kind === 'builtin') {
      for (const t of s.tools) out.push({ label: t.name, description: t.fullReferenceName, detail: t.description.split(/\r?\n/)[0]?.slice(0, 160), entry: t.name, picked: allowed.has(t.name.toLowerCase()) });
    } else {
      const n = s.tools.length;
      out.push({ label: lmSourceLabel(s), description: `${s.id} · ${n} ${n === 1 ? 'tool' : 'tools'}`, detail: s.tools.map((t) => t.name).join(', ').slice(0, 200), entry: s.id, picked: allowed.has(s.id) || chosenIds.has(s.id) });
    }
  }
  return out;
}

/** Registers the command; returns its disposable. */
export function registerToolSourcesCommand(catalog: CatalogService): vscode.Disposable {
  return vscode.commands.registerCommand('toolweaver.chooseToolSources', async () => {
    const settings = readSettings(catalog.folder?.uri);
    const allow = settings.catalog.languageModelTools;
    const ownServers = catalog.catalog.servers.filter((s) => s.source !== 'vscode-lm').map((s) => s.name);
    const selection = lmToolSelection(allow, ownServers);
    // Chosen and offered halves of one source come back together in the list.
    const byId = new Map<string, LmToolSource>();
    for (const s of [...selection.chosen, ...selection.offered]) {
      const prev = byId.get(s.id);
      byId.set(s.id, prev ? { ...prev, tools: [...prev.tools, ...s.tools] } : s);
    }
    const sources = [...byId.values()].sort((a, b) => ['extension', 'mcp', 'builtin'].indexOf(a.kind) - ['extension', 'mcp', 'builtin'].indexOf(b.kind));
    if (sources.length === 0) {
      void vscode.window.showInformationMessage('VS Code lists no language-model tools that ToolWeaver could offer to scripts (other than its own).');
      return undefined;
    }
    const allowed = new Set(allow.map((a) => a.toLowerCase()));
    const items = rows(sources, allowed, new Set(selection.chosen.filter((s) => s.kind !== 'builtin').map((s) => s.id)));
    const picked = await vscode.window.showQuickPick(items, {
      title: 'Language-model tools for scripts',
      placeHolder: 'Pick the sources whose tools scripts may call (tools.<source>.<tool>)',
      canPickMany: true,
      matchOnDescription: true,
    });
    if (!picked) return undefined;
    const offeredEntries = new Set(items.flatMap((i) => (i.entry ? [i.entry.toLowerCase()] : [])));
    // Entries the picker does not show (`*`, tools that are gone) stay as they are.
    const kept = allow.filter((a) => !offeredEntries.has(a.toLowerCase()));
    const next = [...kept, ...picked.flatMap((p) => (p.entry ? [p.entry] : []))];
    const target = vscode.workspace.workspaceFolders?.length ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
    await vscode.workspace.getConfiguration('toolweaver').update('catalog.languageModelTools', next, target);
    return next;
  });
}
