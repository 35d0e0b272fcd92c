// Hosts the trace & token panel: one panel, full snapshots whenever it becomes visible, every
// inbound message validated with the shared protocol, state restored after a reload.
import * as vscode from 'vscode';
import type { Trace } from '../../core/trace/schema';
import { PanelStateSchema, WebviewMessageSchema, type HostMessage, type SessionTotals, type WebviewMessage } from '../../protocol/messages';
import type { TraceExportRequest } from '../traceExport';
import { panelHtml } from './panelHtml';

export const PANEL_VIEW_TYPE = 'toolweaver.tracePanel';

export interface PanelDeps {
  extensionUri: vscode.Uri;
  log: vscode.LogOutputChannel;
  readTrace(id: string): Promise<Trace | undefined>;
  latestTrace(): Promise<Trace | undefined>;
  session(): SessionTotals;
  isRunning(): boolean;
  /** Opens the trace's script at `line`; with `preserveFocus` (a span click) it only moves an editor
   *  that already shows the script, keeping the focus and the panel where they are. */
  openScriptLine(trace: Trace, line: number, preserveFocus?: boolean): Promise<void>;
  /** Exports a trace (src/extension/traceExport.ts); the path written, or undefined if cancelled. */
  exportTrace(request: TraceExportRequest): Promise<string | undefined>;
  spanSelected(traceId: string, spanId: string): void;
  /** Replays a trace (the panel's Replay button; the command toolweaver.replayRun). */
  replayRun(traceId: string): Promise<void>;
}

/** Last render the webview reported (for tests and the benchmark). */
export interface RenderReport {
  traceId: string | null;
  spans: number;
  ms: number;
}

