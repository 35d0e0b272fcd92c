// The context-token account: classic tool calling vs code mode, per category, savings split into
// definitions and intermediate results, the classic range and dollars, and a clear flag when code
// mode cost more or the run (failed) claims no saving.
import type { TokenAccount } from '../core/tokens/schema';
import type { Trace } from '../core/trace/schema';
import type { SessionTotals } from '../protocol/messages';
import { h, icon } from './dom';
import { formatCount, formatPercent } from './format';

const CATEGORIES: Array<[keyof TokenAccount['classic']['breakdown'], string]> = [
  ['definitions', 'Tool definitions'],
  ['docs', 'Docs read (search/describe)'],
  ['intermediateResults', 'Intermediate results'],
  ['arguments', 'Tool-call arguments'],
  ['script', 'Script'],
  ['repairs', 'Earlier attempts (type errors, failed runs)'],
  ['finalOutput', 'Final output'],
];

function formatUsd(x: number): string {
  return x >= 0.1 ? `$${x.toFixed(2)}` : `$${x.toFixed(4)}`;
}

function plural(n: number, word: string): string {
  return `${formatCount(n)} ${word}${n === 1 ? '' : 's'}`;
}

function bar(value: number, max: number, cls: string): HTMLElement {
  const pct = max > 0 ? Math.max((value / max) * 100, value > 0 ? 0.5 : 0) : 0;
  const fill = h('div', { class: `bar-fill ${cls}` });
  // CSSOM, not a style attribute: the CSP allows no inline styles.
  fill.style.width = `${pct.toFixed(2)}%`;
  return h('div', { class: 'bar-track' }, fill);
}

/** "Saved on definitions: 1,129" or, when it went the other way, "Intermediate results: 171 more in code mode". */
function savedLine(what: string, saved: number): string {
  return saved >= 0 ? `Saved on ${what}: ${formatCount(saved)}` : `${what[0]!.toUpperCase()}${what.slice(1)}: ${formatCount(-saved)} more in code mode`;
}

