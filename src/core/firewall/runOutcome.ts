// The model-facing copy of a run's result: the value, the log texts and the error's message and
// stack with secrets and PII replaced by the conversation's placeholders (vault.ts). Invariant:
// this is the one place a run outcome is firewalled; every surface formats the copy, never the
// original (run_code over MCP and the LM tool, the chat participant, the CLI's printed value).
import type { ConfigSecrets } from '../catalog/types';
import type { RunResult } from '../sandbox/types';
import type { FirewallCategory } from './categories';
import type { Withheld } from '../trace/schema';
import type { PrivacyVault } from './vault';
import { describeWithheld } from './words';

/** A run's result as a model may see it, and what was withheld from it. */
export interface ModelRunResult {
  result: RunResult;
  /** Placeholder → category of every value withheld from `result`. */
  placeholders: ReadonlyMap<string, FirewallCategory>;
}

/** Firewalls `result` through `vault` (a copy; the input is not modified). One toModel call for
 *  the whole outcome, so the vault's settings are read once per run. */
export function firewallResult(result: RunResult, vault: PrivacyVault, secrets?: ConfigSecrets): ModelRunResult {
  // None of these keys is a secret-ish field name, so only the contents are judged.
  const parts = {
    value: result.ok ? result.value : undefined,
    logs: result.logs.map((l) => l.text),
    message: result.ok ? '' : result.error.message,
    stack: result.ok ? undefined : result.error.stack,
  };
  const { value: safe, placeholders } = vault.toModel(parts, { secrets });
  const logs = result.logs.map((l, i) => ({ ...l, text: safe.logs[i] ?? '' }));
  if (result.ok) return { result: { ...result, value: safe.value, logs }, placeholders };
  const error = { ...result.error, message: safe.message };
  if (safe.stack !== undefined) error.stack = safe.stack;
  return { result: { ...result, error, logs }, placeholders };
}

/** The sentence a model gets with a run whose outcome had values withheld, or undefined. */
export function withheldNote(w: Withheld | undefined): string | undefined {
  if (!w || w.total === 0) return undefined;
  return `Privacy: ${describeWithheld(w)} in this output ${w.total === 1 ? 'was' : 'were'} replaced by placeholders such as «email_1» or «secret:NAME». Use them as they are: passed to a tool in a later script, they are restored to the real values before the call.`;
}

