// The DAG inspector: each dag() of the run drawn as a graph (steps as nodes with status and duration,
// deps as edges, left→right by level, the critical path highlighted). Clicking a node selects its span,
// like a timeline row. SVG built with DOM APIs only: step names are untrusted text (textContent).
import type { HelperSpan, Span, Trace } from '../core/trace/schema';
import { h, icon } from './dom';
import { formatMs } from './format';
import { DAG_COL_GAP, DAG_NODE_H, DAG_NODE_W, dagLayouts, type DagLayout } from './dagModel';

const SVG_NS = 'http://www.w3.org/2000/svg';
/** More steps than this in one dag: the graph is not drawn (the timeline still lists them). */
const MAX_DRAWN_STEPS = 400;
const MAX_DRAWN_DAGS = 8;

export interface DagView {
  element: HTMLElement;
  select(spanId: string | undefined): void;
}

function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number>, ...children: Array<SVGElement | string>): SVGElementTagNameMap[K] {
  const el = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  for (const c of children) el.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
  return el;
}

/** Cuts a name to fit the node (the full name is in the node's title). */
function fit(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function drawDag(layout: DagLayout, onSelect: (span: HelperSpan) => void, nodeEls: Map<string, SVGGElement>): HTMLElement {
  const root = svg('svg', { class: 'dag-svg', width: layout.width, height: layout.height, viewBox: `0 0 ${layout.width} ${layout.height}`, role: 'group', 'aria-label': 'Dependency graph' });
  const pos = new Map(layout.nodes.map((n) => [n.name, n]));
  const edges = svg('g', { class: 'dag-edges' });
  // Each target spreads its incoming edges over its left side (in the order of their sources' rows), and an
  // edge that skips levels runs straight along its source's row and bends only in the last gap: it then
  // crosses a node only where a step of a middle level sits on that row.
  const incoming = new Map<string, string[]>();
  for (const e of layout.edges) incoming.set(e.to, [...(incoming.get(e.to) ?? []), e.from]);
  for (const list of incoming.values()) list.sort((p, q) => (pos.get(p)?.y ?? 0) - (pos.get(q)?.y ?? 0));
  for (const e of layout.edges) {
    const a = pos.get(e.from);
    const b = pos.get(e.to);
    if (!a || !b) continue;
    const list = incoming.get(e.to) ?? [e.from];
    const x1 = a.x + DAG_NODE_W;
    const y1 = a.y + DAG_NODE_H / 2;
    const x2 = b.x;
    const y2 = b.y + (DAG_NODE_H * (list.indexOf(e.from) + 1)) / (list.length + 1);
    const bendFrom = Math.max(x1, x2 - DAG_COL_GAP);
    const mid = (bendFrom + x2) / 2;
    edges.appendChild(svg('path', { class: `dag-edge${e.critical ? ' critical' : ''}`, d: `M ${x1} ${y1} L ${bendFrom} ${y1} C ${mid} ${y1}, ${mid} ${y2}, ${x2 - 4} ${y2}`, 'data-from': e.from, 'data-to': e.to }));
    edges.appendChild(svg('path', { class: `dag-arrow${e.critical ? ' critical' : ''}`, d: `M ${x2 - 6} ${y2 - 4} L ${x2} ${y2} L ${x2 - 6} ${y2 + 4} Z` }));
  }
  root.appendChild(edges);
  for (const n of layout.nodes) {
    const status = n.span.status;
    const dur = n.span.endMs === undefined ? `${formatMs(n.durationMs)}, running` : formatMs(n.durationMs);
    const g = svg(
      'g',
      {
        class: `dag-node st-${status}${n.critical ? ' critical' : ''}`,
        transform: `translate(${n.x} ${n.y})`,
        tabindex: 0,
        role: 'button',
        'data-span-id': n.span.id,
        'data-step': n.name,
        'aria-label': `step ${n.name}, ${status}, ${dur}${n.critical ? ', on the critical path' : ''}`,
      },
      svg('title', {}, `${n.name} · ${status} · ${dur}${n.deps.length ? ` · after ${n.deps.join(', ')}` : ''}${n.critical ? ' · critical path' : ''}`),
      svg('rect', { class: 'dag-box', width: DAG_NODE_W, height: DAG_NODE_H, rx: 3 }),
      svg('rect', { class: 'dag-status', width: 4, height: DAG_NODE_H - 8, x: 4, y: 4, rx: 1 }),
      svg('text', { class: 'dag-name', x: 14, y: 16 }, fit(n.name, 20)),
      svg('text', { class: 'dag-dur', x: 14, y: 31 }, `${status === 'ok' ? '' : `${status} · `}${dur}`),
    );
    const choose = () => onSelect(n.span);
    g.addEventListener('click', choose);
    g.addEventListener('keydown', (ev) => {
      const key = (ev as KeyboardEvent).key;
      if (key === 'Enter' || key === ' ') {
        ev.preventDefault();
        choose();
      }
    });
    nodeEls.set(n.span.id, g);
    root.appendChild(g);
  }
  return h('div', { class: 'dag-scroll' }, root as unknown as HTMLElement);
}

/** The inspector for a trace, or undefined when the run has no dag() with steps. */
export function createDagView(trace: Trace, onSelect: (span: Span) => void, initialSelection?: string): DagView | undefined {
  const end = Math.max(trace.stats.durationMs, ...trace.spans.map((s) => s.endMs ?? s.startMs));
  const layouts = dagLayouts(trace.spans, end);
  if (layouts.length === 0) return undefined;
  const nodeEls = new Map<string, SVGGElement>();
  const element = h('section', { class: 'dag', attrs: { 'aria-label': 'Dependency graph' } }, h('h2', {}, icon('type-hierarchy-sub'), layouts.length === 1 ? ' Dependency graph' : ` Dependency graphs (${layouts.length})`));
  for (const layout of layouts.slice(0, MAX_DRAWN_DAGS)) {
    const steps = layout.nodes.length;
    const path = layout.criticalPath.join(' → ');
    element.appendChild(
      h('div', { class: 'muted small dag-summary' }, `${steps} step${steps === 1 ? '' : 's'} in ${Math.max(...layout.nodes.map((n) => n.level)) + 1} levels · critical path ${formatMs(layout.criticalMs)}: ${path}`),
    );
    if (steps > MAX_DRAWN_STEPS) element.appendChild(h('p', { class: 'muted' }, `This dag has ${steps} steps; the graph is drawn up to ${MAX_DRAWN_STEPS}. The timeline lists every step.`));
    else element.appendChild(drawDag(layout, onSelect, nodeEls));
  }
  if (layouts.length > MAX_DRAWN_DAGS) element.appendChild(h('p', { class: 'muted small' }, `${layouts.length - MAX_DRAWN_DAGS} more dag() calls are in the timeline.`));
  let selected: string | undefined;
  const view: DagView = {
    element,
    select(spanId) {
      if (selected) nodeEls.get(selected)?.classList.remove('selected');
      selected = spanId;
      if (spanId) nodeEls.get(spanId)?.classList.add('selected');
    },
  };
  view.select(initialSelection);
  return view;
}
