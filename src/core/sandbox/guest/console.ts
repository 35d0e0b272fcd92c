// The guest's `console`: formats arguments like Node does for the common cases and hands lines to
// the worker, which keeps at most maxLogBytes and counts the rest. Part of the prelude bundle.

import { create, ErrorCtor, StringCtor, stringify } from './intrinsics';
import type { GuestHostApi } from '../guestApi';

function formatArg(v: unknown): string {
  if (typeof v === 'string') return v;
  try {
    if (v instanceof ErrorCtor) {
      const stack = typeof v.stack === 'string' && v.stack ? `\n${v.stack}` : '';
      return `${StringCtor(v.name)}: ${StringCtor(v.message)}${stack}`;
    }
    if (typeof v === 'object' && v !== null) {
      const text: unknown = stringify(v);
      if (typeof text === 'string') return text;
    }
    return StringCtor(v);
  } catch {
    try {
      return StringCtor(v);
    } catch {
      return '[unprintable]';
    }
  }
}

function makeLog(host: GuestHostApi, budget: { left: number }, level: string): (...args: unknown[]) => void {
  return function log(...args: unknown[]): void {
    let text = '';
    for (let i = 0; i < args.length; i++) text += (i ? ' ' : '') + formatArg(args[i]);
    // The worker counts exact bytes; past the (char-approximate) budget only lengths cross.
    // getString stops at NUL: show it escaped.
    if (text.indexOf('\0') !== -1) text = text.split('\0').join('\\u0000');
    const kept = budget.left > 0 ? text.slice(0, budget.left) : '';
    budget.left -= kept.length;
    host.log(level, kept, text.length);
  };
}

/** The console object and its budget (chars; set by `configure` at the start of a run). */
export function createConsole(host: GuestHostApi): { console: Record<string, unknown>; budget: { left: number } } {
  const budget = { left: 0 };
  const consoleObject = create(null) as Record<string, unknown>;
  for (const level of ['log', 'info', 'warn', 'error', 'debug'] as const) consoleObject[level] = makeLog(host, budget, level);
  consoleObject.trace = consoleObject.debug;
  consoleObject.dir = consoleObject.log;
  consoleObject.table = consoleObject.log;
  return { console: consoleObject, budget };
}
