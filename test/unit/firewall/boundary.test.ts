// The firewall's edges: the model-facing copy of a run result (value, logs, error), the restoring
// invoker and llm() hook, the category flags, conversation ids, the names of configured secrets,
// and the words the reply, the CLI and the panel use.
import { describe, expect, it } from 'vitest';
import { parseMcpConfigText } from '../../../src/core/catalog/config';
import { UsageError } from '../../../src/core/errors';
import { firewalledLlmHook, restoringInvoker } from '../../../src/core/firewall/boundary';
import { parseFirewallCategories } from '../../../src/core/firewall/categories';
import { conversationIdFrom, createConversationVaults } from '../../../src/core/firewall/conversations';
import { firewallResult, withheldNote } from '../../../src/core/firewall/runOutcome';
import { createPrivacyVault, summarizeWithheld } from '../../../src/core/firewall/vault';
import type { ToolCallRequest } from '../../../src/core/ports';
import type { RunResult } from '../../../src/core/sandbox/types';
import { withheldText } from '../../../src/webview/format';

const stats = { durationMs: 1, toolCalls: 1, cachedCalls: 0, failedToolCalls: 0, peakConcurrency: 1, logBytesDropped: 0 };
const SECRETS = { values: ['supersecret123'], named: [{ name: 'MY_TOKEN', value: 'supersecret123' }] };

describe('firewallResult', () => {
  it('withholds from the value and the logs, and leaves the original result alone', () => {
    const vault = createPrivacyVault();
    const result: RunResult = {
      ok: true,
      value: { env: { MY_TOKEN: 'supersecret123' }, owner: 'ada@example.com' },
      logs: [{ level: 'log', t: 1, text: '{"MY_TOKEN":"supersecret123"}' }, { level: 'warn', t: 2, text: 'mail ada@example.com' }],
      stats,
    };
    const { result: model, placeholders } = firewallResult(result, vault, SECRETS);
    expect(model).toEqual({
      ok: true,
      value: { env: { MY_TOKEN: '«secret:MY_TOKEN»' }, owner: '«email_1»' },
      logs: [{ level: 'log', t: 1, text: '{"MY_TOKEN":"«secret:MY_TOKEN»"}' }, { level: 'warn', t: 2, text: 'mail «email_1»' }],
      stats,
    });
    expect(summarizeWithheld(placeholders)).toEqual({ total: 2, byKind: { secrets: 1, emails: 1 } });
    expect(JSON.stringify(result)).toContain('supersecret123');
  });

  it('withholds from the error message and stack', () => {
    const vault = createPrivacyVault();
    const result: RunResult = {
      ok: false,
      error: { name: 'Error', code: 'guest_error', message: 'bad token supersecret123', stack: 'Error: bad token supersecret123\n    at <eval>:3' },
      logs: [],
      stats,
    };
    const { result: model } = firewallResult(result, vault, SECRETS);
    expect(model).toMatchObject({ ok: false, error: { message: 'bad token «secret:MY_TOKEN»', stack: 'Error: bad token «secret:MY_TOKEN»\n    at <eval>:3' } });
  });

  it('the note for the model says what was withheld and that placeholders can be passed on', () => {
    expect(withheldNote({ total: 0, byKind: {} })).toBeUndefined();
    expect(withheldNote({ total: 3, byKind: { secrets: 1, emails: 2 } })).toBe(
      'Privacy: 1 secret, 2 email addresses in this output were replaced by placeholders such as «email_1» or «secret:NAME». Use them as they are: passed to a tool in a later script, they are restored to the real values before the call.',
    );
    expect(withheldText({ total: 1, byKind: { phones: 1 } })).toBe('Withheld from the model: 1 phone number (it saw placeholders such as «email_1»)');
    expect(withheldText(undefined)).toBeUndefined();
  });
});

