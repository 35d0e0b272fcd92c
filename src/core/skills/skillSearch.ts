// Skills beside tools in search and describe: a skill is ranked by how much of the query its name,
// description and input fields cover, weighed by its record (success rate, a failing example). Invariant:
// a skill that covers the query ranks above the tools (it does the whole job in one call).
import type { Catalog } from '../catalog/types';
import { discoveryOf, tokenize, type CatalogDiscovery } from '../discovery/toolSearch';
import { describeToolReply, searchToolsReply } from '../discovery/catalogReplies';
import { schemaToInlineTs } from '../stubs/jsonSchemaToTs';
import type { ToolFigures } from '../discovery/observed';
import type { SkillRecord } from './records';
import type { Skill } from './skillSet';

/** Share of the query's words a skill must cover to be listed. */
const MIN_COVER = 0.5;

export interface SkillHit {
  skill: Skill;
  /** 0..1: coverage of the query, weighed by the record. */
  score: number;
  signature: string;
}

/** `skills.name(input: {…}): Promise<…>` with the description above it. */
export function skillSignature(skill: Pick<Skill, 'name' | 'description' | 'input' | 'output'>): string {
  const input = schemaToInlineTs(skill.input, 2);
  const output = skill.output ? schemaToInlineTs(skill.output, 1).text : 'unknown';
  return `/** ${skill.description.replace(/\*\//g, '*\\/')} (skill) */\nskills.${skill.name}(input${input.allOptional ? '?' : ''}: ${input.text}): Promise<${output}>`;
}

/** Skills for `query`, best first (an empty query lists every skill). */
export function searchSkills(skills: readonly Skill[], query: string, records?: (name: string) => SkillRecord | undefined): SkillHit[] {
  const words = [...new Set(tokenize(query))];
  const hits: SkillHit[] = [];
  for (const skill of skills) {
    const props = Object.keys((skill.input['properties'] as Record<string, unknown> | undefined) ?? {}).join(' ');
    const have = new Set(tokenize(`${skill.name} ${skill.description} ${props}`));
    const matched = words.filter((w) => have.has(w)).length;
    const cover = words.length ? matched / words.length : 1;
    // Half the words, and at least two of them: one shared word ("ticket") says little about the job.
    if (cover < MIN_COVER || matched < Math.min(2, words.length)) continue;
    const r = records?.(skill.name);
    const evidence = r && r.runs ? 0.8 + 0.2 * r.successRate : 0.9;
    const score = cover * evidence * (r?.failingExample ? 0.5 : 1);
    hits.push({ skill, score, signature: skillSignature(skill) });
  }
  return hits.sort((a, b) => b.score - a.score || a.skill.name.localeCompare(b.skill.name));
}

/** The skill a describe name means: `account_review`, `skills.account_review` or `skill_account_review`. */
export function findSkill(skills: readonly Skill[], name: string): Skill | undefined {
  const n = name.trim().replace(/^skills\./, '').replace(/^skill_/, '');
  return skills.find((s) => s.name === n);
}

/** A skill's describe text: signature, file, version and where it came from. */
export function describeSkill(skill: Skill): string {
  return `${skillSignature(skill)}\n// skill file ${skill.file}, version ${skill.hash}${skill.fromTrace ? `, saved from trace ${skill.fromTrace}` : ''}\n// input JSON Schema: ${JSON.stringify(skill.input)}`;
}

const SKILLS_HEADER = 'Skills (saved workflows that may do the whole job in one call: `await skills.<name>(input)` in run_code, or the tool skill_<name>):';

/** search_tools' reply with the matching skills above the tools. */
export function searchWithSkillsReply(catalog: Catalog, skills: readonly Skill[], query: string, opts: { limit?: number; records?: (name: string) => SkillRecord | undefined; observed?: ToolFigures } = {}): string {
  const tools = searchToolsReply(catalog, query, { limit: opts.limit, observed: opts.observed });
  const hits = searchSkills(skills, query, opts.records).slice(0, opts.limit ?? 8);
  if (!hits.length) return tools.text;
  return `${SKILLS_HEADER}\n${hits.map((h) => h.signature).join('\n\n')}\n\n${tools.text}`;
}

/** describe_tool's reply for a skill name, else the tool's (throws like describeToolReply). */
export function describeWithSkillsReply(catalog: Catalog, skills: readonly Skill[], name: string, opts: Parameters<typeof describeToolReply>[2] = {}): string {
  const skill = findSkill(skills, name);
  if (skill && /^(skills\.|skill_)/.test(name.trim())) return describeSkill(skill);
  try {
    return describeToolReply(catalog, name, opts);
  } catch (err) {
    if (skill) return describeSkill(skill);
    throw err;
  }
}

/** tools.search / tools.describe inside a script, with the skills ranked first (server 'skills'). */
export function discoveryWithSkills(catalog: Catalog, skills: readonly Skill[], observed?: ToolFigures): CatalogDiscovery {
  const base = discoveryOf(catalog, observed);
  if (!skills.length) return base;
  return {
    search: (query, limit) => {
      const own = searchSkills(skills, query).map((h) => ({ server: 'skills', tool: h.skill.name, ident: `skills.${h.skill.name}`, signature: h.signature }));
      return [...own, ...base.search(query, limit)].slice(0, limit);
    },
    describe: (name) => {
      const skill = findSkill(skills, name);
      if (skill && /^(skills\.|skill_)/.test(name.trim())) return describeSkill(skill);
      try {
        return base.describe(name);
      } catch (err) {
        if (skill) return describeSkill(skill);
        throw err;
      }
    },
  };
}
