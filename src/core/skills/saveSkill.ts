// Save Run as Skill: a recorded run's script becomes a skill file. The literals the user picks become
// input fields (each occurrence replaced by `input.<name>`), the output schema is inferred from the
// recorded value. Invariant: the script text is kept as it ran, apart from those replacements.
import { mkdir, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { SkillError } from '../errors';
import type { Trace } from '../trace/schema';
import type { JsonSchema } from './skillSet';

/** One literal of the script turned into an input field. */
export interface SkillParam {
  /** The field name (an identifier). */
  name: string;
  /** The literal as it appears in the script: `'emea'`, `"emea"`, `10`, `true`. */
  literal: string;
}

export interface SkillFromTraceOptions {
  name: string;
  description?: string;
  params?: readonly SkillParam[];
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A JSON Schema that the value matches (types, object keys as properties, arrays by their first item). */
export function inferSchema(value: unknown, depth = 0): JsonSchema {
  if (value === null) return { type: 'null' };
  if (Array.isArray(value)) return value.length && depth < 4 ? { type: 'array', items: inferSchema(value[0], depth + 1) } : { type: 'array' };
  switch (typeof value) {
    case 'string':
      return { type: 'string' };
    case 'number':
      return { type: 'number' };
    case 'boolean':
      return { type: 'boolean' };
    case 'object': {
      if (depth >= 4) return { type: 'object' };
      const properties: Record<string, JsonSchema> = {};
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) properties[k] = inferSchema(v, depth + 1);
      return { type: 'object', properties };
    }
    default:
      return {};
  }
}

/** The value of a literal as written in a script, or undefined when it is not a simple literal. */
export function literalValue(literal: string): string | number | boolean | undefined {
  const t = literal.trim();
  if (/^'(?:[^'\\\n]|\\.)*'$/.test(t)) return t.slice(1, -1).replace(/\\(.)/g, '$1');
  if (/^"(?:[^"\\\n]|\\.)*"$/.test(t)) return JSON.parse(t) as string;
  if (/^`[^`$\\]*`$/.test(t)) return t.slice(1, -1);
  if (/^-?\d+(\.\d+)?$/.test(t)) return Number(t);
  if (t === 'true' || t === 'false') return t === 'true';
  return undefined;
}

/** Every index of `needle` in `text` where it is a whole token (not inside a longer word or number). */
function occurrences(text: string, needle: string): number[] {
  const out: number[] = [];
  const wordy = /^[\w-]/.test(needle);
  for (let i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + needle.length)) {
    const before = text[i - 1] ?? '';
    const after = text[i + needle.length] ?? '';
    if (wordy && (/[\w.$]/.test(before) || /[\w.]/.test(after))) continue;
    out.push(i);
  }
  return out;
}

/** The skill file text for a run (throws SkillError 'skill_unsaveable' naming what is missing). */
export function skillFromTrace(trace: Trace, opts: SkillFromTraceOptions): string {
  if (!IDENT.test(opts.name)) throw new SkillError('skill_unsaveable', `"${opts.name}" is not a skill name: use letters, digits and _ (not starting with a digit).`);
  const source = trace.script.source;
  if (source === undefined || trace.truncations?.some((t) => t.path === 'source')) {
    throw new SkillError('skill_unsaveable', `The trace ${trace.id} does not hold the whole script, so it cannot be saved as a skill.`);
  }
  let body = source;
  const properties: Record<string, JsonSchema> = {};
  const example: Record<string, unknown> = {};
  for (const p of opts.params ?? []) {
    if (!IDENT.test(p.name)) throw new SkillError('skill_unsaveable', `The parameter name "${p.name}" is not an identifier.`);
    const value = literalValue(p.literal);
    if (value === undefined) throw new SkillError('skill_unsaveable', `${p.literal} is not a string, number or boolean literal, so it cannot become the parameter ${p.name}.`);
    const at = occurrences(body, p.literal.trim());
    if (!at.length) throw new SkillError('skill_unsaveable', `The script of trace ${trace.id} has no literal ${p.literal} to turn into the parameter ${p.name}.`);
    for (const i of at.reverse()) body = body.slice(0, i) + `input.${p.name}` + body.slice(i + p.literal.trim().length);
    properties[p.name] = { type: typeof value === 'number' ? 'number' : typeof value, description: `Was ${p.literal.trim()} in the recorded run.` };
    example[p.name] = value;
  }
  const input: JsonSchema = { type: 'object', properties, required: Object.keys(properties), additionalProperties: false };
  const recorded = trace.status === 'ok' && trace.value && !trace.value.truncated ? trace.value.value : undefined;
  const output = recorded !== undefined ? inferSchema(recorded) : undefined;
  const description = opts.description ?? `Saved from run ${trace.id}${trace.script.path ? ` of ${path.basename(trace.script.path)}` : ''}.`;
  const inputType = Object.keys(properties).length
    ? `{ ${Object.entries(properties).map(([k, s]) => `${k}: ${String(s.type)}`).join('; ')} }`
    : 'Record<string, never>';
  const fields = [
    `  name: ${JSON.stringify(opts.name)},`,
    `  description: ${JSON.stringify(description)},`,
    `  input: ${JSON.stringify(input)},`,
    ...(output ? [`  output: ${JSON.stringify(output)},`] : []),
    // The recorded inputs, checked for the output's shape (top-level keys), not its changing values.
    `  examples: [{ input: ${JSON.stringify(example)}, check: (out) => ${checkOf(recorded)} }],`,
  ];
  return `// toolweaver:from-trace ${trace.id}
// Saved as a skill from a recorded run. Call it as \`await skills.${opts.name}(${JSON.stringify(example)})\`.
export const skill = defineSkill({
${fields.join('\n')}
  run: async (input: ${inputType}) => {
${indentBody(moduleBody(body))}
  },
});
`;
}

function checkOf(recorded: unknown): string {
  if (recorded === undefined) return 'out !== undefined';
  if (recorded && typeof recorded === 'object' && !Array.isArray(recorded)) {
    const keys = Object.keys(recorded).slice(0, 8);
    return keys.length ? `${JSON.stringify(keys)}.every((k) => k in out)` : `typeof out === 'object'`;
  }
  return Array.isArray(recorded) ? 'Array.isArray(out)' : `typeof out === ${JSON.stringify(typeof recorded)}`;
}

/** A module-form script (`export default async function main() { … }`) as a function body. */
function moduleBody(source: string): string {
  if (!/^export[ \t]+default[ \t]+/m.test(source)) return source;
  return `${source.replace(/^export[ \t]+default[ \t]+/m, 'const main = ')}\nreturn typeof main === 'function' ? await main() : main;`;
}

function indentBody(text: string): string {
  return text
    .replace(/\s+$/, '')
    .split('\n')
    .map((l) => (l ? `    ${l}` : l))
    .join('\n');
}

/** Writes the skill file `<dir>/<name>.ts`; refuses to overwrite one unless `force`. Returns its path. */
export async function writeSkillFile(dir: string, name: string, text: string, force = false): Promise<string> {
  const file = path.join(dir, `${name}.ts`);
  if (!force && existsSync(file)) throw new SkillError('skill_exists', `The skill ${name} already exists (${file}); pick another name or pass --force to replace it.`, { file });
  await mkdir(dir, { recursive: true });
  await writeFile(file, text, 'utf8');
  return file;
}
