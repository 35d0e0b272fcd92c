// The Runs view: runs in progress (each with Stop), then traces (newest first) with status icons,
// then their spans as a tree. Selecting a span reveals it in the panel and the script line that made the call.
import * as vscode from 'vscode';
import type { ActiveRun } from '../activeRuns';
import type { TraceStore, TraceSummary } from '../../core/trace/store';
import type { Span, Trace, TraceStatus } from '../../core/trace/schema';

const MAX_CHILDREN = 500;
const MAX_TRACES = 200;

export type RunsNode =
  | { kind: 'running'; run: ActiveRun }
  | { kind: 'trace'; summary: TraceSummary }
  | { kind: 'span'; traceId: string; span: Span; children: Span[] }
  | { kind: 'more'; count: number };

const STATUS_ICON: Record<TraceStatus | Span['status'], [string, string?]> = {
  running: ['loading~spin'],
  ok: ['pass', 'testing.iconPassed'],
  failed: ['error', 'testing.iconFailed'],
  error: ['error', 'testing.iconFailed'],
  timed_out: ['watch', 'testing.iconFailed'],
  cancelled: ['circle-slash', 'editorWarning.foreground'],
  crashed: ['flame', 'testing.iconFailed'],
  interrupted: ['debug-disconnect', 'editorWarning.foreground'],
  abandoned: ['question', 'editorWarning.foreground'],
};

function statusIcon(status: TraceStatus | Span['status']): vscode.ThemeIcon {
  const [id, color] = STATUS_ICON[status];
  return new vscode.ThemeIcon(id, color ? new vscode.ThemeColor(color) : undefined);
}

function ms(n: number | undefined): string {
  if (n === undefined) return '';
  return n < 1000 ? `${Math.round(n)} ms` : `${(n / 1000).toFixed(1)} s`;
}

export function spanTitle(span: Span): string {
  if (span.kind === 'tool') return `${span.server}.${span.tool}${span.cached ? ' (cached)' : ''}${span.attempt > 1 ? ` #${span.attempt}` : ''}`;
  const a = span.attrs;
  const detail = ['name', 'step', 'level', 'index', 'attempt'].map((k) => a[k]).find((v) => typeof v === 'string' || typeof v === 'number');
  return detail !== undefined ? `${span.helper} ${String(detail)}` : span.helper;
}

