// The `toolweaver.approvals` setting's schema (pure zod, no vscode import, so vitest covers it).
// Invariant: a bad value never disables approvals: bad fields fall back to the safe defaults and
// bad rules are dropped one by one while the rest still apply.
import { z } from 'zod';
import type { ApprovalPolicy } from '../../core/agents/approvals';

const ActionSchema = z.enum(['allow', 'ask', 'deny']);
const RuleSchema = z.object({ match: z.string().min(1), action: ActionSchema });

export const DEFAULT_APPROVALS = { default: 'ask', readOnly: 'allow', rules: [], timeoutSeconds: 120 } as const;

/** Validates the raw setting; see the invariant above. */
export const ApprovalsSettingSchema = z
  .object({
    default: ActionSchema.catch(DEFAULT_APPROVALS.default),
    readOnly: ActionSchema.catch(DEFAULT_APPROVALS.readOnly),
    rules: z
      .array(z.unknown())
      .catch([])
      .transform((rules) =>
        rules.flatMap((r) => {
          const ok = RuleSchema.safeParse(r);
          return ok.success ? [ok.data] : [];
        }),
      ),
    timeoutSeconds: z.number().int().min(5).max(3600).catch(DEFAULT_APPROVALS.timeoutSeconds),
  })
  .catch({ ...DEFAULT_APPROVALS, rules: [] });

export type ApprovalsSetting = z.infer<typeof ApprovalsSettingSchema>;

/** The engine's policy from the validated setting. */
export function policyFromSetting(a: ApprovalsSetting): ApprovalPolicy {
  return { default: a.default, readOnly: a.readOnly, rules: a.rules };
}
