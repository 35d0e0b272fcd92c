// A model proposes which literals of a recorded script become a skill's input fields (Save Run as
// Skill from the chat participant). Invariant: the answer is validated (zod) against the script's own
// literals; anything unusable is dropped, and a failed or unparseable reply proposes none — never throws.
import { z } from 'zod';
import { describeCause } from '../errors';
import { complete, type ChatMessage, type LanguageModel } from '../llm/languageModel';
import { literalValue, type SkillParam } from './saveSkill';
import { scriptLiterals, type ScriptLiteral } from './scriptLiterals';

/** One literal the model proposes as an input field. */
export interface ProposedParam extends SkillParam {
  type: 'string' | 'number' | 'boolean';
  /** Why the model picked it (shown to the person), when it said. */
  reason?: string;
}

export interface ParamProposal {
  params: ProposedParam[];
  /** Set when the model's answer was not used (no reply, not JSON, wrong shape): why, for the person. */
  fallback?: string;
  /** Proposals dropped after validation, each with the reason. */
  dropped: string[];
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The wire shape of the model's answer (keep in sync with the format in paramPrompt). */
export const ParamAnswerSchema = z.object({
  params: z
    .array(
      z.object({
        name: z.string().regex(IDENT),
        literal: z.string().min(1),
        type: z.enum(['string', 'number', 'boolean']),
        reason: z.string().max(300).optional(),
      }),
    )
    .max(20),
});

/** The messages asking the model for parameters: the script and its numbered literals. */
export function paramPrompt(source: string, literals: readonly ScriptLiteral[], task?: string): ChatMessage[] {
  const list = literals.map((l, i) => `${i + 1}. ${l.text} (line ${l.line}, near "${l.suggested}")`).join('\n');
  return [
    {
      role: 'system',
      content:
        'You turn a script that ran successfully into a reusable function. Pick the literals that are the inputs a caller would change ' +
        '(ids, names, regions, dates, limits), not constants of the logic (0, 1, true flags, keys, tool names). ' +
        'Answer with JSON only, no prose: {"params":[{"name":"<identifier>","literal":"<the literal exactly as listed>","type":"string|number|boolean","reason":"<short>"}]}. ' +
        'Answer {"params":[]} when nothing should become an input.',
    },
    {
      role: 'user',
      content: `${task ? `The task was: ${task}\n\n` : ''}The script:\n\`\`\`ts\n${source}\n\`\`\`\n\nIts literals:\n${list}`,
    },
  ];
}

/** The JSON object inside a reply (code fences and prose around it stripped), or undefined. */
function jsonOf(text: string): unknown {
  const fenced = /```(?:json)?\s*([\s\S]*?)```/.exec(text)?.[1];
  const body = (fenced ?? text).trim();
  const start = body.indexOf('{');
  const end = body.lastIndexOf('}');
  if (start < 0 || end < start) return undefined;
  try {
    return JSON.parse(body.slice(start, end + 1)) as unknown;
  } catch {
    return undefined;
  }
}

/** Validates a model reply against the script's literals (pure; exported for tests). */
export function parseParamAnswer(text: string, literals: readonly ScriptLiteral[]): ParamProposal {
  const json = jsonOf(text);
  if (json === undefined) return { params: [], dropped: [], fallback: 'The model did not answer with JSON, so no literal is proposed.' };
  const parsed = ParamAnswerSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { params: [], dropped: [], fallback: `The model's answer has the wrong shape (${issue ? `${issue.path.join('.') || 'answer'}: ${issue.message}` : 'invalid'}), so no literal is proposed.` };
  }
  const known = new Set(literals.map((l) => l.text));
  const params: ProposedParam[] = [];
  const dropped: string[] = [];
  for (const p of parsed.data.params) {
    const literal = p.literal.trim();
    const value = literalValue(literal);
    if (!known.has(literal)) dropped.push(`${p.name}: ${literal} is not a literal of the script.`);
    else if (value === undefined || typeof value !== p.type) dropped.push(`${p.name}: ${literal} is not a ${p.type}.`);
    else if (params.some((q) => q.name === p.name)) dropped.push(`${p.name}: the name is proposed twice.`);
    else if (params.some((q) => q.literal === literal)) dropped.push(`${p.name}: ${literal} is already the field ${params.find((q) => q.literal === literal)!.name}.`);
    else params.push({ name: p.name, literal, type: p.type, ...(p.reason ? { reason: p.reason } : {}) });
  }
  return { params, dropped };
}

export interface ProposeParamsOptions {
  model: LanguageModel;
  source: string;
  task?: string;
  signal: AbortSignal;
}

/** Asks the model which literals become input fields; never throws (a failure proposes none, with the reason). */
export async function proposeSkillParams(opts: ProposeParamsOptions): Promise<ParamProposal> {
  const literals = scriptLiterals(opts.source);
  if (!literals.length) return { params: [], dropped: [] };
  try {
    const reply = await complete(opts.model, paramPrompt(opts.source, literals, opts.task), { signal: opts.signal });
    return parseParamAnswer(reply.text, literals);
  } catch (err) {
    return { params: [], dropped: [], fallback: `The model could not propose parameters (${describeCause(err)}), so none is proposed.` };
  }
}
