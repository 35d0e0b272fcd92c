// What a run sends the host besides its outcome: drained call records, console lines (capped at
// maxLogBytes, exact UTF-8 bytes; the rest counted as dropped) and helper events (validated).
// Invariant: nothing here holds QuickJS handles; everything is plain data ready to post.

import { jsonDepth } from '../json';
import { cutBeforeRedaction, dropSplitToken, MAX_EVENT_DEPTH } from '../limits';
import type { LogEntry, LogLevel, RunEvent } from '../types';

const LEVELS = new Set<LogLevel>(['log', 'info', 'warn', 'error', 'debug']);

export class GuestOutput {
  calls: string[] = [];
  logs: LogEntry[] = [];
  events: RunEvent[] = [];
  logBytesDropped = 0;
  private logBytes = 0;

  constructor(private readonly maxLogBytes: number) {}

  isEmpty(): boolean {
    return !this.calls.length && !this.logs.length && !this.events.length;
  }

  /** Records calls the guest drained (`header\u0001payload` pairs, see GuestConfig); returns how many. */
  addCalls(text: string): number {
    this.calls.push(text);
    let parts = 1;
    for (let i = text.indexOf('\u0001'); i !== -1; i = text.indexOf('\u0001', i + 1)) parts++;
    return parts >> 1;
  }

  /** Everything since the last take, as an 'out' message body. */
  take(): { calls: string; logs: LogEntry[]; events: RunEvent[] } {
    const out = { calls: this.calls.join('\u0001'), logs: this.logs, events: this.events };
    this.calls = [];
    this.logs = [];
    this.events = [];
    return out;
  }

  /** Keeps what fits maxLogBytes (exact UTF-8 bytes) and counts the rest as dropped. */
  log(level: string, text: string, fullLength: number, t: number): void {
    const lvl = LEVELS.has(level as LogLevel) ? (level as LogLevel) : 'log';
    const budget = this.maxLogBytes - this.logBytes;
    // The guest already cut the line when fullLength says so: a token at its end may be split.
    let kept = fullLength > text.length ? dropSplitToken(text) : text;
    let bytes = Buffer.byteLength(kept);
    if (bytes > budget) {
      kept = cutBeforeRedaction(kept, Math.max(0, budget));
      bytes = Buffer.byteLength(kept);
    }
    this.logBytesDropped += Math.max(0, Buffer.byteLength(text) - bytes) + Math.max(0, fullLength - text.length);
    if (budget <= 0) return;
    this.logBytes += bytes;
    this.logs.push({ level: lvl, t, text: kept });
  }

  /** A helper.start/helper.end event from the prelude; anything else is dropped. */
  event(json: string, t: number): void {
    if (jsonDepth(json) > MAX_EVENT_DEPTH) return;
    let e: Record<string, unknown>;
    try {
      e = JSON.parse(json) as Record<string, unknown>;
    } catch {
      return;
    }
    if ((e.type !== 'helper.start' && e.type !== 'helper.end') || typeof e.spanId !== 'string') return;
    if (e.parentId === null) delete e.parentId;
    e.t = t;
    this.events.push(e as unknown as RunEvent);
  }
}
