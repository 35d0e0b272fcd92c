// What a run tells the user in VS Code: the pre-run type check's refusal (problems in the editor, the
// safe choice first) and a finished run's log lines and failure toast. Invariant: words first; an
// error code appears only in the log, never as the message a user reads.
import * as vscode from 'vscode';
import { formatDiagnostics } from '../core/agents/typeCheck';
import { describeCause } from '../core/errors';
import { describeRunErrorCode } from '../core/sandbox/errorWords';
import type { TypeCheckService } from './agents/typeCheckService';
import type { RunOutcome, RunRequest } from './runService';

/** Checks the script; on errors shows them in the editor and asks (interactive) whether to run anyway. */
export async function preRunTypeCheck(checker: TypeCheckService, request: RunRequest, log: vscode.LogOutputChannel): Promise<{ pass: boolean; refusal?: { reason: 'type_errors'; message: string } }> {
  let diags;
  try {
    diags = await checker.check(request.source, request.language);
  } catch (err) {
    // A broken checker must not block runs: say so and run unchecked.
    log.warn(`Type check unavailable, running unchecked: ${describeCause(err)}`);
    return { pass: true };
  }
  if (request.uri) {
    if (diags.length) checker.show(request.uri, diags, request.lineOffset ?? 0);
    else checker.clear(request.uri);
  }
  if (diags.length === 0) return { pass: true };
  const first = diags[0]!;
  const line = first.line + (request.lineOffset ?? 0);
  const message = `ToolWeaver: the script has ${diags.length} type error${diags.length === 1 ? '' : 's'} against the tool stubs, so it was not run. First, at line ${line}: ${first.message}`;
  const refusal = { reason: 'type_errors' as const, message: `${message}\n${formatDiagnostics(diags)}` };
  log.warn(`${message}\n${formatDiagnostics(diags)}`);
  if (request.interactive === false) return { pass: false, refusal };
  // The safe choice comes first (VS Code styles the first action as the primary button).
  const look = request.uri ? 'Show Problems' : 'Show Errors';
  const choice = await vscode.window.showErrorMessage(message, look, 'Run Anyway');
  if (choice === 'Show Problems') await vscode.commands.executeCommand('workbench.actions.view.problems');
  if (choice === 'Show Errors') log.show(true);
  return { pass: choice === 'Run Anyway', refusal };
}

/** Logs the outcome and shows an actionable message when it failed. */
export function reportRunOutcome({ result, trace, traceFile }: RunOutcome, request: RunRequest, log: vscode.LogOutputChannel): void {
  const interactive = request.interactive !== false;
  for (const l of result.logs) log.info(`[script ${l.level}] ${l.text}`);
  log.info(`Run ${trace.id}: ${trace.status} in ${Math.round(result.stats.durationMs)} ms, ${result.stats.toolCalls} tool calls (trace: ${traceFile})`);
  if (result.ok) {
    log.info(`Value: ${JSON.stringify(result.value)?.slice(0, 2000) ?? 'undefined'}`);
    return;
  }
  const e = result.error;
  const where = e.server && e.tool ? ` in ${e.server}.${e.tool}` : '';
  const line = e.line !== undefined ? e.line + (request.lineOffset ?? 0) : undefined;
  // Words first, the code only in the log (issue 14: no `guest_error` in what users read).
  const message = `ToolWeaver: ${describeRunErrorCode(e.code).replace(/^The /, 'the ').replace(/^A /, 'a ')}${where}${line ? ` at line ${line}` : ''}: ${e.message}`;
  log.error(`${message} (${e.name}, code ${e.code})`);
  if (!interactive) return;
  const actions = [...(line && request.uri ? ['Go to Line'] : []), 'Open Trace'];
  void vscode.window.showErrorMessage(message, ...actions).then(async (choice) => {
    if (choice === 'Go to Line' && request.uri && line) {
      const editor = await vscode.window.showTextDocument(request.uri);
      const pos = new vscode.Position(line - 1, Math.max(0, (e.column ?? 1) - 1));
      editor.selection = new vscode.Selection(pos, pos);
      editor.revealRange(new vscode.Range(pos, pos), vscode.TextEditorRevealType.InCenter);
    }
    if (choice === 'Open Trace') await vscode.commands.executeCommand('toolweaver.openTrace', trace.id);
  });
}

/** A workspaceState stand-in when none is given (tests constructing the service by hand). */
export function memoryMemento(): vscode.Memento {
  const map = new Map<string, unknown>();
  return {
    keys: () => [...map.keys()],
    get: <T>(key: string, fallback?: T) => (map.has(key) ? (map.get(key) as T) : fallback) as T,
    update: async (key: string, value: unknown) => {
      if (value === undefined) map.delete(key);
      else map.set(key, value);
    },
  };
}
