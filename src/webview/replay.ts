// The replay section of the panel: for a trace that replays another (trace.replayOf), the tool calls
// of the original and of the replay side by side in one order, each replay call marked replayed or
// live, divergences highlighted with the script line. Text goes through textContent only (dom.ts).
import type { StoredValue, ToolSpan, Trace } from '../core/trace/schema';
import { h, icon } from './dom';
import { formatMs } from './format';

function shown(v: StoredValue | undefined, max = 120): string {
  if (!v) return '';
  const text = v.value !== undefined ? (JSON.stringify(v.value) ?? '') : `${v.preview ?? ''}…`;
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function toolSpans(trace: Trace): ToolSpan[] {
  return trace.spans.filter((s): s is ToolSpan => s.kind === 'tool').sort((a, b) => a.startMs - b.startMs);
}

function cell(span: ToolSpan | undefined, extra?: string): HTMLElement {
  if (!span) return h('td', { class: 'muted' }, '—');
  return h(
    'td',
    {},
    h('div', { class: 'call-name' }, `${span.server}.${span.tool}`, span.line ? h('span', { class: 'muted small' }, ` line ${span.line}`) : null),
    h('div', { class: 'muted small mono' }, `(${shown(span.args)}) · ${span.status} · ${formatMs((span.endMs ?? span.startMs) - span.startMs)}`),
    extra ? h('div', { class: 'small' }, extra) : null,
  );
}

/** The replay section, or null when `trace` is not a replay. */
export function renderReplay(trace: Trace, original: Trace | null | undefined, onOpenLine: (line: number) => void): HTMLElement | null {
  const of = trace.replayOf;
  if (!of) return null;
  const section = h(
    'section',
    { class: 'replay', attrs: { 'aria-label': 'Replay' } },
    h('h2', {}, icon('debug-rerun'), ` Replay of ${of.traceId}`),
    h('p', { class: 'replay-summary' }, `${of.replayed} call${of.replayed === 1 ? '' : 's'} answered from the recorded trace, ${of.live} live${of.divergences.length ? `, ${of.divergences.length} divergence${of.divergences.length === 1 ? '' : 's'}` : ', no divergence'}.`),
  );
  for (const d of of.divergences) {
    const line = d.line;
    section.appendChild(
      h(
        'div',
        { class: 'divergence', attrs: { role: 'alert', 'data-reason': d.reason } },
        icon('warning'),
        h('span', {}, ` ${d.message}`),
        line ? h('a', { class: 'link', attrs: { href: '#' }, on: { click: (e) => { e.preventDefault(); onOpenLine(line); } } }, ` Go to line ${line}`) : null,
      ),
    );
  }
  if (original === undefined) return section;
  if (original === null) {
    section.appendChild(h('p', { class: 'muted' }, `The original trace ${of.traceId} is no longer in the trace folder.`));
    return section;
  }
  // One row per call, in start order on each side; a divergent replay call is highlighted.
  const left = toolSpans(original);
  const right = toolSpans(trace);
  const diverged = new Set(of.divergences.map((d) => `${d.server}\u0000${d.tool}\u0000${d.line ?? ''}`));
  const rows: HTMLElement[] = [];
  for (let i = 0; i < Math.max(left.length, right.length); i++) {
    const r = right[i];
    const isDiverged = r !== undefined && r.replay !== 'replayed' && diverged.has(`${r.server}\u0000${r.tool}\u0000${r.line ?? ''}`);
    const mark = r ? (r.replay === 'replayed' ? 'replayed' : r.replay === 'live' ? 'live' : isDiverged ? 'diverged' : r.cached ? 'cached' : '') : '';
    rows.push(h('tr', { class: isDiverged ? 'diverged' : '', attrs: { 'data-mode': mark } }, cell(left[i]), cell(r, mark)));
  }
  section.appendChild(
    h(
      'table',
      { class: 'replay-compare' },
      h('thead', {}, h('tr', {}, h('th', {}, `Original ${original.id} · ${original.status}`), h('th', {}, `Replay ${trace.id} · ${trace.status}`))),
      h('tbody', {}, ...rows),
    ),
  );
  return section;
}
