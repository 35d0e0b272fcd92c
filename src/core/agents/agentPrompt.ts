// What the agent loop tells the model (system prompt with a compact manifest instead of every
// definition) and how it reads replies (code blocks, search/describe requests). Pure functions.
import type { Catalog } from '../catalog/types';
import { neutralize } from '../untrusted/unicode';
import { toolSignature } from '../discovery/stubText';

/** Up to this many tools the manifest shows full one-line signatures. */
export const MANIFEST_SIGNATURE_LIMIT = 40;
/** Up to this many tools the manifest lists names; beyond, servers with counts only. */
export const MANIFEST_NAME_LIMIT = 300;

/** Server text (descriptions, instructions) on one line, hidden characters made visible. */
function short(text: string | undefined, max = 90): string {
  const t = neutralize(text ?? '').replace(/\s+/g, ' ').trim();
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
}

/** A compact listing of the catalog sized to its number of tools. */
export function buildManifest(catalog: Catalog): string {
  const total = catalog.servers.reduce((n, s) => n + s.tools.length, 0);
  const lines: string[] = [];
  for (const s of catalog.servers) {
    if (total <= MANIFEST_SIGNATURE_LIMIT) {
      for (const t of s.tools) {
        const call = toolSignature(s, t).split('\n').pop() ?? '';
        lines.push(`- ${call}${t.description ? ` — ${short(t.description)}` : ''}`);
      }
    } else if (total <= MANIFEST_NAME_LIMIT) {
      lines.push(`- tools.${s.ident}: ${s.tools.map((t) => t.ident).join(', ')}`);
    } else {
      lines.push(`- tools.${s.ident}: ${s.tools.length} tools${s.instructions ? ` — ${short(s.instructions)}` : ''}`);
    }
  }
  return `${total} tools on ${catalog.servers.length} servers:\n${lines.join('\n')}`;
}

/** The system prompt: environment, affordances, reply protocol and the manifest. */
export function buildSystemPrompt(catalog: Catalog): string {
  return [
    'You solve tasks by writing one TypeScript script that ToolWeaver runs in a sandbox.',
    'In the script:',
    '- Call tools as `await tools.<server>.<tool>(args)`; each returns a Promise of the tool result.',
    '- Top-level `await` and `return` work; the returned value is the script result (keep it small: return only what the answer needs).',
    '- Helpers are globals: retry, map(items, fn, { concurrency }), parallel, timeout, sleep, poll, fallback, race, batch, dag, pipe.',
    '- console.log output is shown to you. There is no network, file system or require/import except through tools.',
    '- A failed tool call throws a ToolError (with .code, .server, .tool) that you can catch.',
    '',
    'Reply in exactly one of these forms:',
    '1. A script in one ```ts code block (nothing else is run). It is type-checked against the tool stubs first.',
    '2. To look tools up before writing code, lines of the form `search_tools: <what you need>` or `describe_tool: <server.tool>`.',
    '3. The final answer to the user in plain words, with no code block, once a script result gives you what you need.',
    'Only state facts that a script result showed. If a tool or the task fails, say so plainly; never invent results.',
    '',
    buildManifest(catalog),
  ].join('\n');
}

export interface ExtractedCode {
  code: string;
  language: 'ts' | 'js';
}

/** The first ts/js (or untagged) fenced code block of a reply, fences stripped; undefined if none. */
export function extractCode(reply: string): ExtractedCode | undefined {
  const fence = /(^|\n)[ \t]*(`{3,}|~{3,})[ \t]*([\w+-]*)[^\n]*\n([\s\S]*?)\n[ \t]*\2[ \t]*(?=\n|$)/g;
  for (let m = fence.exec(reply); m; m = fence.exec(reply)) {
    const lang = (m[3] ?? '').toLowerCase();
    if (['', 'ts', 'typescript', 'js', 'javascript', 'tsx', 'mjs'].includes(lang)) {
      return { code: m[4] ?? '', language: lang === 'js' || lang === 'javascript' || lang === 'mjs' ? 'js' : 'ts' };
    }
  }
  // An unterminated fence at the end (a reply cut off by the model's output limit).
  const open = /(^|\n)[ \t]*```[ \t]*(ts|typescript|js|javascript)?[^\n]*\n([\s\S]*)$/.exec(reply);
  if (open && !open[3]?.includes('```')) return { code: open[3] ?? '', language: open[2]?.startsWith('j') ? 'js' : 'ts' };
  return undefined;
}

export interface Lookup {
  kind: 'search' | 'describe';
  query: string;
}

/** `search_tools:` / `describe_tool:` lines of a reply (at most 5). */
export function parseLookups(reply: string): Lookup[] {
  const out: Lookup[] = [];
  for (const line of reply.split('\n')) {
    const m = /^\s*[-*]?\s*`?(search_tools|describe_tool)\s*:\s*(.+?)`?\s*$/i.exec(line);
    if (m && m[2]) out.push({ kind: m[1]?.toLowerCase() === 'search_tools' ? 'search' : 'describe', query: m[2].trim() });
  }
  return out.slice(0, 5);
}
