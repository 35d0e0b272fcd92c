// The @toolweaver chat participant: the selected chat model writes one script against the stubs,
// ToolWeaver type-checks and runs it through RunService (trace, approvals), feeds errors back and
// retries within the toolweaver.agent.* budget. The turn logic lives in chatTurn.ts (pure).
import * as vscode from 'vscode';
import type { AgentLoopDeps } from '../../core/agents/agentLoop';
import { chatSurface } from '../../core/agents/agentPrompt';
import { createConversationAccounts } from '../../core/account/conversation';
import { CONVERSATION_METADATA_KEY, conversationIdFrom } from '../../core/firewall/conversations';
import type { CatalogService } from '../catalogService';
import type { RunService } from '../runService';
import { readSettings } from '../settings';
import { historyMessages, runChatTurn, type ChatSink } from './chatTurn';
import { runSkillTurn, type SkillTurnSink } from './skillTurn';
import { settledCatalog } from './lmTools';
import { extensionRunCode } from './runCodeAdapter';
import type { TypeCheckService } from './typeCheckService';
import { fromChatModel } from './vscodeModel';

/** Keep in sync with contributes.chatParticipants in package.json. */
export const CHAT_PARTICIPANT_ID = 'toolweaver.agent';
/** `@toolweaver /skill [name]`: keep in sync with the participant's commands in package.json. */
export const SKILL_COMMAND = 'skill';

export interface ChatParticipantDeps {
  catalog: CatalogService;
  runs: RunService;
  typeCheck: TypeCheckService;
  extensionUri: vscode.Uri;
}

function turnText(turn: vscode.ChatRequestTurn | vscode.ChatResponseTurn): { role: 'user' | 'assistant'; text: string } {
  if (turn instanceof vscode.ChatRequestTurn) return { role: 'user', text: turn.prompt };
  const text = turn.response
    .map((part) => (part instanceof vscode.ChatResponseMarkdownPart ? part.value.value : ''))
    .join('');
  return { role: 'assistant', text };
}

function streamSink(stream: vscode.ChatResponseStream): ChatSink {
  return {
    progress: (text) => stream.progress(text),
    markdown: (text) => stream.markdown(text),
    traceLink: (traceId) => stream.button({ command: 'toolweaver.openTrace', title: 'Open Trace', arguments: [traceId] }),
  };
}

function skillSink(stream: vscode.ChatResponseStream): SkillTurnSink {
  return {
    progress: (text) => stream.progress(text),
    markdown: (text) => stream.markdown(text),
    saveButton: (args) => stream.button({ command: 'toolweaver.saveRunAsSkill', title: 'Save Run as Skill…', arguments: [args.traceId, { proposal: args }] }),
  };
}

/** The last run of the conversation: its trace id (from our responses' metadata) and the request that made it. */
function lastRun(history: vscode.ChatContext['history']): { traceId?: string; task?: string } {
  for (let i = history.length - 1; i >= 0; i--) {
    const turn = history[i]!;
    const traceId: unknown = turn instanceof vscode.ChatResponseTurn ? turn.result.metadata?.traceId : undefined;
    if (typeof traceId !== 'string') continue;
    const asked = history[i - 1];
    return { traceId, task: asked instanceof vscode.ChatRequestTurn ? asked.prompt : undefined };
  }
  return {};
}

/** The request handler (exported for the e2e test, which drives it with a scripted chat model). */
export function createChatHandler(deps: ChatParticipantDeps): vscode.ChatRequestHandler {
  // Token accounts per chat conversation, under the same key as its privacy vault.
  const accounts = createConversationAccounts();
  return async (request, context, stream, token) => {
    const ac = new AbortController();
    const sub = token.onCancellationRequested(() => ac.abort());
    try {
      if (request.command === SKILL_COMMAND) {
        const last = lastRun(context.history);
        const store = deps.runs.store();
        await runSkillTurn(
          {
            model: fromChatModel(request.model, 'ToolWeaver asks which literals of the script become the skill\'s inputs.'),
            lastTraceId: store ? last.traceId : undefined,
            lastTask: last.task,
            readTrace: (id) => store!.read(id),
          },
          { prompt: request.prompt, signal: ac.signal },
          skillSink(stream),
        );
        return {};
      }
      await settledCatalog(deps.catalog);
      const settings = readSettings(deps.catalog.folder?.uri);
      // One privacy-firewall conversation per chat session: its id rides in our responses' metadata.
      const conversationId = conversationIdFrom(context.history.map((t) => (t instanceof vscode.ChatResponseTurn ? t.result.metadata : undefined)));
      const loopDeps: AgentLoopDeps = {
        model: fromChatModel(request.model, 'ToolWeaver writes and runs a script for your request.'),
        catalog: deps.catalog.catalog,
        runCode: extensionRunCode(deps.runs, 'chat', `chat:${conversationId}`),
        conversation: accounts.forConversation(`chat:${conversationId}`, () => chatSurface(deps.catalog.catalog)),
        typeCheck: settings.typeCheck.enabled ? (code, language) => deps.typeCheck.check(code, language) : undefined,
      };
      const outcome = await runChatTurn(
        loopDeps,
        {
          task: request.prompt,
          history: historyMessages(context.history.map(turnText)),
          maxIterations: settings.agent.maxIterations,
          maxTokens: settings.agent.maxTokens,
          signal: ac.signal,
        },
        streamSink(stream),
      );
      if (outcome.result === undefined) return { errorDetails: { message: outcome.error }, metadata: { [CONVERSATION_METADATA_KEY]: conversationId } };
      const r = outcome.result;
      return { metadata: { stopReason: r.stopReason, traceId: r.traceId, iterations: r.iterations, tokens: r.tokens, [CONVERSATION_METADATA_KEY]: conversationId } };
    } finally {
      sub.dispose();
    }
  };
}

/** Creates the participant; dispose it with the extension. */
export function registerChatParticipant(deps: ChatParticipantDeps): vscode.Disposable {
  const participant = vscode.chat.createChatParticipant(CHAT_PARTICIPANT_ID, createChatHandler(deps));
  participant.iconPath = vscode.Uri.joinPath(deps.extensionUri, 'media', 'icon.png');
  return participant;
}
