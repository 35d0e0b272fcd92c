// Privacy vaults by conversation, for hosts that serve several at once (the extension: each chat
// conversation, the LM tools). Invariant: one id always maps to the same vault while it is kept;
// the least recently used conversation is dropped first, and a dropped one never comes back.
import { randomUUID } from 'node:crypto';
import type { PrivacyVault } from './vault';

/** Conversations kept at once by default (each vault holds the values its conversation withheld). */
export const DEFAULT_MAX_CONVERSATIONS = 64;

export interface ConversationVaults {
  /** The vault of conversation `id`, created on first use. */
  forConversation(id: string): PrivacyVault;
  readonly size: number;
}

/** Creates the registry; `create` makes the vault of a new conversation. */
export function createConversationVaults(opts: { create: () => PrivacyVault; maxConversations?: number }): ConversationVaults {
  const max = opts.maxConversations ?? DEFAULT_MAX_CONVERSATIONS;
  const vaults = new Map<string, PrivacyVault>();
  return {
    forConversation(id) {
      let vault = vaults.get(id);
      if (vault) {
        vaults.delete(id); // re-inserted below: Map order is the recency order
      } else {
        vault = opts.create();
        while (vaults.size >= max) vaults.delete(vaults.keys().next().value as string);
      }
      vaults.set(id, vault);
      return vault;
    },
    get size() {
      return vaults.size;
    },
  };
}

/** The metadata key a chat response carries its conversation id under. */
export const CONVERSATION_METADATA_KEY = 'conversationId';

/**
 * The conversation a chat request belongs to: the id the latest earlier response of this
 * participant recorded in its metadata (VS Code gives each request the history of its chat
 * session), or a new one for a new conversation.
 */
export function conversationIdFrom(metadatas: ReadonlyArray<unknown>, fresh: () => string = randomUUID): string {
  for (let i = metadatas.length - 1; i >= 0; i--) {
    const m = metadatas[i];
    if (typeof m === 'object' && m !== null) {
      const id = (m as Record<string, unknown>)[CONVERSATION_METADATA_KEY];
      if (typeof id === 'string' && id.length > 0 && id.length <= 200) return id;
    }
  }
  return fresh();
}
