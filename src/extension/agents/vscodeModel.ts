// vscode.lm behind the core LanguageModel port: the chat participant's request.model, and the
// model `llm()` inside scripts would use (chosen by the toolweaver.llm.model setting), with quotas.
// vscode.lm has no system role: system text goes first as a user message.
import * as vscode from 'vscode';
import type { ChatMessage, LanguageModel } from '../../core/llm/languageModel';
import { createLlmBridge, type LlmBridge } from '../../core/llm/llmBridge';
import type { Settings } from '../settings';

function toVscodeMessages(messages: ChatMessage[]): vscode.LanguageModelChatMessage[] {
  return messages.map((m) =>
    m.role === 'assistant' ? vscode.LanguageModelChatMessage.Assistant(m.content) : vscode.LanguageModelChatMessage.User(m.role === 'system' ? `Instructions:\n${m.content}` : m.content),
  );
}

/** Adapts one vscode.lm chat model; the stream stops when the signal aborts. */
export function fromChatModel(model: vscode.LanguageModelChat, justification?: string): LanguageModel {
  return {
    name: `${model.vendor}/${model.family}${model.name ? ` (${model.name})` : ''}`,
    maxInputTokens: model.maxInputTokens,
    countTokens: async (text) => model.countTokens(text),
    sendRequest(messages, { signal }) {
      return (async function* () {
        const cts = new vscode.CancellationTokenSource();
        const onAbort = (): void => cts.cancel();
        signal.addEventListener('abort', onAbort, { once: true });
        try {
          const response = await model.sendRequest(toVscodeMessages(messages), justification ? { justification } : {}, cts.token);
          for await (const chunk of response.text) yield chunk;
        } finally {
          signal.removeEventListener('abort', onAbort);
          cts.dispose();
        }
      })();
    },
  };
}

/** The first chat model matching the setting (vendor/family; empty = any), or undefined. */
export async function selectConfiguredModel(settings: Settings, family?: string): Promise<vscode.LanguageModelChat | undefined> {
  const selector: vscode.LanguageModelChatSelector = {};
  if (settings.llm.vendor) selector.vendor = settings.llm.vendor;
  if (family ?? settings.llm.family) selector.family = family ?? settings.llm.family;
  const models = await vscode.lm.selectChatModels(selector);
  return models[0];
}

/**
 * A model that picks its vscode.lm chat model on first use (selection is async; the bridge's
 * resolver is not). `family` comes from `llm(prompt, { model })`.
 */
function lazyModel(settings: Settings, family: string | undefined): LanguageModel {
  let chosen: Promise<LanguageModel> | undefined;
  const resolve = (): Promise<LanguageModel> =>
    (chosen ??= selectConfiguredModel(settings, family).then((m) => {
      if (!m) {
        const want = [settings.llm.vendor && `vendor "${settings.llm.vendor}"`, (family ?? settings.llm.family) && `family "${family ?? settings.llm.family}"`].filter(Boolean).join(', ');
        throw new Error(`no chat model${want ? ` with ${want}` : ''} is available in VS Code (install or sign in to a model provider, or change toolweaver.llm.model)`);
      }
      return fromChatModel(m, 'A ToolWeaver script calls llm().');
    }));
  return {
    name: family ?? (settings.llm.family || 'vscode.lm'),
    sendRequest(messages, opts) {
      return (async function* () {
        const model = await resolve();
        const reply = model.sendRequest(messages, opts);
        if (Symbol.asyncIterator in reply) yield* reply;
        else yield (await reply).text;
      })();
    },
  };
}

/** The per-run llm() bridge over vscode.lm, with the quotas of the toolweaver.llm.* settings. */
export function createVscodeLlmBridge(settings: Settings): LlmBridge {
  const models = new Map<string, LanguageModel>();
  return createLlmBridge({
    model: (name) => {
      const key = name ?? '';
      let m = models.get(key);
      if (!m) models.set(key, (m = lazyModel(settings, name)));
      return m;
    },
    maxCalls: settings.llm.maxCalls,
    maxTokens: settings.llm.maxTokens,
    timeoutMs: settings.llm.timeoutMs,
  });
}
