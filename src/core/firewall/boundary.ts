// Where the privacy firewall meets a run: tool-call arguments get the conversation's placeholders
// restored before the invoker sees them, and `llm()` prompts get findings replaced before a model
// sees them. Invariant: only the vault given here restores (never another conversation's).
import type { ConfigSecrets } from '../catalog/types';
import type { ToolInvoker } from '../ports';
import type { LlmHook } from '../sandbox/types';
import type { FirewallCategory } from './categories';
import type { PrivacyVault } from './vault';

/** The invoker with placeholders in every call's arguments restored first (deep, also inside strings). */
export function restoringInvoker(invoker: ToolInvoker, vault: PrivacyVault): ToolInvoker {
  return {
    callTool: (req, opts) => invoker.callTool({ ...req, args: vault.fromModel(req.args) }, opts),
  };
}

/**
 * The llm() hook with the prompt and system text firewalled before the model gets them, and the
 * conversation's placeholders in the reply restored for the script (which may see real values).
 * `onWithheld` gets the placeholders each prompt carried (the run's trace counts them).
 */
export function firewalledLlmHook(
  hook: LlmHook,
  vault: PrivacyVault,
  opts: { secrets?: ConfigSecrets; onWithheld?: (placeholders: ReadonlyMap<string, FirewallCategory>) => void },
): LlmHook {
  return async (prompt, o, signal) => {
    const p = vault.toModel(prompt, { secrets: opts.secrets });
    const s = o.system === undefined ? undefined : vault.toModel(o.system, { secrets: opts.secrets });
    opts.onWithheld?.(p.placeholders);
    if (s) opts.onWithheld?.(s.placeholders);
    const reply = await hook(p.value, s ? { ...o, system: s.value } : o, signal);
    return typeof reply === 'string' ? vault.fromModel(reply) : { ...reply, text: vault.fromModel(reply.text) };
  };
}
