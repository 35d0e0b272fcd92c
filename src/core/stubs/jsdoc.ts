// JSDoc text for generated stubs: turns schema annotations (description, default, examples,
// format, bounds) into comment lines. Invariant: no comment we print can be closed early by text
// that came from a server (`*/` is always escaped), nor hide characters from its reader (neutralized).
import { neutralize } from '../untrusted/unicode';

/** Schema keywords that become `@<keyword> <value>` tags, in this order. */
const CONSTRAINT_TAGS = [
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'multipleOf',
  'minLength',
  'maxLength',
  'pattern',
  'minItems',
  'maxItems',
  'uniqueItems',
  'minProperties',
  'maxProperties',
] as const;

const MAX_EXAMPLES = 3;
const MAX_VALUE_CHARS = 200;
const SINGLE_LINE_MAX = 96;

/** Makes text safe inside a block comment: `*\/` can never end it. */
export function escapeComment(text: string): string {
  return text.includes('*/') ? text.replace(/\*\//g, '*\\/') : text;
}

/** Splits server text into trimmed-right lines without leading/trailing blank lines, with hidden tag
 *  characters, invisible runs and bidi controls made visible (`neutralize`): stubs reach models. */
export function textLines(serverText: string): string[] {
  const text = neutralize(serverText);
  if (!/[\r\n]/.test(text)) {
    const line = text.trimEnd();
    return line === '' ? [] : [line];
  }
  const lines = text.replace(/\r\n?/g, '\n').split('\n').map((l) => l.replace(/\s+$/, ''));
  while (lines.length > 0 && lines[0] === '') lines.shift();
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** The first sentence or line of a description, capped, for one-line listings. */
export function firstLine(text: string | undefined, max = 160): string {
  const line = textLines(text ?? '').find((l) => l.trim() !== '')?.trim() ?? '';
  const sentence = /^(.*?[.!?])(\s|$)/.exec(line)?.[1] ?? line;
  return sentence.length > max ? `${sentence.slice(0, max - 1).trimEnd()}…` : sentence;
}

function valueText(value: unknown): string | undefined {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch {
    return undefined; // cyclic or BigInt: cannot appear in parsed JSON, but never crash
  }
  if (text === undefined) return undefined;
  return text.length > MAX_VALUE_CHARS ? `${text.slice(0, MAX_VALUE_CHARS - 1)}…` : text;
}

/**
 * The documentation lines of one schema: description, then `@deprecated`, `@format`,
 * `@default`, `@example` and bound tags. Titles are left out (generators repeat the property
 * name there). Lines are not escaped yet; `renderDoc` does that.
 */
export function schemaDocLines(schema: Record<string, unknown>): string[] {
  const lines: string[] = [];
  if (typeof schema.description === 'string') lines.push(...textLines(schema.description));
  if (schema.deprecated === true) lines.push('@deprecated');
  if (typeof schema.format === 'string') lines.push(`@format ${schema.format}`);
  if ('default' in schema) {
    const v = valueText(schema.default);
    if (v !== undefined) lines.push(`@default ${v}`);
  }
  const examples = Array.isArray(schema.examples)
    ? schema.examples
    : 'example' in schema
      ? [schema.example]
      : [];
  for (const ex of examples.slice(0, MAX_EXAMPLES)) {
    const v = valueText(ex);
    if (v !== undefined) lines.push(`@example ${v}`);
  }
  for (const key of CONSTRAINT_TAGS) {
    const v = schema[key];
    // zod's `.int()` states the safe-integer range as bounds: noise, not a constraint.
    if (typeof v === 'number' && Math.abs(v) === Number.MAX_SAFE_INTEGER) continue;
    if (typeof v === 'number' || typeof v === 'boolean') lines.push(`@${key} ${String(v)}`);
    else if (typeof v === 'string') lines.push(`@${key} ${v}`);
  }
  return lines;
}

/**
 * A JSDoc block at `indent` (empty string when there are no lines): one line when short,
 * otherwise one ` * ` line per text line. Ends with a newline.
 */
export function renderDoc(lines: readonly string[], indent: string): string {
  if (lines.length === 0) return '';
  const safe = lines.map(escapeComment);
  const only = safe[0] as string;
  if (safe.length === 1 && only.length <= SINGLE_LINE_MAX) {
    return `${indent}/** ${only} */\n`;
  }
  let out = `${indent}/**\n`;
  for (const l of safe) out += l === '' ? `${indent} *\n` : `${indent} * ${l}\n`;
  return `${out}${indent} */\n`;
}
