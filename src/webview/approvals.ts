// The panel's "Approvals" section: the run's approval decisions (trace.approvals) as a list.
// DOM-only through h(): server and tool names come from MCP servers and are never parsed as HTML.
import type { ApprovalRecord, Trace } from '../core/trace/schema';
import { h, icon } from './dom';

/** Decisions a person made or that denied a call; silent policy allows are only counted. */
function isNotable(a: ApprovalRecord): boolean {
  return a.action === 'denied' || a.source !== 'annotations';
}

function describe(a: ApprovalRecord): string {
  const how = a.answer ? `${a.source}: ${a.answer}` : a.rule ? `rule "${a.rule}"` : a.source;
  const waited = a.waitedMs ? `, waited ${Math.round(a.waitedMs)} ms` : '';
  return ` (${how}${waited})`;
}

/** The section, or null when the run had no approval policy (no `approvals`). */
export function renderApprovals(trace: Trace, openLine: (line: number) => void): HTMLElement | null {
  const all = trace.approvals;
  if (!all) return null;
  const notable = all.filter(isNotable);
  const section = h('section', { class: 'approvals', attrs: { 'aria-label': 'Approval decisions' } }, h('h2', {}, icon('shield'), ' Approvals'));
  if (notable.length > 0) {
    const list = h('ul', { class: 'approval-list' });
    for (const a of notable) {
      const line =
        a.line !== undefined
          ? h('a', { class: 'link', attrs: { href: '#' }, on: { click: (e) => { e.preventDefault(); openLine(a.line as number); } } }, `line ${a.line}`)
          : null;
      list.appendChild(
        h(
          'li',
          { class: `approval ${a.action}` },
          icon(a.action === 'denied' ? 'error' : 'pass'),
          ` ${a.action} `,
          h('code', {}, `${a.server}/${a.tool}`),
          line ? ' at ' : '',
          line,
          describe(a),
        ),
      );
    }
    section.appendChild(list);
  }
  const silent = all.length - notable.length;
  // One summary line, never "Approvals (0)" above "22 calls allowed".
  const calls = `${silent} call${silent === 1 ? '' : 's'}`;
  const summary = notable.length === 0 ? `Nobody was asked: ${calls} allowed without asking (read-only tools).` : silent > 0 ? `${calls} more allowed without asking (read-only tools).` : '';
  if (summary) section.appendChild(h('p', { class: 'muted small' }, summary));
  if (trace.approvalsDropped) section.appendChild(h('p', { class: 'muted small' }, `${trace.approvalsDropped} more decisions were not kept (limit).`));
  return section;
}
