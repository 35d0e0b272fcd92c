// The learned-output-type CodeLens on a tool's stub file: "Accept" (pin it in the repo's pinned-types
// file), "Re-infer" (learn it again from the traces), "Discard". Thin: the work is src/core/learned;
// the stub's own header names the tool, so no lookup can point a lens at the wrong tool.
import path from 'node:path';
import * as vscode from 'vscode';
import { discardType, inferWorkspaceTypes, loadTypesFiles, pinType } from '../../core/learned/learnTypes';
import { PINNED_TYPES_FILE, typesKey } from '../../core/learned/typesFile';
import { findLearnedType } from '../../core/stubs/learnedDoc';
import type { CatalogService } from '../catalogService';
import type { RunService } from '../runService';
import type { StubService } from '../stubService';

/** The lens of a pinned type: opens the pinned-types file (a lens needs a command to be shown). */
function pinnedCommand(doc: vscode.TextDocument, calls: number): vscode.Command {
  const folder = vscode.workspace.getWorkspaceFolder(doc.uri);
  const title = `$(pinned) Pinned (${calls} calls)`;
  const tooltip = `Kept in ${PINNED_TYPES_FILE}`;
  return folder ? { title, tooltip, command: 'vscode.open', arguments: [vscode.Uri.joinPath(folder.uri, ...PINNED_TYPES_FILE.split(path.sep))] } : { title, tooltip, command: 'toolweaver.inferOutputTypes' };
}

export class LearnedTypeCodeLensProvider implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;

  refresh(): void {
    this.changed.fire();
  }

  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    const site = findLearnedType(doc.getText());
    if (!site) return [];
    const range = new vscode.Range(site.line, 0, site.line, 0);
    const args = [site.server, site.tool];
    return [
      site.pinned
        ? new vscode.CodeLens(range, pinnedCommand(doc, site.calls))
        : new vscode.CodeLens(range, { title: 'Accept', command: 'toolweaver.acceptLearnedType', arguments: args, tooltip: `Pin this type in ${PINNED_TYPES_FILE} (a file to commit and review)` }),
      new vscode.CodeLens(range, { title: 'Re-infer', command: 'toolweaver.reinferLearnedType', arguments: args, tooltip: 'Learn the type again from the recorded results in the traces' }),
      new vscode.CodeLens(range, { title: 'Discard', command: 'toolweaver.discardLearnedType', arguments: args, tooltip: 'Go back to unknown until Re-infer' }),
    ];
  }

  dispose(): void {
    this.changed.dispose();
  }
}

export interface LearnedTypeDeps {
  catalog: CatalogService;
  stubs: StubService;
  runs: RunService;
  lens: LearnedTypeCodeLensProvider;
}

/** Registers Accept / Re-infer / Discard and "Infer Output Types from Traces". */
export function registerLearnedTypeCommands(deps: LearnedTypeDeps): vscode.Disposable[] {
  const folder = (): string | undefined => (deps.catalog.folder?.uri.scheme === 'file' ? deps.catalog.folder.uri.fsPath : undefined);
  const after = async (): Promise<void> => {
    await deps.catalog.outputTypesChanged();
    await deps.stubs.generate();
    deps.lens.refresh();
  };
  const toolArgs = (server: unknown, tool: unknown): string | undefined => (typeof server === 'string' && typeof tool === 'string' ? typesKey(server, tool) : undefined);
  const infer = async (server?: string, tool?: string, reinfer?: Set<string>): Promise<number> => {
    const cwd = folder();
    const store = deps.runs.store();
    if (!cwd || !store) return 0;
    const entries = await inferWorkspaceTypes({ store, cwd, server, tool, reinfer });
    await after();
    return entries.size;
  };
  return [
    vscode.commands.registerCommand('toolweaver.acceptLearnedType', async (server: unknown, tool: unknown) => {
      const key = toolArgs(server, tool);
      const cwd = folder();
      if (!key || !cwd) return false;
      const ok = await pinType(cwd, key);
      if (!ok) void vscode.window.showWarningMessage(`There is no learned type of ${key} to accept. Re-infer it first.`);
      await after();
      return ok;
    }),
    vscode.commands.registerCommand('toolweaver.reinferLearnedType', async (server: unknown, tool: unknown) => {
      const key = toolArgs(server, tool);
      const cwd = folder();
      if (!key || !cwd || typeof server !== 'string' || typeof tool !== 'string') return 0;
      const wasPinned = Boolean((await loadTypesFiles(cwd)).pinned.tools[key]);
      const n = await infer(server, tool, new Set([key]));
      // A pinned type that is re-inferred stays pinned, with the new type (the diff shows in review).
      if (wasPinned && n > 0) {
        await pinType(cwd, key);
        await after();
      }
      if (n === 0) void vscode.window.showInformationMessage(`No recorded results of ${key} in the traces to learn from.`);
      return n;
    }),
    vscode.commands.registerCommand('toolweaver.discardLearnedType', async (server: unknown, tool: unknown) => {
      const key = toolArgs(server, tool);
      const cwd = folder();
      if (!key || !cwd) return;
      await discardType(cwd, key);
      await after();
    }),
    vscode.commands.registerCommand('toolweaver.inferOutputTypes', async () => {
      const n = await infer();
      void vscode.window.showInformationMessage(n ? `ToolWeaver learned ${n} output type(s) from the traces; tools that declare an outputSchema keep theirs.` : 'No recorded results in the traces to learn output types from. Run scripts first.');
      return n;
    }),
  ];
}
