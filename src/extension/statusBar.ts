// Status-bar item: a spinner with Stop while a run is going, then the last run's result and
// token savings; clicking opens the trace panel.
import * as vscode from 'vscode';

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
