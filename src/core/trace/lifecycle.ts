// A trace's lifecycle rules: how ids are made, which terminal status a run result gets, and how
// spans still open at the end are closed. Shared by the recorder and the store (interrupted runs).
import { randomBytes } from 'node:crypto';
import type { RunResult } from '../sandbox/types';
import type { Span, SpanStatus, TerminalTraceStatus } from './schema';

/** `YYYYMMDD-HHMMSS-mmm-<10 hex>` in UTC: sorts by start time; never derived from user text. */
export function newTraceId(nowMs: number = Date.now()): string {
  const iso = new Date(nowMs).toISOString(); // 2026-11-21T01:17:46.123Z
  const d = iso.slice(0, 10).replace(/-/g, '');
  const t = iso.slice(11, 19).replace(/:/g, '');
  return `${d}-${t}-${iso.slice(20, 23)}-${randomBytes(5).toString('hex')}`;
}

/** Terminal trace status of a run result. */
export function statusOf(result: RunResult): TerminalTraceStatus {
  if (result.ok) return 'ok';
  switch (result.error.code) {
    case 'timeout':
      return 'timed_out';
    case 'cancelled':
      return 'cancelled';
    case 'sandbox_crashed':
      return 'crashed';
    default:
      return 'failed';
  }
}

/** Status given to spans still open when the run ended with `status`. */
export function openSpanStatus(status: TerminalTraceStatus): SpanStatus {
  return status === 'ok' || status === 'failed' ? 'abandoned' : status;
}

/** Closes every open span of `trace` (returns a copy). Used at finish and for interrupted traces. */
export function closeOpenSpans(spans: readonly Span[], status: TerminalTraceStatus, endMs: number): Span[] {
  return spans.map((s) =>
    s.status === 'running' ? { ...s, status: openSpanStatus(status), endMs: Math.max(endMs, s.startMs) } : s,
  );
}
