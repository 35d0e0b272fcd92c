// The one protocol between the trace panel (webview) and the extension host. Each direction is a
// discriminated union keyed on `type`, declared once as a zod schema (wire format, validation and
// type); both sides safeParse on receipt and drop what does not match.
import { z } from 'zod';
import { TraceSchema } from '../core/trace/schema';

export const SessionTotalsSchema = z.object({
  runs: z.number().int().nonnegative(),
  toolCalls: z.number().int().nonnegative(),
  codeModeTokens: z.number().int().nonnegative(),
  classicTokens: z.number().int().nonnegative(),
});
export type SessionTotals = z.infer<typeof SessionTotalsSchema>;

/** Host → webview. A panel that was hidden always gets a full snapshot, never a delta. */
export const HostMessageSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('snapshot'),
    trace: TraceSchema.nullable(),
    session: SessionTotalsSchema,
    running: z.boolean(),
    selectedSpanId: z.string().optional(),
    /** When `trace` is a replay (trace.replayOf): the trace it replays, for the side-by-side view;
     *  absent or null when that trace is gone. */
    original: TraceSchema.nullable().optional(),
  }),
  z.object({ type: z.literal('selectSpan'), spanId: z.string() }),
  z.object({ type: z.literal('running'), running: z.boolean() }),
]);
export type HostMessage = z.infer<typeof HostMessageSchema>;

/** The formats a trace exports to (src/extension/traceExport.ts). */
export const TraceExportFormatSchema = z.enum(['otlp', 'chrome']);
export type TraceExportFormat = z.infer<typeof TraceExportFormatSchema>;

/** Webview → host. */
export const WebviewMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  z.object({ type: z.literal('spanSelected'), traceId: z.string(), spanId: z.string() }),
  z.object({ type: z.literal('openScriptLine'), traceId: z.string(), line: z.number().int().positive() }),
  z.object({ type: z.literal('exportTrace'), traceId: z.string(), format: TraceExportFormatSchema }),
  /** The user asked to replay this trace against its recorded tool results (the Replay button). */
  z.object({ type: z.literal('replayRun'), traceId: z.string() }),
  /** The person asked to save the shown run as a skill (the host asks the name and parameters). */
  z.object({ type: z.literal('saveAsSkill'), traceId: z.string() }),
  z.object({ type: z.literal('rendered'), traceId: z.string().nullable(), spans: z.number().int(), ms: z.number() }),
]);
export type WebviewMessage = z.infer<typeof WebviewMessageSchema>;

/** What the webview keeps across reloads (getState/setState and the panel serializer). */
export const PanelStateSchema = z.object({
  traceId: z.string().nullable(),
  selectedSpanId: z.string().optional(),
});
export type PanelState = z.infer<typeof PanelStateSchema>;
