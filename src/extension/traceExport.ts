// Exporting a trace as OTLP JSON or Chrome trace events: one typed function that the command (after
// parsing its untyped arguments) and the trace panel (after its message was validated) both call, so
// a typed request never goes back through executeCommand as `unknown`.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import * as vscode from 'vscode';
import type { TraceStore } from '../core/trace/store';
import { toChromeTrace } from '../core/trace/chrome';
import { toOtlpJson } from '../core/trace/otlp';
import type { TraceExportFormat } from '../protocol/messages';

export interface TraceExportRequest {
  traceId: string;
  /** Asked with a quick pick when absent. */
  format?: TraceExportFormat;
  /** File to write; a save dialog asks when absent. */
  target?: string;
}

/** Writes the export and returns its path, or undefined when the user cancelled a prompt. */
export async function exportTrace(store: TraceStore, request: TraceExportRequest): Promise<string | undefined> {
  const { traceId } = request;
  const format = request.format ?? (await vscode.window.showQuickPick([
    { label: 'OpenTelemetry (OTLP JSON)', format: 'otlp' as const, description: 'for a collector, Jaeger or Grafana Tempo' },
    { label: 'Chrome trace events', format: 'chrome' as const, description: 'opens in Perfetto or chrome://tracing' },
  ], { title: 'Export format' }))?.format;
  if (!format) return undefined;
  const trace = await store.read(traceId);
  const target = request.target !== undefined ? vscode.Uri.file(request.target) : await vscode.window.showSaveDialog({
    defaultUri: vscode.Uri.file(path.join(store.dir, `${traceId}.${format}.json`)),
    filters: { JSON: ['json'] },
    title: 'Export Trace',
  });
  if (!target) return undefined;
  const body = format === 'otlp' ? toOtlpJson(trace) : toChromeTrace(trace);
  await writeFile(target.fsPath, JSON.stringify(body, null, 2));
  void vscode.window.showInformationMessage(`Exported ${traceId} to ${target.fsPath}.`);
  return target.fsPath;
}
