// Zod schemas for what servers send us (tools/list pages and tools/call results), stricter where
// we rely on a field and loose elsewhere. Invariant: callers get typed data or a message that
// names the offending field (`tools[3].inputSchema`), never a raw ZodError.
import { z } from 'zod';
import type { CatalogTool, JsonSchema, ToolAnnotations } from './types';

const JsonObject = z.record(z.string(), z.unknown());

const AnnotationsSchema = z.looseObject({
  title: z.string().optional(),
  readOnlyHint: z.boolean().optional(),
  destructiveHint: z.boolean().optional(),
  idempotentHint: z.boolean().optional(),
  openWorldHint: z.boolean().optional(),
});

const WireToolSchema = z.looseObject({
  name: z.string().min(1, 'must be a non-empty string'),
  title: z.string().optional(),
  description: z.string().optional(),
  inputSchema: JsonObject.optional(),
  outputSchema: JsonObject.optional(),
  annotations: AnnotationsSchema.optional(),
});

export const ToolsListPageSchema = z.looseObject({
  tools: z.array(WireToolSchema),
  nextCursor: z.string().optional(),
});

const ContentItemSchema = z.looseObject({ type: z.string() });

export const CallToolResultSchema = z.looseObject({
  content: z.array(ContentItemSchema).default([]),
  structuredContent: JsonObject.optional(),
  isError: z.boolean().optional(),
});
export type WireCallToolResult = z.infer<typeof CallToolResultSchema>;

/** A tool as validated from the wire, before identifiers are assigned. */
export type WireTool = Omit<CatalogTool, 'ident'>;

/** Dotted path of the first issue, e.g. `tools[3].inputSchema`. */
export function issuePath(err: z.ZodError, prefix = ''): string {
  const issue = err.issues[0];
  let out = prefix;
  for (const p of issue?.path ?? []) out += typeof p === 'number' ? `[${p}]` : out ? `.${String(p)}` : String(p);
  return out || 'result';
}

export function firstIssueMessage(err: z.ZodError): string {
  return err.issues[0]?.message ?? 'invalid value';
}

/** Converts one validated wire tool to the catalog's shape (inputSchema always an object schema). */
export function toWireTool(t: z.infer<typeof WireToolSchema>): WireTool {
  const input: JsonSchema = t.inputSchema && typeof t.inputSchema === 'object' ? t.inputSchema : { type: 'object' };
  const annotations: ToolAnnotations | undefined = t.annotations
    ? pickDefined({
        title: t.annotations.title,
        readOnlyHint: t.annotations.readOnlyHint,
        destructiveHint: t.annotations.destructiveHint,
        idempotentHint: t.annotations.idempotentHint,
        openWorldHint: t.annotations.openWorldHint,
      })
    : undefined;
  return pickDefined({
    name: t.name,
    title: t.title,
    description: t.description,
    inputSchema: input.type === undefined ? { type: 'object', ...input } : input,
    outputSchema: t.outputSchema,
    annotations: annotations && Object.keys(annotations).length > 0 ? annotations : undefined,
  }) as WireTool;
}

function pickDefined<T extends Record<string, unknown>>(obj: T): T {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined)) as T;
}

/** Canonical JSON (sorted keys) for hashing and deep comparison. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

/** `_meta` key of a call's idempotency key (ToolCallOptions.idempotencyKey). MCP has no standard
 *  one yet; this is the field name of the proposal (SEP-3182), unprefixed as _meta allows. */
export const IDEMPOTENCY_META_KEY = 'idempotencyKey';

/** tools/call params; the SDK adds `_meta.progressToken` next to the key. */
export function callParams(tool: string, args: Record<string, unknown>, key: string | undefined): { name: string; arguments: Record<string, unknown>; _meta?: Record<string, unknown> } {
  return key === undefined ? { name: tool, arguments: args } : { name: tool, arguments: args, _meta: { [IDEMPOTENCY_META_KEY]: key } };
}