describe('restoringInvoker and firewalledLlmHook', () => {
  it('the invoker gets the real values; the vault of another conversation restores nothing', async () => {
    const vault = createPrivacyVault();
    vault.toModel('ada@example.com', { secrets: SECRETS });
    const seen: ToolCallRequest[] = [];
    const inner = { callTool: async (req: ToolCallRequest) => (seen.push(req), 'ok') };
    const signal = new AbortController().signal;
    await restoringInvoker(inner, vault).callTool({ server: 's', tool: 't', args: { to: '«email_1»', n: 1 } }, { signal, timeoutMs: 1000 });
    await restoringInvoker(inner, createPrivacyVault()).callTool({ server: 's', tool: 't', args: { to: '«email_1»' } }, { signal, timeoutMs: 1000 });
    expect(seen.map((r) => r.args)).toEqual([{ to: 'ada@example.com', n: 1 }, { to: '«email_1»' }]);
  });

  it('llm() prompts and system text reach the model firewalled; the reply gets real values back', async () => {
    const vault = createPrivacyVault();
    const sent: Array<{ prompt: string; system?: string }> = [];
    const withheld: string[] = [];
    const hook = firewalledLlmHook(
      async (prompt, o) => (sent.push({ prompt, system: o.system }), `Reply to «email_1» with ${prompt.includes('«secret:MY_TOKEN»') ? '«secret:MY_TOKEN»' : 'nothing'}`),
      vault,
      { secrets: SECRETS, onWithheld: (p) => withheld.push(...p.keys()) },
    );
    const reply = await hook('Summarize: ada@example.com sent supersecret123', { system: 'Be brief, ada@example.com' }, new AbortController().signal);
    expect(sent).toEqual([{ prompt: 'Summarize: «email_1» sent «secret:MY_TOKEN»', system: 'Be brief, «email_1»' }]);
    expect(reply).toBe('Reply to ada@example.com with supersecret123');
    expect(withheld.sort()).toEqual(['«email_1»', '«email_1»', '«secret:MY_TOKEN»']);
  });
});

describe('parseFirewallCategories (CLI flags)', () => {
  it('no flag = every category; a list adds secrets; --no-firewall-pii = secrets only', () => {
    expect([...parseFirewallCategories([], false)]).toEqual(['secrets', 'emails', 'phones', 'cards', 'ids']);
    expect([...parseFirewallCategories(['emails,cards'], false)]).toEqual(['secrets', 'emails', 'cards']);
    expect([...parseFirewallCategories(['phones', 'secrets'], false)]).toEqual(['secrets', 'phones']);
    expect([...parseFirewallCategories([], true)]).toEqual(['secrets']);
  });
  it('unknown names and both flags together are usage errors that list the categories', () => {
    expect(() => parseFirewallCategories(['email'], false)).toThrow(UsageError);
    expect(() => parseFirewallCategories(['email'], false)).toThrow('--firewall does not know the category "email". Categories: secrets, emails, phones, cards, ids (secrets are always withheld).');
    expect(() => parseFirewallCategories(['emails'], true)).toThrow('Use either --firewall LIST or --no-firewall-pii, not both.');
  });
});

describe('conversations', () => {
  it('one id, one vault; the least recently used conversation is dropped first', () => {
    let made = 0;
    const vaults = createConversationVaults({ create: () => (made++, createPrivacyVault()), maxConversations: 2 });
    const a = vaults.forConversation('a');
    expect(vaults.forConversation('a')).toBe(a);
    vaults.forConversation('b');
    vaults.forConversation('a'); // a is now the most recent
    vaults.forConversation('c'); // drops b
    expect(vaults.forConversation('a')).toBe(a);
    expect(made).toBe(3);
    vaults.forConversation('b');
    expect(made).toBe(4);
    expect(vaults.size).toBe(2);
  });

  it('a chat request continues the conversation its latest response recorded, else starts one', () => {
    expect(conversationIdFrom([undefined, { conversationId: 'c-1', traceId: 'x' }, undefined, { conversationId: 'c-2' }], () => 'new')).toBe('c-2');
    expect(conversationIdFrom([], () => 'new')).toBe('new');
    expect(conversationIdFrom([{ conversationId: 42 }, 'x', null], () => 'new')).toBe('new');
  });
});

describe('configured secrets carry their names', () => {
  it('the env variable or header that holds a value names it, over the input id', async () => {
    const parsed = await parseMcpConfigText(
      JSON.stringify({
        servers: {
          everything: { command: 'node', args: [], env: { MY_TOKEN: '${input:tok}', OTHER: 'plain-value-1' } },
          web: { type: 'http', url: 'https://api.example.com/mcp', headers: { Authorization: 'Bearer ${input:tok}' } },
        },
      }),
      { file: '/ws/.vscode/mcp.json', workspaceFolder: '/ws', env: {}, inputs: async () => 'supersecret123' },
    );
    expect(parsed.secrets.named).toEqual([
      { name: 'MY_TOKEN', value: 'supersecret123' },
      { name: 'OTHER', value: 'plain-value-1' },
      { name: 'Authorization', value: 'Bearer supersecret123' },
    ]);
    const vault = createPrivacyVault();
    expect(vault.toModel('a supersecret123 b Bearer supersecret123', { secrets: parsed.secrets }).value).toBe('a «secret:MY_TOKEN» b «secret:Authorization»');
  });
});
