// The `toolweaver.approvals` setting: its schema is declared once in core (approvalSchema.ts, the
// same shape as the CLI's `--policy FILE`). Invariant: a bad value never disables approvals: bad
// fields fall back to the safe defaults and bad rules are dropped one by one while the rest apply.
import type { ApprovalPolicy } from '../../core/approvals/approvals';
import { ApprovalsSettingSchema, policyFromDocument, type ApprovalsSetting } from '../../core/approvals/approvalSchema';

// Kept importable from here: settings.ts and securitySettings.ts read the setting through this module.
export { ApprovalsSettingSchema, type ApprovalsSetting };

/** The engine's policy from the validated setting. */
export function policyFromSetting(a: ApprovalsSetting): ApprovalPolicy {
  return policyFromDocument(a);
}
