// Details of the selected span: arguments and result as pretty JSON (already redacted and
// truncated by the engine), with sizes, timings and the script line.
import type { Span, StoredValue } from '../core/trace/schema';
import { h, icon } from './dom';
import { formatBytes, formatMs } from './format';

function storedValue(title: string, v: StoredValue | undefined): HTMLElement {
  if (!v) return h('div', { class: 'value-block' }, h('h3', {}, title), h('p', { class: 'muted' }, 'none'));
  let text: string;
  if (v.value !== undefined) text = JSON.stringify(v.value, null, 2) ?? 'undefined';
  else if (v.preview !== undefined) text = `${v.preview}…`;
  else text = 'undefined';
  const size = `${formatBytes(v.bytes)}${v.truncated ? ' · truncated' : ''}`;
  return h('div', { class: 'value-block' }, h('h3', {}, title, h('span', { class: 'muted small' }, ` ${size}`)), h('pre', { class: 'json' }, text));
}

export function renderDetails(span: Span | undefined, onOpenLine: (line: number) => void): HTMLElement {
  const box = h('section', { class: 'details', attrs: { 'aria-label': 'Span details' } });
  if (!span) {
    box.appendChild(h('p', { class: 'muted' }, 'Select a span to see its arguments and result.'));
    return box;
  }
  const dur = span.endMs !== undefined ? formatMs(span.endMs - span.startMs) : 'still open';
  const facts: Array<[string, string]> = [
    ['status', span.status],
    ['start', formatMs(span.startMs)],
    ['duration', dur],
  ];
  if (span.kind === 'tool') {
    facts.push(['server', span.server], ['attempt', String(span.attempt)], ['cached', span.cached ? 'yes' : 'no']);
    if (span.tokens) facts.push(['tokens (args / result)', `${span.tokens.args} / ${span.tokens.result}`]);
    if (span.replay) facts.push(['replay', span.replay === 'replayed' ? 'answered from the recorded trace' : 'sent to the live server (a divergence)']);
  }
  const title = span.kind === 'tool' ? `${span.server}.${span.tool}` : span.helper;
  box.append(
    h('h2', {}, icon(span.kind === 'tool' ? 'tools' : 'symbol-event'), ` ${title}`),
    h('dl', { class: 'facts' }, ...facts.flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)])),
  );
  if (span.kind === 'tool' && span.line) {
    const line = span.line;
    box.appendChild(h('a', { class: 'link', attrs: { href: '#' }, on: { click: (e) => { e.preventDefault(); onOpenLine(line); } } }, icon('go-to-file'), ` Script line ${line}`));
  }
  if (span.kind === 'tool' && span.drift) {
    box.appendChild(h('div', { class: 'drift', title: 'The result does not fit the output type learned from earlier results (not an error). Re-infer the type from the stub\'s CodeLens if the change is expected.' }, icon('warning'), ` Schema drift: ${span.drift}`));
  }
  if (span.error) box.appendChild(h('div', { class: 'run-error' }, h('span', { class: 'error-code' }, span.error.code), h('pre', { class: 'error-message' }, span.error.message)));
  if (span.kind === 'tool') box.append(storedValue('Arguments', span.args), storedValue('Result', span.result));
  else box.appendChild(h('pre', { class: 'json' }, JSON.stringify(span.attrs, null, 2) ?? '{}'));
  return box;
}
