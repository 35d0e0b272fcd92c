// The sentences that go with a preview or a page in a model's reply, in their own text block next to
// the JSON (which stays a block of its own so a client can parse it). Invariant: they only restate
// what the Preview / ValuePage says; every read_value call they suggest is one that works.
import { DEFAULT_READ_TOOL } from './markers';
import type { Preview } from './previewValue';
import type { NextPage, ValuePage } from './valueStore';
import { count, groupDigits } from './words';

/** Elisions listed by name in a note; the rest are counted. */
const NOTE_LIST_LIMIT = 5;

function call(tool: string, args: { runId?: string; path: string; offset?: number }): string {
  const parts = [args.runId !== undefined ? `"runId":${JSON.stringify(args.runId)}` : '', `"path":${JSON.stringify(args.path)}`];
  if (args.offset) parts.push(`"offset":${args.offset}`);
  return `${tool}({${parts.filter(Boolean).join(',')}})`;
}

/**
 * The note for a cut value, e.g. "The value was cut to 8,000 characters: 2 parts were left out … ", or
 * undefined when the preview is complete. `runId` is the run whose value the store holds (say it so
 * the model can read it after later runs); `readTool` as in the markers.
 */
export function previewNote(preview: Preview, opts: { maxChars: number; runId?: string; readTool?: string }): string | undefined {
  if (preview.complete) return undefined;
  const tool = opts.readTool ?? DEFAULT_READ_TOOL;
  const lines = [
    `The value was too large, so it was cut to ${groupDigits(opts.maxChars)} characters of valid JSON: ${count(preview.elided.length, 'part was', 'parts were')} left out, each marked in place by a string "«… …»" that names its path and offset.`,
    `To read a part, call ${tool} with its path and offset${opts.runId !== undefined ? ` (after later runs, add "runId":${JSON.stringify(opts.runId)} to read this one)` : ''}:`,
  ];
  for (const e of preview.elided.slice(0, NOTE_LIST_LIMIT)) {
    const what =
      e.kind === 'value'
        ? `${e.type === 'array' ? count(e.total, 'item') : count(e.total, 'key')} not shown`
        : `${groupDigits(e.total - e.offset)} of ${e.kind === 'items' ? count(e.total, 'item') : e.kind === 'keys' ? count(e.total, 'key') : count(e.total, 'character')} not shown`;
    lines.push(`- ${e.path}: ${what}; ${call(tool, { path: e.path, offset: e.offset })}`);
  }
  if (preview.elided.length > NOTE_LIST_LIMIT) lines.push(`- … and ${groupDigits(preview.elided.length - NOTE_LIST_LIMIT)} more (see the markers).`);
  return lines.join('\n');
}

/** Where a page sits and how to get the next one, e.g. "$.customers (run r7): items 0–19 of 1,000. Next: read_value({…})". */
export function pageNote(page: ValuePage, opts: { readTool?: string; newestRunId?: string } = {}): string {
  const tool = opts.readTool ?? DEFAULT_READ_TOOL;
  const unit = page.type === 'array' ? 'items' : page.type === 'object' ? 'keys' : page.type === 'string' ? 'characters' : undefined;
  const where = `${page.path} (run ${page.runId})`;
  let text: string;
  if (!unit) text = `${where}: the whole ${page.type} value.`;
  else if (page.count === 0) text = `${where}: no ${unit} from offset ${groupDigits(page.offset)} (${groupDigits(page.total)} in all).`;
  else text = `${where}: ${unit} ${groupDigits(page.offset)}–${groupDigits(page.offset + page.count - 1)} of ${groupDigits(page.total)}.`;
  if (page.elided.length) text += ` This page was itself cut (${count(page.elided.length, 'marker')}); read the marked parts by their paths.`;
  const next: NextPage | undefined = page.next;
  if (next) text += ` Next: ${call(tool, { runId: next.runId === opts.newestRunId ? undefined : next.runId, path: next.path, offset: next.offset })}.`;
  else text += ' This is the end.';
  return text;
}
