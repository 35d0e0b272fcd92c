// Finds, in a generated stub's text, the doc line of a learned output type (renderToolFile's
// learnedOutputDoc) and the tool the stub is for (its header line). Pure: the editor's CodeLens uses it.
import { GENERATED_MARKER } from './renderToolFile';

const LEARNED_DOC = /^\/\*\* Output type inferred from (\d+) calls? \(([^)]*)\) — not declared by the server(; pinned)? \*\/$/;
const TOOL_LINE = /^\/\/ Tool ("(?:[^"\\]|\\.)*") of MCP server ("(?:[^"\\]|\\.)*"):/;

/** Where a stub declares a learned output type, and for which tool. */
export interface LearnedTypeSite {
  line: number;
  server: string;
  tool: string;
  calls: number;
  date: string;
  pinned: boolean;
}

/** Finds the learned-type doc line of a generated stub's text (undefined when it has none). */
export function findLearnedType(text: string): LearnedTypeSite | undefined {
  const lines = text.split(/\r?\n/);
  if (!lines[0]?.includes(GENERATED_MARKER)) return undefined;
  const m = TOOL_LINE.exec(lines[1] ?? '');
  if (!m) return undefined;
  let tool: string;
  let server: string;
  try {
    tool = JSON.parse(m[1] as string) as string;
    server = JSON.parse(m[2] as string) as string;
  } catch {
    return undefined;
  }
  for (let i = 2; i < lines.length; i++) {
    const d = LEARNED_DOC.exec(lines[i] as string);
    if (d) return { line: i, server, tool, calls: Number(d[1]), date: d[2] as string, pinned: d[3] !== undefined };
  }
  return undefined;
}

