// Finds `tools.<server>.<tool>` references in script text, for completion, hover, code actions and
// CodeLens. Pure text scanning: it never evaluates the script.

/** A `tools.<server>[.<tool>]` reference with offsets into the text. */
export interface ToolReference {
  server: string;
  tool?: string;
  /** Offset of `tools`. */
  start: number;
  /** Offset of the server identifier. */
  serverStart: number;
  /** Offset just past the last identifier. */
  end: number;
  /** Offset and length of the tool identifier, when there is one. */
  toolStart?: number;
}

// Not after `.` (a property of something else) or `/` (a path such as `/// <reference path="../stubs/tools.d.ts" />`).
const REFERENCE = /(?<![\w$./])tools\s*\.\s*([A-Za-z_$][\w$]*)(?:\s*\.\s*([A-Za-z_$][\w$]*))?/g;

/** Every reference in `text`, in order. */
export function findToolReferences(text: string): ToolReference[] {
  const refs: ToolReference[] = [];
  for (const m of text.matchAll(REFERENCE)) {
    const start = m.index ?? 0;
    const server = m[1] as string;
    const tool = m[2];
    const serverStart = start + m[0].indexOf(server, 'tools'.length);
    const ref: ToolReference = { server, start, serverStart, end: start + m[0].length };
    if (tool !== undefined) {
      ref.tool = tool;
      ref.toolStart = ref.end - tool.length;
    }
    refs.push(ref);
  }
  return refs;
}

/** The reference whose span contains `offset` (inclusive of its end), if any. */
export function toolReferenceAt(text: string, offset: number): ToolReference | undefined {
  return findToolReferences(text).find((r) => offset >= r.start && offset <= r.end);
}

/** What the user is typing right before `offset`: `tools.` → servers; `tools.<server>.` → tools. */
export type CompletionContext =
  | { kind: 'server'; prefix: string }
  | { kind: 'tool'; server: string; prefix: string };

export function completionContextAt(linePrefix: string): CompletionContext | undefined {
  const tool = /\btools\s*\.\s*([A-Za-z_$][\w$]*)\s*\.\s*([A-Za-z_$][\w$]*)?$/.exec(linePrefix);
  if (tool) return { kind: 'tool', server: tool[1] as string, prefix: tool[2] ?? '' };
  const server = /\btools\s*\.\s*([A-Za-z_$][\w$]*)?$/.exec(linePrefix);
  if (server) return { kind: 'server', prefix: server[1] ?? '' };
  return undefined;
}
