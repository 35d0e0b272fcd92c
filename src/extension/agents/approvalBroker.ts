// Nested approvals in VS Code: a modal per call that needs one (tool, arguments, script line) and
// the "Always Allow" list kept in workspaceState. Tests replace the broker (a modal cannot be
// clicked from the extension host); closing the modal counts as Deny.
import * as vscode from 'vscode';
import type { AllowListStore, ApprovalAnswer, ApprovalBroker, ApprovalRequest } from '../../core/approvals/approvals';
import { approvalPrompt } from './agentText';

const ALLOW_LIST_KEY = 'toolweaver.approvals.alwaysAllow';

const BUTTONS: Array<{ title: string; answer: ApprovalAnswer }> = [
  { title: 'Allow Once', answer: 'once' },
  { title: 'Allow for This Run', answer: 'run' },
  { title: 'Always Allow', answer: 'always' },
  { title: 'Deny', answer: 'deny' },
];

/** Asks with a modal warning. A modal cannot be closed from code: after a timeout or cancel the
 *  engine has already denied the call, and a late answer is ignored. */
export function createModalBroker(scriptName: () => string | undefined): ApprovalBroker {
  return {
    async ask(req: ApprovalRequest, signal: AbortSignal): Promise<ApprovalAnswer> {
      const { message, detail } = approvalPrompt(req, scriptName());
      const items = BUTTONS.map((b) => ({ title: b.title, answer: b.answer, isCloseAffordance: b.answer === 'deny' }));
      const choice = await vscode.window.showWarningMessage(message, { modal: true, detail }, ...items);
      if (signal.aborted) return 'deny';
      return choice?.answer ?? 'deny';
    },
  };
}

/** The workspace's "Always Allow" list (keys `server/tool`). */
export function workspaceAllowList(state: vscode.Memento): AllowListStore & { keys(): string[]; clear(): Thenable<void> } {
  const keys = (): string[] => state.get<string[]>(ALLOW_LIST_KEY, []);
  return {
    keys,
    has: (key) => keys().includes(key),
    add: async (key) => {
      const now = keys();
      if (!now.includes(key)) await state.update(ALLOW_LIST_KEY, [...now, key]);
    },
    clear: () => state.update(ALLOW_LIST_KEY, undefined),
  };
}
