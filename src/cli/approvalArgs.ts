// The approval flags `run` and `mcp` share (--allow, --deny, --allow-all, --policy) and the policy
// they make. Invariant: with no flag at all the policy is the safe default, so a tool that may
// change things never runs unasked outside VS Code.
import path from 'node:path';
import { list, bool, type FlagSpec, type ParsedArgs } from './args';
import type { CliIo } from './command';
import { policyFromFlags, type ApprovalPolicy } from '../core/approvals/approvals';
import { loadPolicyFile } from '../core/approvals/approvalSchema';

/** The flags; `run` and `mcp` add them to their own. */
export const APPROVAL_FLAGS: FlagSpec = {
  allow: { kind: 'list', help: 'allow calls to server/tool without approval (glob, repeatable; "fs" = "fs/*"). Without it, tools that may change things (not annotated read-only) are denied unless someone can be asked' },
  deny: { kind: 'list', help: 'deny calls to server/tool (glob, repeatable; the most specific rule wins)' },
  'allow-all': { kind: 'boolean', help: 'allow every call, including tools that may change things (decisions still go into the trace)' },
  policy: { kind: 'list', help: 'approval policy file, JSON { default, readOnly, rules: [{ match, action }], timeoutSeconds } as in the toolweaver.approvals setting; a second file can only tighten the first' },
};

/** The policy and the approval timeout (from the first policy file) the flags ask for. */
export async function approvalPolicyFromArgs(args: ParsedArgs, io: CliIo): Promise<{ policy: ApprovalPolicy; timeoutMs?: number }> {
  const files = await Promise.all(list(args, 'policy').map((f) => loadPolicyFile(path.resolve(io.cwd, f))));
  const policy = policyFromFlags({ allow: list(args, 'allow'), deny: list(args, 'deny'), allowAll: bool(args, 'allow-all') }, files);
  const seconds = files.map((f) => f.timeoutSeconds).filter((s): s is number => s !== undefined);
  // A later file can only shorten the wait (an unanswered prompt is a denial).
  return seconds.length ? { policy, timeoutMs: Math.min(...seconds) * 1000 } : { policy };
}
