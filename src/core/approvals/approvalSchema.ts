// The approval policy's outside shape `{ default, readOnly, rules: [{ match, action }], timeoutSeconds }`,
// declared once for the CLI's `--policy FILE` (strict: errors name the file and the field) and the
// extension's `toolweaver.approvals` setting (lenient: a bad value never disables approvals).
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { ConfigError } from '../errors';
import { parseJsonc } from '../catalog/jsonc';
import type { ApprovalPolicy } from './approvals';

export const ApprovalActionSchema = z.enum(['allow', 'ask', 'deny']);
export const ApprovalRuleSchema = z.object({
  match: z.string().min(1).describe('server/tool glob, e.g. "github/delete_*"; "github" means "github/*"'),
  action: ApprovalActionSchema,
});

/** The defaults of every field (also the CLI's policy when no flag or file says otherwise). */
export const DEFAULT_APPROVALS = { default: 'ask', readOnly: 'allow', rules: [], timeoutSeconds: 120 } as const;

/** A policy file (`--policy FILE`): every field optional, nothing else allowed, nothing dropped. */
export const ApprovalPolicyFileSchema = z.strictObject({
  default: ApprovalActionSchema.optional(),
  readOnly: ApprovalActionSchema.optional(),
  rules: z.array(ApprovalRuleSchema).optional(),
  timeoutSeconds: z.number().int().min(5).max(3600).optional(),
});
export type ApprovalPolicyFile = z.infer<typeof ApprovalPolicyFileSchema>;

/** The setting: bad fields fall back to the safe defaults; bad rules are dropped one by one. */
export const ApprovalsSettingSchema = z
  .object({
    default: ApprovalActionSchema.catch(DEFAULT_APPROVALS.default),
    readOnly: ApprovalActionSchema.catch(DEFAULT_APPROVALS.readOnly),
    rules: z
      .array(z.unknown())
      .catch([])
      .transform((rules) =>
        rules.flatMap((r) => {
          const ok = ApprovalRuleSchema.safeParse(r);
          return ok.success ? [ok.data] : [];
        }),
      ),
    timeoutSeconds: z.number().int().min(5).max(3600).catch(DEFAULT_APPROVALS.timeoutSeconds),
  })
  .catch({ ...DEFAULT_APPROVALS, rules: [] });
export type ApprovalsSetting = z.infer<typeof ApprovalsSettingSchema>;

/** The engine's policy from a file or setting (absent fields: DEFAULT_APPROVALS). */
export function policyFromDocument(doc: ApprovalPolicyFile): ApprovalPolicy {
  return { default: doc.default ?? DEFAULT_APPROVALS.default, readOnly: doc.readOnly ?? DEFAULT_APPROVALS.readOnly, rules: [...(doc.rules ?? [])] };
}

/** Dotted path of a zod issue, e.g. `rules.2.action`; the root is `(the whole file)`. */
function fieldOf(issue: z.core.$ZodIssue): string {
  return issue.path.length ? issue.path.map(String).join('.') : '(the whole file)';
}

/**
 * Parses a policy file's text (JSON; comments and trailing commas allowed, as in settings.json).
 * Throws ConfigError 'config_invalid' naming `file` and the first bad field.
 */
export function parsePolicyFile(text: string, file: string): ApprovalPolicyFile {
  let raw: unknown;
  try {
    raw = parseJsonc(text);
  } catch (err) {
    throw new ConfigError('config_invalid', `The policy file ${file} is not valid JSON: ${err instanceof Error ? err.message : String(err)}.`, { file, cause: err });
  }
  const parsed = ApprovalPolicyFileSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0] as z.core.$ZodIssue;
    const field = fieldOf(issue);
    const hint =
      issue.code === 'unrecognized_keys'
        ? `unknown field(s) ${issue.keys.map((k) => `"${k}"`).join(', ')}; the fields are default, readOnly, rules and timeoutSeconds`
        : issue.message;
    throw new ConfigError(
      'config_invalid',
      `The policy file ${file} is invalid at "${field}": ${hint}. Expected { "default": "allow"|"ask"|"deny", "readOnly": "allow"|"ask"|"deny", "rules": [{ "match": "server/tool glob", "action": "allow"|"ask"|"deny" }], "timeoutSeconds": 5–3600 }.`,
      { file, field, cause: parsed.error },
    );
  }
  return parsed.data;
}

/** Reads and parses a policy file; ConfigError 'config_not_found' / 'config_unreadable' / 'config_invalid'. */
export async function loadPolicyFile(file: string): Promise<ApprovalPolicyFile> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new ConfigError('config_not_found', `The policy file ${file} does not exist. Check the path given to --policy.`, { file, cause: err });
    throw new ConfigError('config_unreadable', `The policy file ${file} cannot be read (${code ?? String(err)}).`, { file, cause: err });
  }
  return parsePolicyFile(text, file);
}

/**
 * A policy as the policy files that give it back through `--policy` (policyFromFlags): the policy
 * itself, then each policy of its `tightenedBy` chain. The extension's MCP server definition
 * passes the effective `toolweaver.approvals` this way, so the CLI decides exactly as VS Code does.
 */
export function policyDocuments(policy: ApprovalPolicy, timeoutSeconds?: number): ApprovalPolicyFile[] {
  const docs: ApprovalPolicyFile[] = [];
  for (let p: ApprovalPolicy | undefined = policy; p; p = p.tightenedBy) {
    docs.push({ default: p.default ?? DEFAULT_APPROVALS.default, readOnly: p.readOnly ?? DEFAULT_APPROVALS.readOnly, rules: p.rules.map((r) => ({ match: r.match, action: r.action })) });
  }
  if (timeoutSeconds !== undefined) (docs[0] as ApprovalPolicyFile).timeoutSeconds = timeoutSeconds;
  return docs;
}
