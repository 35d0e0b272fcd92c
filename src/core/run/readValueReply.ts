// The reply of read_value (MCP) / toolweaver_read_value (VS Code): one page of a kept value, neutralized
// and framed as untrusted data like run_code's value, with the page note and a warning when the page
// looks like instructions. Invariant: the page block is only JSON; errors are replies, never throws.
import { PreviewError } from '../preview/errors';
import { formatPath, parsePath } from '../preview/path';
import type { ReadValueInput } from '../codeMode/tools';
import { pageNote } from '../preview/replyText';
import { readValue, type ValuePage, type ValueStore } from '../preview/valueStore';
import { makeFrame, UNTRUSTED_DATA_NOTE, type FrameOptions } from '../untrusted/frame';
import { formatInjectionWarning, neutralizeValue } from '../untrusted/report';
import { scanValue } from '../untrusted/scan';
import { structuredValue } from './runReply';
import type { ReplyFinding } from './runView';

export interface ReadValueReply {
  isError: boolean;
  /** MCP text blocks: note, open line, the page JSON (alone), close line, page note, warning. */
  blocks: string[];
  /** One text for text-only surfaces. */
  text: string;
  /** structuredContent: the page's parsed JSON (an object as it is, else `{ value }`). */
  structured?: Record<string, unknown>;
  findings: ReplyFinding[];
}

/** A finding's path in the page, rewritten to its path in the stored value (what the model passes back). */
function valuePath(page: ValuePage, findingPath: string): string {
  if (page.type === 'string') return page.path;
  try {
    const base = parsePath(page.path);
    const rel = parsePath(findingPath);
    if (page.type === 'array' && typeof rel[0] === 'number') return formatPath([...base, page.offset + rel[0], ...rel.slice(1)]);
    return formatPath([...base, ...rel]);
  } catch {
    return page.path; // a key the scanner writes differently: the page's own path still leads there
  }
}

/** Reads one page for a model. `readTool` names the tool in notes and markers. */
export function readValueReply(store: ValueStore, input: ReadValueInput, opts: { readTool?: string; frame?: FrameOptions } = {}): ReadValueReply {
  let page: ValuePage;
  try {
    page = readValue(store, { ...input, readTool: opts.readTool });
  } catch (err) {
    if (!PreviewError.is(err)) throw err;
    return { isError: true, blocks: [err.message], text: err.message, findings: [] };
  }
  // A page can show what the run_code preview left out: scan it (before neutralizing, so hidden
  // characters are found) and neutralize it as run_code neutralizes its preview.
  const shown = JSON.parse(page.text) as unknown;
  const scan = scanValue(shown);
  const findings: ReplyFinding[] = scan.findings.map((f) => ({ ...f, path: valuePath(page, f.path) }));
  const sent = neutralizeValue(shown);
  const json = sent === shown ? page.text : JSON.stringify(sent);
  const f = makeFrame('read_value page', [json], opts.frame);
  const note = pageNote(page, { readTool: opts.readTool, newestRunId: store.runIds()[0] });
  const warning = formatInjectionWarning(findings);
  const blocks = [UNTRUSTED_DATA_NOTE, f.open, json, f.close, note, ...(warning ? [warning] : [])];
  const text = [UNTRUSTED_DATA_NOTE, `${f.open}\n${json}\n${f.close}`, note, ...(warning ? [warning] : [])].join('\n\n');
  return { isError: false, blocks, text, structured: structuredValue(sent), findings };
}
