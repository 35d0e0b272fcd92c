// Each skill as a tool of its own (`skill_<name>` over MCP): its definition, input schema and the
// script one call runs. Invariant: the MCP server registers these definitions and the token account
// counts the same texts, so "definitions with the skill tools" is what a client really receives.
import { z } from 'zod';
import type { Catalog } from '../catalog/types';
import type { ToolDefinition } from '../codeMode/tools';
import { servedCodeModeDefinitions } from '../discovery/servedTools';
import { catalogDefinitions, definitionsText } from '../tokens/text';
import type { Tokenizer } from '../tokens/tokenizer';
import type { Skill } from './skillSet';

/** The tool name of a skill (`account_review` → `skill_account_review`). */
export function skillToolName(name: string): string {
  return `skill_${name}`;
}

/** The description a skill tool is served with. */
export function skillToolDescription(skill: Pick<Skill, 'description' | 'name'>): string {
  return `${skill.description} (A saved ToolWeaver skill: one call runs the whole workflow in the sandbox; the same as run_code with \`return await skills.${skill.name}(input)\`.)`;
}

/** A skill's input schema as zod, for the MCP SDK's registerTool (which validates with it and serves its
 *  JSON Schema); a schema zod cannot read becomes an open object (the guest still validates). */
export function skillInputZod(skill: Pick<Skill, 'input'>): z.ZodObject {
  try {
    const s = z.fromJSONSchema(skill.input);
    if (s instanceof z.ZodObject) return s;
  } catch {
    // fall through
  }
  return z.object({}).passthrough();
}

/** The input schema exactly as `toolweaver mcp` serves it (the SDK's draft-7 conversion of skillInputZod). */
export function servedSkillInputSchema(skill: Pick<Skill, 'input'>): Record<string, unknown> {
  return z.toJSONSchema(skillInputZod(skill), { target: 'draft-7', io: 'input' }) as Record<string, unknown>;
}

/** The definitions of the skill tools as served, in name order. */
export function skillToolDefinitions(skills: readonly Skill[]): ToolDefinition[] {
  return [...skills]
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((s) => ({ name: skillToolName(s.name), description: skillToolDescription(s), inputSchema: servedSkillInputSchema(s) }));
}

/** Definition tokens a model receives, per way of serving the catalog (the Done-when figure of issue 16). */
export interface SkillDefinitionTokens {
  /** Every catalog tool as its own definition (classic). */
  classic: number;
  /** The four code-mode tools as `toolweaver mcp` serves them. */
  codeMode: number;
  /** The code-mode tools plus one `skill_<name>` tool per skill (what `toolweaver mcp` serves now). */
  codeModeWithSkills: number;
  /** The skill tools alone: what a client that only runs saved workflows needs. */
  skillsOnly: number;
}

/** Counts the definitions of each way of serving (the texts tokens/text.ts renders, as the account does). */
export function skillDefinitionTokens(
  catalog: Catalog,
  skills: readonly Skill[],
  tokenizer: Pick<Tokenizer, 'count'>,
  maxTimeoutMs?: number,
): SkillDefinitionTokens {
  const codeMode = servedCodeModeDefinitions(catalog, 'mcp', maxTimeoutMs);
  const skillDefs = skillToolDefinitions(skills);
  return {
    classic: tokenizer.count(definitionsText(catalogDefinitions(catalog))),
    codeMode: tokenizer.count(definitionsText(codeMode)),
    codeModeWithSkills: tokenizer.count(definitionsText([...codeMode, ...skillDefs])),
    skillsOnly: skillDefs.length ? tokenizer.count(definitionsText(skillDefs)) : 0,
  };
}
