// The LanguageModel port (vscode.lm in the extension, a scripted fake in tests) and one helper that
// turns either reply shape (a text stream or a whole reply) into text plus a token count.
// Invariant: token counts are marked `estimated` unless the model reported them.

export interface ChatMessage {
  /** vscode.lm has no system role: its adapter sends 'system' as a leading user message. */
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface ModelUsage {
  inputTokens?: number;
  outputTokens?: number;
}

export interface ModelReply {
  text: string;
  usage?: ModelUsage;
}

/** A chat model. `sendRequest` may stream text chunks or resolve with the whole reply. */
export interface LanguageModel {
  name: string;
  sendRequest(messages: ChatMessage[], opts: { signal: AbortSignal }): AsyncIterable<string> | Promise<ModelReply>;
  countTokens?(text: string): number | Promise<number>;
  /** Largest prompt the model accepts, when known. */
  maxInputTokens?: number;
}

export interface Completion {
  text: string;
  inputTokens: number;
  outputTokens: number;
  /** True when either count is an estimate (no usage from the model). */
  estimated: boolean;
}

/** Rough count when the model gives none: ~4 characters per token. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

async function countWith(model: LanguageModel, text: string): Promise<number> {
  if (!model.countTokens) return estimateTokens(text);
  try {
    return await model.countTokens(text);
  } catch {
    return estimateTokens(text);
  }
}

function isAsyncIterable(v: unknown): v is AsyncIterable<string> {
  return typeof v === 'object' && v !== null && Symbol.asyncIterator in v;
}

/** Sends one request and returns the full text with token counts; `onChunk` sees streamed text. */
export async function complete(
  model: LanguageModel,
  messages: ChatMessage[],
  opts: { signal: AbortSignal; onChunk?: (chunk: string) => void },
): Promise<Completion> {
  const reply = model.sendRequest(messages, { signal: opts.signal });
  let text = '';
  let usage: ModelUsage | undefined;
  if (isAsyncIterable(reply)) {
    for await (const chunk of reply) {
      if (opts.signal.aborted) break;
      text += chunk;
      opts.onChunk?.(chunk);
    }
  } else {
    const r = await reply;
    text = r.text;
    usage = r.usage;
    opts.onChunk?.(text);
  }
  const estimated = usage?.inputTokens === undefined || usage?.outputTokens === undefined;
  const inputTokens = usage?.inputTokens ?? (await countWith(model, messages.map((m) => m.content).join('\n')));
  const outputTokens = usage?.outputTokens ?? (await countWith(model, text));
  return { text, inputTokens, outputTokens, estimated };
}
