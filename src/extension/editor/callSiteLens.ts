// CodeLens at each tool call of a script: the figures observed there in the script's last runs, and
// the suggestions the traces support (core: account/callSiteHints.ts). Off with
// toolweaver.editor.callSiteHints; a line that no longer calls the tool (the file was edited) shows nothing.
import * as vscode from 'vscode';
import { callSiteHints } from '../../core/account/callSiteHints';
import { isRunnableScript } from '../../core/editing/scriptFiles';
import type { Trace } from '../../core/trace/schema';
import type { TraceStore } from '../../core/trace/store';
import type { CatalogService } from '../catalogService';

/** Runs of one script the hints look at (newest first). */
export const CALL_SITE_RUNS = 5;
/** Summaries scanned to find them. */
const SCANNED_TRACES = 200;

export class CallSiteLensProvider implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  private readonly traces = new Map<string, Trace>();
  private readonly sub: vscode.Disposable;

  constructor(
    private readonly store: () => TraceStore | undefined,
    private readonly catalog: CatalogService,
  ) {
    this.sub = vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('toolweaver.editor.callSiteHints')) this.changed.fire();
    });
  }

  /** A run finished: its script's hints may have changed. */
  refresh(): void {
    this.changed.fire();
  }

  async provideCodeLenses(document: vscode.TextDocument): Promise<vscode.CodeLens[]> {
    if (vscode.workspace.getConfiguration('toolweaver', document.uri).get('editor.callSiteHints') === false) return [];
    if (!isRunnableScript(document.fileName)) return [];
    const store = this.store();
    if (!store) return [];
    const { traces: summaries } = await store.list({ limit: SCANNED_TRACES }).catch(() => ({ traces: [] }));
    const mine = summaries.filter((s) => s.status !== 'running' && s.scriptPath === document.uri.fsPath).slice(0, CALL_SITE_RUNS);
    const traces: Trace[] = [];
    for (const s of mine) {
      let t = this.traces.get(s.id);
      if (!t) {
        t = await store.read(s.id).catch(() => undefined);
        if (t) this.traces.set(s.id, t);
      }
      if (t) traces.push(t);
    }
    if (traces.length === 0) return [];
    const newest = traces[0] as Trace;
    const lenses: vscode.CodeLens[] = [];
    for (const hint of callSiteHints(traces, document.getText())) {
      if (hint.line > document.lineCount) continue;
      const text = document.lineAt(hint.line - 1).text;
      const tool = this.catalog.catalog.servers.find((s) => s.name === hint.server)?.tools.find((t) => t.name === hint.tool);
      if (!text.includes(hint.tool) && !(tool && text.includes(tool.ident))) continue;
      const at = new vscode.Range(hint.line - 1, 0, hint.line - 1, 0);
      const open = { command: 'toolweaver.openTrace', arguments: [newest.id] };
      lenses.push(new vscode.CodeLens(at, { ...open, title: `$(pulse) ${hint.tool}: ${hint.figures} (last ${traces.length} run${traces.length === 1 ? '' : 's'})` }));
      for (const s of hint.suggestions) lenses.push(new vscode.CodeLens(at, { ...open, title: `$(lightbulb) ${s}`, tooltip: s }));
    }
    return lenses;
  }

  dispose(): void {
    this.sub.dispose();
    this.changed.dispose();
  }
}