/** The account; `status` is the run's: a run that did not succeed claims no savings. */
export function renderTokens(account: TokenAccount | undefined, session: SessionTotals, status: Trace['status'] = 'ok'): HTMLElement {
  const section = h('section', { class: 'tokens', attrs: { 'aria-label': 'Context-token account' } }, h('h2', {}, icon('symbol-numeric'), ' Context tokens'));
  if (!account) {
    section.appendChild(h('p', { class: 'muted' }, 'No token account for this run.'));
    return section;
  }
  const max = Math.max(account.classic.total, account.codeMode.total);
  const s = status === 'ok' ? account.savings : undefined;
  const diff = account.classic.total - account.codeMode.total;
  const verdict = !s
    ? h('div', { class: 'verdict lost', attrs: { role: 'status' } }, icon('warning'), ' No saving claimed: the run did not succeed, so what it cost belongs to the next attempt.')
    : account.codeModeCostMore
      ? h('div', { class: 'verdict lost', attrs: { role: 'status' } }, icon('warning'), diff < 0 ? ` Code mode cost ${formatCount(-diff)} more tokens than classic tool calling for this run.` : ' Code mode cost more dollars than classic tool calling for this run (warm prompt cache), though it used fewer tokens.')
      : h('div', { class: 'verdict won', attrs: { role: 'status' } }, icon('pass'), ` Saved ${formatCount(s.total)} tokens (${formatPercent(s.reduction)}) versus classic tool calling with parallel calls${account.cost ? `, ${formatPercent(account.cost.warm.reduction)} of dollars with a warm cache` : ''}.`);
  section.append(verdict);
  if (account.truncated) {
    section.appendChild(h('div', { class: 'verdict lost', attrs: { role: 'status' } }, icon('warning'), ' The reply was cut: the model read a preview of the value (or cut logs), less than the run produced.'));
  }
  const c = account.conversation;
  if (c) {
    const what = c.codeModeCostMore
      ? 'code mode cost MORE than classic tool calling so far'
      : `${formatPercent(c.reduction)} of tokens and ${formatPercent(c.cost.reduction)} of dollars (warm cache) saved so far`;
    section.appendChild(
      h(
        'p',
        { class: c.codeModeCostMore ? 'conversation lost' : 'conversation' },
        h('strong', {}, 'This conversation: '),
        `${plural(c.runs, 'run')}${c.failedRuns ? ` (${formatCount(c.failedRuns)} failed)` : ''} · code mode ${formatCount(c.codeMode)} vs classic ${formatCount(c.classic)} tokens, earlier turns re-sent · ${formatUsd(c.cost.codeMode)} vs ${formatUsd(c.cost.classic)} · ${what}`,
      ),
    );
  }
  section.append(
    h(
      'div',
      { class: 'compare' },
      h('div', { class: 'compare-row' }, h('span', { class: 'compare-label' }, 'Classic'), bar(account.classic.total, max, 'classic'), h('span', { class: 'compare-value' }, formatCount(account.classic.total))),
      h('div', { class: 'compare-row' }, h('span', { class: 'compare-label' }, 'Code mode'), bar(account.codeMode.total, max, 'codemode'), h('span', { class: 'compare-value' }, formatCount(account.codeMode.total))),
    ),
  );
  const table = h('table', { class: 'token-table' });
  table.appendChild(h('thead', {}, h('tr', {}, h('th', {}, 'Category'), h('th', {}, 'Classic'), h('th', {}, 'Code mode'))));
  const body = h('tbody');
  for (const [key, label] of CATEGORIES) {
    body.appendChild(h('tr', {}, h('td', {}, label), h('td', { class: 'num' }, formatCount(account.classic.breakdown[key] ?? 0)), h('td', { class: 'num' }, formatCount(account.codeMode.breakdown[key] ?? 0))));
  }
  body.appendChild(h('tr', { class: 'sum' }, h('td', {}, 'Input / output'), h('td', { class: 'num' }, `${formatCount(account.classic.input)} / ${formatCount(account.classic.output)}`), h('td', { class: 'num' }, `${formatCount(account.codeMode.input)} / ${formatCount(account.codeMode.output)}`)));
  body.appendChild(h('tr', {}, h('td', {}, 'Model requests'), h('td', { class: 'num' }, `${formatCount(account.classic.requests)} (${formatCount(account.classic.waves)} dependency waves)`), h('td', { class: 'num' }, formatCount(account.codeMode.requests))));
  body.appendChild(h('tr', {}, h('td', {}, 'Peak context'), h('td', { class: 'num' }, formatCount(account.classic.peakContext)), h('td', { class: 'num' }, formatCount(account.codeMode.peakContext))));
  table.appendChild(body);
  section.append(
    table,
    h(
      'div',
      { class: 'savings' },
      ...(s
        ? [
            h('span', {}, savedLine('definitions', s.definitions)),
            h('span', {}, savedLine('intermediate results', s.intermediateResults)),
            h('span', {}, s.peakReduction >= 0 ? `Peak context: ${formatPercent(s.peakReduction)} smaller` : `Peak context: ${formatPercent(-s.peakReduction)} larger`),
          ]
        : []),
      ...(account.classic.range && account.classic.range.naive !== account.classic.range.conservative
        ? [h('span', {}, `Classic range: ${formatCount(account.classic.range.conservative)} (parallel calls, shown) to ${formatCount(account.classic.range.naive)} (one call per turn)`)]
        : []),
      ...(account.cost
        ? [h('span', {}, `Dollars (${account.cost.model}): classic ${formatUsd(account.cost.warm.classic)} vs code mode ${formatUsd(account.cost.warm.codeMode)} warm, ${formatUsd(account.cost.cold.classic)} vs ${formatUsd(account.cost.cold.codeMode)} cold`)]
        : []),
    ),
    h('p', { class: 'muted small' }, `Counted with ${account.tokenizer}${account.approximate ? ' (approximate: see the notes below)' : ''}.`),
  );
  for (const note of account.notes) section.appendChild(h('p', { class: 'muted small' }, note));
  section.appendChild(
    h(
      'div',
      { class: 'session-totals' },
      h('strong', {}, 'This session: '),
      `${plural(session.runs, 'run')} · ${plural(session.toolCalls, 'tool call')} · ${session.classicTokens >= session.codeModeTokens ? `${formatCount(session.classicTokens - session.codeModeTokens)} tokens saved` : `${formatCount(session.codeModeTokens - session.classicTokens)} more tokens than classic`}`,
    ),
  );
  return section;
}
