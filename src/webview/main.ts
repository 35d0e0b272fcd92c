// Trace & token panel (browser bundle). Receives full snapshots from the host, validates every
// message with the shared zod protocol, renders with DOM APIs only, and keeps its selection in the
// webview state so a reload restores it.
import type { Span, Trace } from '../core/trace/schema';
import { HostMessageSchema, PanelStateSchema, type HostMessage, type PanelState, type SessionTotals, type WebviewMessage } from '../protocol/messages';
import { renderApprovals } from './approvals';
import { createDagView, type DagView } from './dagView';
import { renderDetails } from './details';
import { clear, h, icon } from './dom';
import { renderHeader } from './header';
import { renderReplay } from './replay';
import { createTimeline, type TimelineView } from './timeline';
import { renderTokens } from './tokens';

interface VsCodeApi {
  postMessage(message: WebviewMessage): void;
  getState(): unknown;
  setState(state: PanelState): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const root = document.getElementById('root') as HTMLElement;
const restored = PanelStateSchema.safeParse(vscode.getState());
let state: PanelState = restored.success ? restored.data : { traceId: null };
let current: { trace: Trace | null; session: SessionTotals; running: boolean; original?: Trace | null } | undefined;
let timeline: TimelineView | undefined;
let detailsSlot: HTMLElement | undefined;
let dagView: DagView | undefined;

function post(message: WebviewMessage): void {
  vscode.postMessage(message);
}

function saveState(next: PanelState): void {
  state = next;
  vscode.setState(state);
}

function selectSpan(trace: Trace, span: Span | undefined, notifyHost: boolean): void {
  saveState({ traceId: trace.id, selectedSpanId: span?.id });
  dagView?.select(span?.id);
  if (detailsSlot) {
    const fresh = renderDetails(span, (line) => post({ type: 'openScriptLine', traceId: trace.id, line }));
    detailsSlot.replaceWith(fresh);
    detailsSlot = fresh;
  }
  // The host reveals a tool span's script line (like the Runs tree), keeping the focus here.
  if (span && notifyHost) post({ type: 'spanSelected', traceId: trace.id, spanId: span.id });
}

function renderLogs(trace: Trace): HTMLElement {
  const section = h('section', { class: 'logs', attrs: { 'aria-label': 'Console output' } }, h('h2', {}, icon('output'), ` Console${trace.logs.length ? ` (${trace.logs.length} line${trace.logs.length === 1 ? '' : 's'})` : ''}`));
  if (trace.logs.length === 0) section.appendChild(h('p', { class: 'muted' }, 'No console output.'));
  else section.appendChild(h('pre', { class: 'log-lines' }, trace.logs.map((l) => `[${l.level}] ${l.text}`).join('\n')));
  if (trace.stats.logBytesDropped > 0) section.appendChild(h('p', { class: 'muted small' }, `${trace.stats.logBytesDropped} bytes of console output were dropped (limit).`));
  return section;
}

function renderValue(trace: Trace): HTMLElement | null {
  if (!trace.value) return null;
  const v = trace.value;
  const text = v.value !== undefined ? (JSON.stringify(v.value, null, 2) ?? 'undefined') : `${v.preview ?? ''}…`;
  return h('section', { class: 'value' }, h('h2', {}, icon('symbol-constant'), ' Returned value'), h('pre', { class: 'json' }, text));
}

function render(): void {
  const t0 = performance.now();
  clear(root);
  timeline = undefined;
  dagView = undefined;
  if (!current || !current.trace) {
    root.appendChild(
      h('div', { class: 'empty' }, icon('graph', 'big'), h('p', {}, current?.running ? 'A run is in progress…' : 'No run to show yet. Run a script (ToolWeaver: Run Script) and its trace appears here.')),
    );
    post({ type: 'rendered', traceId: null, spans: 0, ms: performance.now() - t0 });
    return;
  }
  const trace = current.trace;
  const selectedId = state.traceId === trace.id ? state.selectedSpanId : undefined;
  const selectedSpan = selectedId ? trace.spans.find((s) => s.id === selectedId) : undefined;
  timeline = createTimeline(trace, (span) => selectSpan(trace, span, true), selectedSpan?.id);
  detailsSlot = renderDetails(selectedSpan, (line) => post({ type: 'openScriptLine', traceId: trace.id, line }));
  root.append(
    renderHeader(
      trace,
      (format) => post({ type: 'exportTrace', traceId: trace.id, format }),
      (line) => post({ type: 'openScriptLine', traceId: trace.id, line }),
      () => post({ type: 'replayRun', traceId: trace.id }),
      () => post({ type: 'saveAsSkill', traceId: trace.id }),
    ),
    h('div', { class: 'columns' }, h('div', { class: 'col-main' }, timeline.element, detailsSlot), h('div', { class: 'col-side' }, renderTokens(trace.tokens, current.session, trace.status))),
  );
  // The DAG inspector (dagView.ts) sits under the timeline; a node click selects like a row click.
  dagView = createDagView(trace, (span) => { timeline?.select(span.id); selectSpan(trace, span, true); }, selectedSpan?.id);
  if (dagView) timeline.element.after(dagView.element);
  const replay = renderReplay(trace, current.original, (line) => post({ type: 'openScriptLine', traceId: trace.id, line }));
  if (replay) root.insertBefore(replay, root.children[1] ?? null);
  const value = renderValue(trace);
  if (value) root.appendChild(value);
  const approvals = renderApprovals(trace, (line) => post({ type: 'openScriptLine', traceId: trace.id, line }));
  if (approvals) root.appendChild(approvals);
  root.appendChild(renderLogs(trace));
  saveState({ traceId: trace.id, selectedSpanId: selectedSpan?.id });
  post({ type: 'rendered', traceId: trace.id, spans: trace.spans.length, ms: performance.now() - t0 });
}

function onMessage(msg: HostMessage): void {
  switch (msg.type) {
    case 'snapshot':
      current = { trace: msg.trace, session: msg.session, running: msg.running, original: msg.original };
      if (msg.selectedSpanId && msg.trace) saveState({ traceId: msg.trace.id, selectedSpanId: msg.selectedSpanId });
      render();
      return;
    case 'selectSpan': {
      const trace = current?.trace;
      if (!trace || !timeline) return;
      const span = trace.spans.find((s) => s.id === msg.spanId);
      timeline.select(msg.spanId);
      selectSpan(trace, span, false);
      return;
    }
    case 'running':
      if (current) current.running = msg.running;
      return;
    default: {
      const never: never = msg;
      void never;
    }
  }
}

window.addEventListener('message', (event: MessageEvent) => {
  const parsed = HostMessageSchema.safeParse(event.data);
  if (!parsed.success) {
    console.warn('ToolWeaver panel: dropped a malformed message', parsed.error.issues[0]?.message);
    return;
  }
  onMessage(parsed.data);
});

post({ type: 'ready' });