export class TracePanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private trace: Trace | undefined;
  private selectedSpanId: string | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly renderListeners = new Set<(r: RenderReport) => void>();
  lastRender: RenderReport | undefined;

  constructor(private readonly deps: PanelDeps) {
    this.disposables.push(
      vscode.window.registerWebviewPanelSerializer(PANEL_VIEW_TYPE, {
        deserializeWebviewPanel: async (panel, state) => {
          const parsed = PanelStateSchema.safeParse(state);
          const trace = parsed.success && parsed.data.traceId ? await deps.readTrace(parsed.data.traceId) : await deps.latestTrace();
          this.adopt(panel);
          this.trace = trace;
          this.selectedSpanId = parsed.success ? parsed.data.selectedSpanId : undefined;
          this.postSnapshot();
        },
      }),
    );
  }

  get isOpen(): boolean {
    return this.panel !== undefined;
  }

  get currentTraceId(): string | undefined {
    return this.trace?.id;
  }

  /** Shows the panel with `trace` (or the latest run) and optionally a selected span. */
  async show(trace?: Trace, spanId?: string): Promise<void> {
    this.trace = trace ?? (await this.deps.latestTrace());
    this.selectedSpanId = spanId;
    if (!this.panel) {
      const panel = vscode.window.createWebviewPanel(PANEL_VIEW_TYPE, 'ToolWeaver Trace', { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, this.webviewOptions());
      this.adopt(panel);
    } else {
      this.panel.reveal(undefined, true);
    }
    this.postSnapshot();
  }

  /** Updates the panel if it is open (a new run finished, a trace was cleared…). */
  update(trace: Trace | undefined): void {
    if (!this.panel) return;
    this.trace = trace;
    this.selectedSpanId = undefined;
    this.postSnapshot();
  }

  selectSpan(spanId: string): void {
    this.selectedSpanId = spanId;
    this.post({ type: 'selectSpan', spanId });
  }

  setRunning(running: boolean): void {
    this.post({ type: 'running', running });
  }

  /** Resolves with the next render report (tests, benchmark). */
  nextRender(): Promise<RenderReport> {
    return new Promise((resolve) => {
      const fn = (r: RenderReport) => {
        this.renderListeners.delete(fn);
        resolve(r);
      };
      this.renderListeners.add(fn);
    });
  }

  private webviewOptions(): vscode.WebviewPanelOptions & vscode.WebviewOptions {
    return {
      enableScripts: true,
      retainContextWhenHidden: false,
      localResourceRoots: [vscode.Uri.joinPath(this.deps.extensionUri, 'dist'), vscode.Uri.joinPath(this.deps.extensionUri, 'media')],
    };
  }

  private adopt(panel: vscode.WebviewPanel): void {
    this.panel = panel;
    panel.webview.options = this.webviewOptions();
    panel.iconPath = vscode.Uri.joinPath(this.deps.extensionUri, 'media', 'toolweaver.svg');
    panel.webview.html = panelHtml(panel.webview, this.deps.extensionUri, vscode.Uri);
    let visible = panel.visible;
    const subs: vscode.Disposable[] = [
      panel.webview.onDidReceiveMessage((raw: unknown) => {
        const parsed = WebviewMessageSchema.safeParse(raw);
        if (!parsed.success) {
          this.deps.log.warn(`Trace panel: dropped a malformed message (${parsed.error.issues[0]?.message ?? 'invalid'})`);
          return;
        }
        void this.onMessage(parsed.data);
      }),
      // A hidden webview loses its DOM: give it a full snapshot when it comes back. Only then: a
      // snapshot on every focus change would arrive late and reset the selection the user just moved.
      panel.onDidChangeViewState((e) => {
        if (e.webviewPanel.visible && !visible) this.postSnapshot();
        visible = e.webviewPanel.visible;
      }),
      panel.onDidDispose(() => {
        this.panel = undefined;
        for (const d of subs) d.dispose();
      }),
    ];
  }

  private async onMessage(msg: WebviewMessage): Promise<void> {
    switch (msg.type) {
      case 'ready':
        this.postSnapshot();
        return;
      case 'spanSelected': {
        this.selectedSpanId = msg.spanId;
        this.deps.spanSelected(msg.traceId, msg.spanId);
        // Like the Runs tree: a tool span reveals the script line that made the call; the focus stays
        // in the panel so the arrow keys keep walking the timeline.
        const span = this.trace?.id === msg.traceId ? this.trace.spans.find((s) => s.id === msg.spanId) : undefined;
        if (this.trace && span?.kind === 'tool' && span.line && this.trace.script.path) await this.deps.openScriptLine(this.trace, span.line, true);
        return;
      }
      case 'openScriptLine': {
        const trace = this.trace?.id === msg.traceId ? this.trace : await this.deps.readTrace(msg.traceId);
        if (trace) await this.deps.openScriptLine(trace, msg.line);
        return;
      }
      case 'exportTrace':
        await this.deps.exportTrace({ traceId: msg.traceId, format: msg.format });
        return;
      case 'replayRun':
        await this.deps.replayRun(msg.traceId);
        return;
      case 'saveAsSkill':
        await vscode.commands.executeCommand('toolweaver.saveRunAsSkill', msg.traceId);
        return;
      case 'rendered':
        this.lastRender = { traceId: msg.traceId, spans: msg.spans, ms: msg.ms };
        this.deps.log.debug(`Trace panel rendered ${msg.spans} spans in ${msg.ms.toFixed(1)} ms`);
        for (const fn of [...this.renderListeners]) fn(this.lastRender);
        return;
      default: {
        const never: never = msg;
        void never;
      }
    }
  }

  private postSnapshot(): void {
    const trace = this.trace;
    const base = { type: 'snapshot' as const, trace: trace ?? null, session: this.deps.session(), running: this.deps.isRunning(), selectedSpanId: this.selectedSpanId };
    const originalId = trace?.replayOf?.traceId;
    if (!originalId) return this.post(base);
    // A replay is shown beside the run it replays; the snapshot waits for that trace to be read.
    void this.deps.readTrace(originalId).then((original) => {
      if (this.trace === trace) this.post({ ...base, original: original ?? null });
    });
  }

  private post(message: HostMessage): void {
    void this.panel?.webview.postMessage(message);
  }

  dispose(): void {
    this.panel?.dispose();
    for (const d of this.disposables) d.dispose();
  }
}