export class RunsTreeProvider implements vscode.TreeDataProvider<RunsNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<RunsNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  /** Parsed traces by id, so expanding spans doesn't re-read the file each time. */
  private readonly cache = new Map<string, Trace>();

  constructor(
    private readonly store: () => TraceStore | undefined,
    private readonly active: () => readonly ActiveRun[] = () => [],
  ) {}

  refresh(): void {
    this.cache.clear();
    this.changed.fire(undefined);
  }

  async getChildren(node?: RunsNode): Promise<RunsNode[]> {
    const store = this.store();
    const running = node ? [] : this.active().map((run): RunsNode => ({ kind: 'running', run }));
    if (!store) {
      // No trace folder yet (nothing ran here): the view's welcome says what to do.
      if (!node) void vscode.commands.executeCommand('setContext', 'toolweaver.hasTraces', running.length > 0);
      return running;
    }
    if (!node) {
      const { traces } = await store.list({ limit: MAX_TRACES });
      void vscode.commands.executeCommand('setContext', 'toolweaver.hasTraces', traces.length + running.length > 0);
      // A run in progress is shown once, by its running row (its trace file may already say `running`).
      const activePaths = new Set(this.active().flatMap((r) => (r.path ? [r.path] : [])));
      const done = traces.filter((t) => !(t.status === 'running' && t.scriptPath && activePaths.has(t.scriptPath)));
      return [...running, ...done.map((summary): RunsNode => ({ kind: 'trace', summary }))];
    }
    if (node.kind === 'more' || node.kind === 'running') return [];
    let spans: Span[];
    let traceId: string;
    if (node.kind === 'trace') {
      traceId = node.summary.id;
      let trace = this.cache.get(traceId);
      if (!trace) {
        trace = await store.read(traceId);
        this.cache.set(traceId, trace);
      }
      const ids = new Set(trace.spans.map((s) => s.id));
      spans = trace.spans.filter((s) => s.parentId === undefined || !ids.has(s.parentId));
    } else {
      traceId = node.traceId;
      spans = node.children;
    }
    const all = this.cache.get(traceId)?.spans ?? [];
    const nodes: RunsNode[] = spans.slice(0, MAX_CHILDREN).map((span) => ({ kind: 'span', traceId, span, children: all.filter((c) => c.parentId === span.id) }));
    if (spans.length > MAX_CHILDREN) nodes.push({ kind: 'more', count: spans.length - MAX_CHILDREN });
    return nodes;
  }

  getTreeItem(node: RunsNode): vscode.TreeItem {
    if (node.kind === 'more') {
      const item = new vscode.TreeItem(`… ${node.count} more spans (open the trace panel to see all)`);
      item.command = { command: 'toolweaver.openTracePanel', title: 'Open Trace Panel' };
      return item;
    }
    if (node.kind === 'running') {
      const r = node.run;
      const item = new vscode.TreeItem(r.name, vscode.TreeItemCollapsibleState.None);
      item.id = `running:${r.id}`;
      item.contextValue = 'running';
      const state = r.waiting === 'catalog' ? 'waiting for the tool catalog' : r.waiting === 'sandbox' ? 'waiting for a free sandbox' : `running · ${r.toolCalls} ${r.toolCalls === 1 ? 'call' : 'calls'}`;
      item.description = `${state} · since ${new Date(r.startedAtMs).toLocaleTimeString()}${r.interactive ? '' : ' · for a model'}`;
      item.tooltip = `${r.name}: ${state}. Use the Stop button to cancel this run only.`;
      item.iconPath = new vscode.ThemeIcon('loading~spin');
      return item;
    }
    if (node.kind === 'trace') {
      const s = node.summary;
      const name = s.scriptPath ? s.scriptPath.split(/[\\/]/).pop() ?? s.scriptPath : 'inline script';
      const item = new vscode.TreeItem(name, s.toolCalls > 0 ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
      item.id = `trace:${s.id}`;
      item.contextValue = 'trace';
      const saved = s.tokensSaved !== undefined ? ` · ${s.tokensSaved >= 0 ? `${s.tokensSaved.toLocaleString('en-US')} tokens saved` : `${(-s.tokensSaved).toLocaleString('en-US')} tokens lost`}` : '';
      item.description = `${s.status}${s.errorCode ? ` (${s.errorCode})` : ''} · ${ms(s.durationMs)} · ${s.toolCalls} call${s.toolCalls === 1 ? '' : 's'}${s.status === 'ok' ? saved : ''} · ${new Date(s.startedAtMs).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}`;
      item.tooltip = `${s.id}\n${new Date(s.startedAtMs).toLocaleString()}${s.origin ? `\nfrom ${s.origin}` : ''}`;
      item.iconPath = statusIcon(s.status);
      item.command = { command: 'toolweaver.openTrace', title: 'Open Trace', arguments: [node] };
      return item;
    }
    const { span } = node;
    const item = new vscode.TreeItem(spanTitle(span), node.children.length ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
    item.id = `span:${node.traceId}:${span.id}`;
    item.contextValue = span.kind === 'tool' ? 'toolSpan' : 'helperSpan';
    // A skill span says which version of the skill ran (the file's content hash).
    const version = span.kind === 'helper' && span.helper === 'skill' && typeof span.attrs['hash'] === 'string' ? `@${span.attrs['hash']} · ` : '';
    item.description = `${version}${ms(span.endMs !== undefined ? span.endMs - span.startMs : undefined)}${span.error ? ` · ${span.error.code}` : ''}`;
    item.tooltip = span.error ? `${span.error.code}: ${span.error.message}` : undefined;
    item.iconPath = statusIcon(span.status);
    item.command = { command: 'toolweaver.revealSpan', title: 'Reveal Span', arguments: [node.traceId, span.id] };
    return item;
  }

  dispose(): void {
    this.changed.dispose();
  }
}
