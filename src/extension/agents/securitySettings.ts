// Security settings a workspace can only tighten: approvals, run-code confirmation and redaction.
// A repository's .vscode/settings.json is written by whoever made the repository, not by the person
// who opens it, so its values may add strictness but never remove any. Pure (no vscode import).
// Invariant: for every call, the effective decision is at least as strict as the user's own setting.
import { stricterAction, type ApprovalPolicy } from '../../core/approvals/approvals';
import { ApprovalsSettingSchema, policyFromSetting, type ApprovalsSetting } from './approvalSettings';

/** The values of one setting at each level, as `WorkspaceConfiguration.inspect` reports them. */
export interface SettingLayers<T = unknown> {
  defaultValue?: T;
  globalValue?: T;
  workspaceValue?: T;
  workspaceFolderValue?: T;
}

/** The user's own value (user settings over the default); never a workspace's. */
function userValue<T>(l: SettingLayers<T> | undefined): T | undefined {
  return l?.globalValue ?? l?.defaultValue;
}

/** A workspace's value (folder over workspace), if it set one. */
function workspaceValue<T>(l: SettingLayers<T> | undefined): T | undefined {
  return l?.workspaceFolderValue ?? l?.workspaceValue;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export interface EffectiveApprovals {
  setting: ApprovalsSetting;
  policy: ApprovalPolicy;
}

/**
 * `toolweaver.approvals`: the user's policy, tightened by the workspace's. Fields the workspace does
 * not set are the user's; its timeout can only shorten the wait (an unanswered ask is denied).
 */
export function effectiveApprovals(layers: SettingLayers | undefined): EffectiveApprovals {
  const userRaw = userValue(layers);
  const user = ApprovalsSettingSchema.parse(userRaw);
  const wsRaw = workspaceValue(layers);
  if (!isRecord(wsRaw)) return { setting: user, policy: policyFromSetting(user) };
  const ws = ApprovalsSettingSchema.parse({ ...(isRecord(userRaw) ? userRaw : {}), rules: [], ...wsRaw });
  const setting: ApprovalsSetting = {
    default: stricterAction(user.default, ws.default),
    readOnly: stricterAction(user.readOnly, ws.readOnly),
    rules: user.rules,
    timeoutSeconds: Math.min(user.timeoutSeconds, ws.timeoutSeconds),
  };
  return { setting, policy: { ...policyFromSetting(user), tightenedBy: policyFromSetting(ws) } };
}

/** A boolean safeguard (e.g. `agent.confirmRunCode`, `redaction.enabled`): on if the user's value or the workspace's says on. */
export function effectiveSafeguard(layers: SettingLayers | undefined, fallback = true): boolean {
  const user = userValue(layers);
  const on = typeof user === 'boolean' ? user : fallback;
  return on || workspaceValue(layers) === true;
}

/** A list that adds protection (e.g. `redaction.extraPatterns`): the user's entries plus the workspace's. */
export function unionList(layers: SettingLayers | undefined): unknown {
  const user = userValue(layers);
  const ws = workspaceValue(layers);
  if (!Array.isArray(ws)) return user;
  return [...(Array.isArray(user) ? user : []), ...ws];
}

/** A list that removes protection (e.g. `redaction.disabledRules`): only the user's own entries count. */
export function userOnly(layers: SettingLayers | undefined): unknown {
  return userValue(layers);
}
