// The run header: status, duration, calls, limits hit, and export actions.
import { describeRunErrorCode } from '../core/sandbox/errorWords';
import type { Trace } from '../core/trace/schema';
import { h, icon } from './dom';
import { formatCount, formatMs, withheldText } from './format';

const STATUS: Record<Trace['status'], { icon: string; label: string; cls: string }> = {
  running: { icon: 'loading codicon-modifier-spin', label: 'Running', cls: 'running' },
  ok: { icon: 'pass-filled', label: 'Succeeded', cls: 'ok' },
  failed: { icon: 'error', label: 'Failed', cls: 'failed' },
  timed_out: { icon: 'watch', label: 'Timed out', cls: 'failed' },
  cancelled: { icon: 'circle-slash', label: 'Cancelled', cls: 'warn' },
  crashed: { icon: 'flame', label: 'Sandbox crashed', cls: 'failed' },
  interrupted: { icon: 'debug-disconnect', label: 'Interrupted', cls: 'warn' },
};

export function statusInfo(status: Trace['status']): { icon: string; label: string; cls: string } {
  return STATUS[status];
}

function stat(label: string, value: string, title?: string): HTMLElement {
  return h('div', { class: 'stat', title }, h('span', { class: 'stat-value' }, value), h('span', { class: 'stat-label' }, label));
}

export function renderHeader(trace: Trace, onExport: (format: 'otlp' | 'chrome') => void, onOpenLine: (line: number) => void, onReplay?: () => void, onSaveSkill?: () => void): HTMLElement {
  const s = STATUS[trace.status];
  const title = h(
    'div',
    { class: 'run-title' },
    h('span', { class: `status-badge ${s.cls}`, attrs: { 'data-status': trace.status } }, icon(s.icon), ` ${s.label}`),
    h('span', { class: 'script-name', title: trace.script.path ?? '' }, trace.script.path ? trace.script.path.split(/[\\/]/).pop() ?? '' : 'inline script'),
    h('span', { class: 'trace-id', title: 'Trace id' }, trace.id),
  );
  const stats = h(
    'div',
    { class: 'stats' },
    stat('duration', formatMs(trace.stats.durationMs)),
    stat('tool calls', formatCount(trace.stats.toolCalls)),
    stat('cached', formatCount(trace.stats.cachedCalls)),
    stat('failed calls', formatCount(trace.stats.failedToolCalls)),
    stat('peak parallel', formatCount(trace.stats.peakConcurrency)),
    stat('redactions', formatCount(trace.redactions)),
  );
  const parts: HTMLElement[] = [title, stats];
  const withheld = withheldText(trace.withheld);
  if (withheld) parts.push(h('div', { class: 'withheld', title: 'The privacy firewall replaced these values by placeholders in what the model saw; tool calls got the real values back.' }, icon('shield'), ` ${withheld}`));
  if (trace.stats.limitHit) {
    parts.push(h('div', { class: 'limit-hit' }, icon('warning'), ` Limit hit: ${trace.stats.limitHit}`));
  }
  if (trace.error) {
    const err = trace.error;
    const where = err.server && err.tool ? ` (${err.server}.${err.tool})` : '';
    const line = err.line;
    parts.push(
      h(
        'div',
        { class: 'run-error', attrs: { role: 'alert' } },
        h('span', { class: 'error-code' }, `${describeRunErrorCode(err.code)}${where}`),
        h('pre', { class: 'error-message' }, err.message),
        h('div', { class: 'error-detail muted small' }, `${err.name} · code ${err.code}`),
        line ? h('a', { class: 'link', attrs: { href: '#' }, on: { click: (e) => { e.preventDefault(); onOpenLine(line); } } }, `Go to line ${line}`) : null,
      ),
    );
  }
  parts.push(
    h(
      'div',
      { class: 'actions' },
      onReplay && trace.status !== 'running'
        ? h('button', { class: 'secondary replay-run', on: { click: () => onReplay() }, title: 'Re-run the script against the recorded tool results: no live call, no server needed' }, icon('debug-rerun'), ' Replay')
        : null,
      h('button', { class: 'secondary', on: { click: () => onExport('otlp') }, title: 'OpenTelemetry (OTLP JSON)' }, icon('export'), ' Export OTLP'),
      h('button', { class: 'secondary', on: { click: () => onExport('chrome') }, title: 'Chrome trace events (Perfetto)' }, icon('export'), ' Export for Perfetto'),
      ...(onSaveSkill && trace.status === 'ok' ? [h('button', { class: 'secondary', on: { click: onSaveSkill }, title: 'Save this run\'s script as a skill in .toolweaver/skills' }, icon('library'), ' Save as Skill')] : []),
    ),
  );
  return h('header', { class: 'run-header' }, ...parts);
}
