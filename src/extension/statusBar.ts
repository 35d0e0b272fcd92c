// Status-bar item: a spinner with Stop while runs are going (how many, and which), then the last
// run's result and token savings; clicking opens the trace panel.
import * as vscode from 'vscode';
import type { ActiveRun } from './activeRuns';

export class RunStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('toolweaver.lastRun', vscode.StatusBarAlignment.Left, 50);

  constructor() {
    this.item.name = 'ToolWeaver';
    this.item.command = 'toolweaver.openTracePanel';
  }

  running(label: string): void {
    this.item.text = `$(loading~spin) ToolWeaver: ${label}`;
    this.item.tooltip = 'A script is running in the sandbox. Click to stop it.';
    this.item.command = 'toolweaver.stopRun';
    this.item.backgroundColor = undefined;
    this.item.show();
  }

  /** Shows the runs in progress (one: its name; several: how many, named in the tooltip). */
  showRunning(runs: readonly ActiveRun[]): void {
    if (runs.length === 0) return;
    const label = runs.length === 1 ? `running ${runs[0]!.name}` : `${runs.length} runs`;
    this.running(label);
    this.item.tooltip = runs.length === 1 ? `${runs[0]!.name} is running in the sandbox. Click to stop it.` : `Running: ${runs.map((r) => r.name).join(', ')}. Click to pick one to stop.`;
  }

  finished(ok: boolean, summary: string, tooltip: string): void {
    this.item.text = `${ok ? '$(pass)' : '$(error)'} ToolWeaver: ${summary}`;
    this.item.tooltip = tooltip;
    this.item.command = 'toolweaver.openTracePanel';
    this.item.backgroundColor = ok ? undefined : new vscode.ThemeColor('statusBarItem.errorBackground');
    this.item.show();
  }

  get text(): string {
    return this.item.text;
  }

  dispose(): void {
    this.item.dispose();
  }
}
