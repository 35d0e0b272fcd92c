// How each thing a model sees is rendered as text before counting: function definitions as an
// OpenAI-style `tools` array, calls as name + JSON arguments, results as their JSON/text content,
// and MCP content blocks as a client sends them (images as image blocks, counted by size, not base64).
// The trace recorder (trace/recorder.ts) counts spans with these same functions.
import type { Catalog } from '../catalog/types';
import type { ToolDefinition } from '../codeMode/tools';
import { base64Head, imageSize, imageTokens, MAX_IMAGE_TOKENS } from './imageSize';

/** The function name a classic client would give a catalog tool (VS Code style). */
export function classicToolName(server: string, tool: string): string {
  return `mcp_${server}_${tool}`;
}

/** Definitions as sent in a request's `tools` array. */
export function definitionsText(defs: readonly ToolDefinition[]): string {
  return JSON.stringify(
    defs.map((d) => ({ type: 'function', function: { name: d.name, description: d.description, parameters: d.inputSchema } })),
  );
}

/** Every catalog tool as a classic definition. */
export function catalogDefinitions(catalog: Catalog): ToolDefinition[] {
  return catalog.servers.flatMap((s) =>
    s.tools.map((t) => ({
      name: classicToolName(s.name, t.name),
      description: t.description ?? t.title ?? '',
      inputSchema: t.inputSchema,
    })),
  );
}

/** JSON text of a value; strings stay as they are (a tool's text content). */
export function valueText(value: unknown): string {
  if (value === undefined) return '';
  if (typeof value === 'string') return value;
  try {
    return JSON.stringify(value) ?? '';
  } catch {
    return String(value);
  }
}

/** A tool call as the model writes it. */
export function toolCallText(server: string, tool: string, args: unknown): string {
  return `${classicToolName(server, tool)} ${valueText(args ?? {})}`;
}

/** What a client sends for a result: its text, plus image blocks counted by their size. */
export interface ResultParts {
  text: string;
  /** Tokens of the image blocks (Anthropic's size rule, imageSize.ts); 0 when there are none. */
  imageTokens: number;
  /** Image blocks whose size could not be read (counted as MAX_IMAGE_TOKENS each). */
  unreadableImages: number;
}

const CONTENT_TYPES = new Set(['text', 'image', 'audio', 'resource', 'resource_link']);

/** An MCP content array (the value toolValue gives when a result is not all text). */
function isContentArray(v: unknown): v is Record<string, unknown>[] {
  return Array.isArray(v) && v.length > 0 && v.every((c) => c !== null && typeof c === 'object' && CONTENT_TYPES.has(String((c as { type?: unknown }).type)));
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/**
 * A tool result (or error) as a client sends it to the model. MCP content blocks: text as its text,
 * an embedded resource by its text (a binary one by a one-line stand-in), a resource link and audio by
 * a one-line stand-in, an image as an image block (imageTokens) — never its base64 text.
 */
export function toolResultParts(result: unknown, error?: { message: string }): ResultParts {
  if (error) return { text: `Error: ${error.message}`, imageTokens: 0, unreadableImages: 0 };
  if (!isContentArray(result)) return { text: valueText(result), imageTokens: 0, unreadableImages: 0 };
  const texts: string[] = [];
  let tokens = 0;
  let unreadable = 0;
  for (const c of result) {
    switch (c.type) {
      case 'text':
        texts.push(str(c.text) ?? '');
        break;
      case 'image': {
        const size = imageSize(base64Head(str(c.data) ?? ''));
        if (size) tokens += imageTokens(size.width, size.height);
        else {
          tokens += MAX_IMAGE_TOKENS;
          unreadable++;
        }
        break;
      }
      case 'resource': {
        const r = (c.resource ?? {}) as Record<string, unknown>;
        const text = str(r.text);
        texts.push(text ?? `[resource ${str(r.uri) ?? ''} ${str(r.mimeType) ?? ''}]`.replace(/ +]/, ']'));
        break;
      }
      case 'resource_link':
        texts.push(`[resource ${str(c.uri) ?? ''} ${str(c.name) ?? ''}]`.replace(/ +]/, ']'));
        break;
      default:
        texts.push(`[${String(c.type)} ${str(c.mimeType) ?? ''}]`.replace(/ +]/, ']'));
    }
  }
  return { text: texts.join('\n'), imageTokens: tokens, unreadableImages: unreadable };
}

/** A tool result (or error) as the model reads it: the text part of toolResultParts. */
export function toolResultText(result: unknown, error?: { message: string }): string {
  return toolResultParts(result, error).text;
}
