// The replay section of the panel: for a trace that replays another (trace.replayOf), the tool calls
// of the original and of the replay on one time axis (a row per call pair, an original and a replay
// lane), each replay call marked replayed, live or diverged, divergences highlighted with the script
// line. Text goes through textContent only (dom.ts).
import type { StoredValue, ToolSpan, Trace } from '../core/trace/schema';
import { h, icon } from './dom';
import { formatMs } from './format';
import { barGeometry } from './timelineModel';
import { pairReplay, type ReplayRow } from './replayModel';

const MODE_LABEL: Record<ReplayRow['mode'], string> = {
  replayed: 'replayed',
  live: 'live',
  diverged: 'diverged',
  cached: 'cached',
  missing: 'not called',
  unplayed: 'new call',
};

function spanTitle(which: string, s: ToolSpan): string {
  return `${which}: ${s.server}.${s.tool}(${shown(s.args)}) · ${s.status} · ${formatMs((s.endMs ?? s.startMs) - s.startMs)} at ${formatMs(s.startMs)}`;
}

function lane(which: 'original' | 'replay', s: ToolSpan | undefined, durationMs: number, offsetMs: number, mode: ReplayRow['mode']): HTMLElement {
  const track = h('div', { class: `rp-lane rp-${which}` });
  if (!s) return track;
  const geo = barGeometry({ ...s, startMs: s.startMs - offsetMs, ...(s.endMs !== undefined ? { endMs: s.endMs - offsetMs } : {}) }, durationMs);
  const bar = h('div', { class: `rp-bar st-${s.status}${which === 'replay' ? ` rp-mode-${mode}` : ''}`, title: spanTitle(which === 'original' ? 'Original' : 'Replay', s) });
  bar.style.left = `${geo.left}%`;
  bar.style.width = `${geo.width}%`;
  track.appendChild(bar);
  return track;
}

/** Both runs' tool calls on one time axis (ms from each run's start): a row per paired call. */
function renderReplayTimeline(original: Trace, trace: Trace): HTMLElement {
  const { rows, durationMs, offsetMs } = pairReplay(original, trace);
  const legend = h(
    'div',
    { class: 'rp-legend muted small' },
    h('span', { class: 'rp-key rp-key-original' }), ` Original ${original.id} · ${original.status} · ${formatMs(original.stats.durationMs)}   `,
    h('span', { class: 'rp-key rp-key-replay' }), ` Replay ${trace.id} · ${trace.status} · ${formatMs(trace.stats.durationMs)}`,
  );
  const axis = h('div', { class: 'rp-axis muted small', title: 'ms from each run\'s first tool call' }, h('span', {}, '0'), h('span', {}, formatMs(durationMs / 2)), h('span', {}, formatMs(durationMs)));
  const list = h('div', { class: 'rp-rows', attrs: { role: 'list', 'aria-label': 'Original and replay calls' } });
  for (const row of rows) {
    const s = row.replay ?? row.original;
    if (!s) continue;
    list.appendChild(
      h(
        'div',
        { class: `rp-row${row.diverged ? ' diverged' : ''}`, attrs: { role: 'listitem', 'data-mode': row.mode } },
        h('div', { class: 'rp-name', title: `${s.server}.${s.tool}(${shown(s.args)})` }, h('span', {}, `${s.server}.${s.tool}`), s.line ? h('span', { class: 'muted small' }, ` :${s.line}`) : null),
        h('div', { class: 'rp-track' }, lane('original', row.original, durationMs, offsetMs.original, row.mode), lane('replay', row.replay, durationMs, offsetMs.replay, row.mode)),
        h('div', { class: `rp-mark rp-mark-${row.mode}` }, row.diverged ? icon('warning') : null, MODE_LABEL[row.mode]),
      ),
    );
  }
  return h('div', { class: 'replay-timeline' }, legend, h('div', { class: 'rp-axis-row' }, h('div', { class: 'rp-name' }), axis, h('div', { class: 'rp-mark' })), list);
}

function shown(v: StoredValue | undefined, max = 120): string {
  if (!v) return '';
  const text = v.value !== undefined ? (JSON.stringify(v.value) ?? '') : `${v.preview ?? ''}…`;
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
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
  section.appendChild(renderReplayTimeline(original, trace));
  return section;
}
