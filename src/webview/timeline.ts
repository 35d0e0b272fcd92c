// The span timeline: a virtualized list (only the rows in view exist in the DOM), so a
// 10,000-span trace scrolls smoothly. Bars share one time axis, so parallel calls line up.
import type { Span, Trace } from '../core/trace/schema';
import { clear, h, icon } from './dom';
import { formatMs } from './format';
import { barGeometry, buildTimeline, peakParallelism, type TimelineRow } from './timelineModel';

const ROW_HEIGHT = 22;
const OVERSCAN = 12;

const SPAN_ICON: Record<Span['status'], string> = {
  running: 'loading',
  ok: 'pass',
  error: 'error',
  timed_out: 'watch',
  cancelled: 'circle-slash',
  crashed: 'flame',
  interrupted: 'debug-disconnect',
  abandoned: 'question',
};

export interface TimelineView {
  element: HTMLElement;
  select(spanId: string | undefined): void;
  rowCount(): number;
}

export function createTimeline(trace: Trace, onSelect: (span: Span) => void, initialSelection?: string): TimelineView {
  const rows: TimelineRow[] = buildTimeline(trace.spans);
  const duration = Math.max(trace.stats.durationMs, ...trace.spans.map((s) => s.endMs ?? s.startMs), 1);
  let selected = initialSelection;

  const viewport = h('div', { class: 'timeline-viewport', attrs: { role: 'tree', tabindex: '0', 'aria-label': 'Spans' } });
  const spacer = h('div', { class: 'timeline-spacer' });
  spacer.style.height = `${rows.length * ROW_HEIGHT}px`;
  const layer = h('div', { class: 'timeline-rows' });
  spacer.appendChild(layer);
  viewport.appendChild(spacer);

  function rowElement(row: TimelineRow, index: number): HTMLElement {
    const s = row.span;
    const geo = barGeometry(s, duration);
    const name = h('div', { class: 'tl-name', title: row.label }, icon(SPAN_ICON[s.status], `st-${s.status}`), h('span', { class: 'tl-label' }, row.label));
    name.style.paddingLeft = `${4 + row.depth * 14}px`;
    const bar = h('div', { class: `tl-bar ${s.kind === 'tool' ? 'tool' : `helper helper-${s.helper}`} st-${s.status}`, title: `${formatMs((s.endMs ?? duration) - s.startMs)}` });
    bar.style.left = `${geo.left}%`;
    bar.style.width = `${geo.width}%`;
    const el = h(
      'div',
      { class: `tl-row${s.id === selected ? ' selected' : ''}`, attrs: { role: 'treeitem', 'data-span-id': s.id, 'aria-level': String(row.depth + 1) } },
      name,
      h('div', { class: 'tl-track' }, bar),
      h('div', { class: 'tl-dur' }, formatMs((s.endMs ?? duration) - s.startMs)),
    );
    el.style.top = `${index * ROW_HEIGHT}px`;
    el.addEventListener('click', () => {
      selected = s.id;
      render();
      onSelect(s);
    });
    return el;
  }

  function render(): void {
    const first = Math.max(0, Math.floor(viewport.scrollTop / ROW_HEIGHT) - OVERSCAN);
    const visible = Math.ceil((viewport.clientHeight || 400) / ROW_HEIGHT) + OVERSCAN * 2;
    const last = Math.min(rows.length, first + visible);
    clear(layer);
    for (let i = first; i < last; i++) layer.appendChild(rowElement(rows[i] as TimelineRow, i));
  }

  let pending = false;
  viewport.addEventListener('scroll', () => {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => {
      pending = false;
      render();
    });
  });
  viewport.addEventListener('keydown', (e) => {
    const ke = e as KeyboardEvent;
    if (ke.key !== 'ArrowDown' && ke.key !== 'ArrowUp') return;
    e.preventDefault();
    const i = rows.findIndex((r) => r.span.id === selected);
    const next = rows[Math.min(rows.length - 1, Math.max(0, i + (ke.key === 'ArrowDown' ? 1 : -1)))];
    if (next) {
      view.select(next.span.id);
      onSelect(next.span);
    }
  });

  const axis = h('div', { class: 'timeline-axis' }, h('span', {}, '0'), h('span', {}, formatMs(duration / 2)), h('span', {}, formatMs(duration)));
  const summary = h('div', { class: 'muted small' }, `${rows.length.toLocaleString('en-US')} spans · up to ${peakParallelism(trace.spans)} tool calls in parallel`);
  const element = h('section', { class: 'timeline', attrs: { 'aria-label': 'Timeline' } }, h('h2', {}, icon('graph-line'), ' Timeline'), summary, axis, viewport);
  // The box sizes to its rows (CSS caps it at 46vh); a run without spans gets a sentence, not a box.
  if (rows.length === 0) {
    axis.remove();
    viewport.remove();
    element.appendChild(h('p', { class: 'muted' }, 'This run made no tool calls.'));
  }

  const view: TimelineView = {
    element,
    select(spanId) {
      selected = spanId;
      const i = rows.findIndex((r) => r.span.id === spanId);
      if (i >= 0) {
        const top = i * ROW_HEIGHT;
        if (top < viewport.scrollTop || top > viewport.scrollTop + viewport.clientHeight - ROW_HEIGHT) viewport.scrollTop = Math.max(0, top - viewport.clientHeight / 2);
      }
      render();
    },
    rowCount: () => rows.length,
  };
  // First paint once the element is in the document (clientHeight is known then).
  requestAnimationFrame(render);
  render();
  return view;
}
