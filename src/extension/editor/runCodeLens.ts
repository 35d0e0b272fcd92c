// CodeLens above runnable scripts: "Run in sandbox" and the last run's summary (calls, duration,
// tokens saved), which opens that run's trace.
import * as vscode from 'vscode';
import { isRunnableScript } from '../../core/editing/scriptFiles';

export interface LastRunSummary {
  traceId: string;
  status: string;
  toolCalls: number;
  durationMs: number;
  /** Conservative tokens saved; absent when the run claims no saving (it failed) or has no account. */
  tokensSaved?: number;
  reduction?: number;
  /** The account says code mode cost more (in tokens or warm-cache dollars). */
  codeModeCostMore?: boolean;
}

export class RunCodeLensProvider implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  private readonly lastRuns = new Map<string, LastRunSummary>();

  setLastRun(uri: vscode.Uri, summary: LastRunSummary): void {
    this.lastRuns.set(uri.toString(), summary);
    this.changed.fire();
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    if (!isRunnableScript(document.fileName)) return [];
    const top = new vscode.Range(0, 0, 0, 0);
    const lenses = [new vscode.CodeLens(top, { title: '$(play) Run in sandbox', command: 'toolweaver.runScript', arguments: [document.uri] })];
    const last = this.lastRuns.get(document.uri.toString());
    if (last) {
      const secs = last.durationMs < 1000 ? `${Math.round(last.durationMs)} ms` : `${(last.durationMs / 1000).toFixed(1)} s`;
      const tokens =
        last.tokensSaved === undefined || last.status !== 'ok' ? '' : last.codeModeCostMore && last.tokensSaved >= 0 ? ' · code mode cost more (dollars, warm cache)' : last.tokensSaved >= 0 ? ` · ${last.tokensSaved.toLocaleString('en-US')} tokens saved (${((last.reduction ?? 0) * 100).toFixed(1)} %)` : ` · code mode cost ${(-last.tokensSaved).toLocaleString('en-US')} more tokens`;
      lenses.push(new vscode.CodeLens(top, { title: `Last run: ${last.status} · ${last.toolCalls} call${last.toolCalls === 1 ? '' : 's'} · ${secs}${tokens}`, command: 'toolweaver.openTrace', arguments: [last.traceId] }));
    }
    return lenses;
  }

  dispose(): void {
    this.changed.dispose();
  }
}
