// Turns a user's (or an LLM's) script into the guest function source. Invariant: line N of the
// user's script is line N of the evaluated code (the wrapper shares line 1), so guest stack lines
// are script lines without a source map.

import { transform } from 'sucrase';
import type { RunError } from './types';

/** File name the guest sees for the script; stack frames `(script.ts:LINE:COL)` point at it. */
export const SCRIPT_FILE = 'script.ts';
/** Opens the async function the script runs in; it shares line 1 with the script's first line. */
export const WRAP_PREFIX = '(async function () {';
const WRAP_SUFFIX = '\n})';

/**
 * Strips what chat models put around code: a byte-order mark and markdown code fences. When the
 * text contains a fenced block, the first block's content is the script.
 */
export function normalizeSource(source: string): string {
  let text = source.charCodeAt(0) === 0xfeff ? source.slice(1) : source;
  const fence = /^[ \t]*(```|~~~)[^\n]*\n([\s\S]*?)^[ \t]*\1[ \t]*$/m.exec(text);
  if (fence) text = fence[2] ?? '';
  else if (/^\s*```/.test(text)) text = text.replace(/^\s*```[^\n]*\n?/, '');
  return moduleFormToBody(text);
}

/** Name the default export is bound to; as long as `export default ` so columns don't move. */
const DEFAULT_BINDING = '__tw_d';
const DEFAULT_EXPORT = /^export[ \t]+default[ \t]+/m;
const EMPTY_EXPORT = /^export[ \t]*\{[ \t]*\};?/gm;

/**
 * Editor scripts (*.tw.ts) are modules, where a top-level `return` is an error, so they may write
 * `export default async function main() { … }` (or any default-exported value) instead. That form
 * becomes a function body whose value is the default export, called when it is a function. Lines
 * and columns stay where they were: `export default ` and `const __tw_d = ` are the same length,
 * and `export {}` is blanked with spaces.
 */
export function moduleFormToBody(text: string): string {
  let body = text.replace(EMPTY_EXPORT, (m) => ' '.repeat(m.length));
  if (!DEFAULT_EXPORT.test(body)) return body;
  body = body.replace(DEFAULT_EXPORT, (m) => `const ${DEFAULT_BINDING} = `.padEnd(m.length, ' '));
  return `${body}\n;return typeof ${DEFAULT_BINDING} === 'function' ? await ${DEFAULT_BINDING}() : await ${DEFAULT_BINDING};`;
}

export type PreparedSource = { ok: true; code: string } | { ok: false; error: RunError };

/**
 * Wraps the script in an async function expression (top-level await, `return` gives the value)
 * and, for TypeScript, strips types with sucrase (which keeps line breaks).
 */
export function prepareSource(source: string, language: 'ts' | 'js'): PreparedSource {
  const wrapped = WRAP_PREFIX + normalizeSource(source) + WRAP_SUFFIX;
  if (language === 'js') return { ok: true, code: wrapped };
  try {
    const { code } = transform(wrapped, {
      transforms: ['typescript'],
      disableESTransforms: true,
    });
    return { ok: true, code };
  } catch (err) {
    const loc = (err as { loc?: { line?: number; column?: number } }).loc;
    const line = typeof loc?.line === 'number' ? loc.line : undefined;
    const column = typeof loc?.column === 'number' ? scriptColumn(line ?? 0, loc.column + 1) : undefined;
    const raw = err instanceof Error ? err.message.replace(/\s*\(\d+:\d+\)$/, '') : String(err);
    return { ok: false, error: syntaxError(source, raw, line, column) };
  }
}

/** Maps a 1-based column of the evaluated code to the script's (line 1 carries the wrapper). */
export function scriptColumn(line: number, column: number): number {
  return line === 1 ? Math.max(1, column - WRAP_PREFIX.length) : column;
}

/** A syntax_error RunError with a message that says where and, for modules, what to do instead. */
export function syntaxError(source: string, detail: string, line?: number, column?: number): RunError {
  const where = line === undefined ? '' : ` at line ${line}${column === undefined ? '' : `, column ${column}`}`;
  let message = `The script has a syntax error${where}: ${detail}.`;
  if (/^\s*(import|export)\s/m.test(source)) {
    message +=
      ' Scripts are the body of an async function: use top-level await and `return`, or `export default async function main() { … }`; import and other exports are not available (tools are the global `tools`).';
  }
  const error: RunError = { name: 'SyntaxError', code: 'syntax_error', message };
  if (line !== undefined) error.line = line;
  if (column !== undefined) error.column = column;
  return error;
}

/** First `script.ts:LINE:COL` frame of a guest stack, as script coordinates. */
export function scriptLocation(stack: string | undefined): { line: number; column?: number } | undefined {
  if (!stack) return undefined;
  const m = /script\.ts:(\d+)(?::(\d+))?/.exec(stack);
  if (!m) return undefined;
  const line = Number(m[1]);
  return m[2] === undefined ? { line } : { line, column: scriptColumn(line, Number(m[2])) };
}
