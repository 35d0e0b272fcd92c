// Loads the skills of a workspace: each `.toolweaver/skills/<name>.ts` file is compiled with sucrase and
// its definition read by evaluating it in the sandbox (never in the host's Node). Invariant: a broken file
// is returned in `broken` with its error naming the file and field; it never stops the others loading.
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { transform } from 'sucrase';
import { z } from 'zod';
import type { Catalog } from '../catalog/types';
import type { ToolInvoker } from '../ports';
import type { Sandbox } from '../sandbox/sandbox';
import { SKILLS_RUNTIME } from './guestRuntime';

/** Where skills live, relative to the workspace (setting `toolweaver.skills.folder`, CLI `--skills`). */
export const DEFAULT_SKILLS_DIR = path.join('.toolweaver', 'skills');
/** How deep skills may call skills (a call at depth 9 is refused with code 'too_deep'). */
export const MAX_SKILL_DEPTH = 8;
/** Largest skill file read. */
export const MAX_SKILL_FILE_BYTES = 256 * 1024;

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A JSON Schema object as a skill declares it (input must be an object schema). */
export type JsonSchema = Record<string, unknown>;

/** One example of a skill: its input and how its output is checked. */
export interface SkillExample {
  input: unknown;
  /** The example has a `check(output)` function (run by `skills test`). */
  check: boolean;
  /** The output expected exactly (JSON equality), when given instead of `check`. */
  expect?: unknown;
}

/** A skill that loaded. */
export interface Skill {
  name: string;
  description: string;
  /** Absolute path, or `(embedded demo)/<name>.ts` for the demo's skill. */
  file: string;
  /** First 12 hex digits of the SHA-256 of the file's text: the version a trace records. */
  hash: string;
  input: JsonSchema;
  output?: JsonSchema;
  examples: SkillExample[];
  /** The trace the skill was saved from (`// toolweaver:from-trace <id>`), when it was. */
  fromTrace?: string;
  /** The file's text. */
  source: string;
  /** The module compiled to CommonJS (what the guest runs). */
  compiled: string;
}

/** A skill file that did not load. */
export interface BrokenSkill {
  file: string;
  /** Full sentence naming the file and, when known, the field. */
  message: string;
  field?: string;
}

export interface SkillSet {
  /** The folder read (absolute); it may not exist. */
  dir: string;
  skills: Skill[];
  broken: BrokenSkill[];
}

/** A skill file's text from somewhere other than the folder (the embedded demo). */
export interface SkillSource {
  file: string;
  text: string;
}

const SchemaObject = z.record(z.string(), z.unknown());
const MetaSchema = z.object({
  name: z.string().regex(NAME, 'must be an identifier (letters, digits and _; not starting with a digit)'),
  description: z.string().min(1, 'must say what the skill does'),
  input: SchemaObject.refine((s) => s.type === 'object', 'must be a JSON Schema of type "object" (a skill takes one object, as a tool does)'),
  output: SchemaObject.optional(),
  examples: z.array(z.object({ input: z.unknown(), check: z.boolean(), expect: z.unknown().optional() })).optional(),
  run: z.literal('function', { message: 'must be a function: run: async (input) => { … }' }),
});

type Compiled = { ok: true; file: string; name: string; text: string; hash: string; code: string } | { ok: false; broken: BrokenSkill };

/** Compiles one skill file's text (TypeScript and ES modules to CommonJS); syntax errors name the line. */
export function compileSkill(file: string, text: string): Compiled {
  const name = path.basename(file).replace(/\.(ts|js)$/, '');
  if (!NAME.test(name)) return { ok: false, broken: { file, field: 'name', message: `The skill file ${file} has a name that is not an identifier: rename it to letters, digits and _ (the file name is the skill's name).` } };
  const hash = createHash('sha256').update(text).digest('hex').slice(0, 12);
  try {
    const { code } = transform(text, { transforms: file.endsWith('.js') ? ['imports'] : ['typescript', 'imports'], filePath: file });
    return { ok: true, file, name, text, hash, code };
  } catch (err) {
    const loc = (err as { loc?: { line?: number } }).loc;
    const where = typeof loc?.line === 'number' ? ` at line ${loc.line}` : '';
    const detail = err instanceof Error ? err.message.replace(/\s*\(\d+:\d+\)$/, '') : String(err);
    return { ok: false, broken: { file, message: `The skill file ${file} has a syntax error${where}: ${detail}.` } };
  }
}

/** The prologue (RunOptions.prologue) that installs `skills` for these skills. */
export function skillsPrologue(skills: ReadonlyArray<Pick<Skill, 'name' | 'file' | 'hash' | 'input' | 'compiled'>>, opts: { meta?: boolean; examples?: boolean } = {}): string {
  const defs: Record<string, unknown> = {};
  for (const s of skills) defs[s.name] = { file: s.file, hash: s.hash, input: s.input, src: s.compiled };
  return `${SKILLS_RUNTIME}(${JSON.stringify(defs)}, ${JSON.stringify({ maxDepth: MAX_SKILL_DEPTH, meta: !!opts.meta, examples: !!opts.examples })});`;
}

/** True when a script mentions the `skills` global (only then does a run carry the prologue). */
export function usesSkills(source: string): boolean {
  return /\bskills\b/.test(source);
}

const EMPTY_CATALOG: Catalog = { id: 'skills-meta', servers: [] };
const NO_TOOLS: ToolInvoker = {
  callTool: () => Promise.reject(new Error('A skill file may not call tools while it is loaded.')),
} as unknown as ToolInvoker;

export interface LoadSkillsOptions {
  /** The skills folder (absolute, or relative to cwd). */
  dir: string;
  /** Evaluates the definitions (a short run without tools). */
  sandbox: Sandbox;
  /** Skills from elsewhere (the embedded demo's), added unless the folder has one of the same name. */
  extra?: readonly SkillSource[];
}

/** Reads every `*.ts` / `*.js` file directly in `dir` (a missing folder = no skills). */
export async function loadSkills(opts: LoadSkillsOptions): Promise<SkillSet> {
  const dir = path.resolve(opts.dir);
  const sources: SkillSource[] = [];
  const broken: BrokenSkill[] = [];
  let names: string[] = [];
  try {
    names = (await readdir(dir)).filter((f) => /\.(ts|js)$/.test(f) && !f.endsWith('.d.ts')).sort();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') broken.push({ file: dir, message: `The skills folder ${dir} cannot be read: ${(err as Error).message}.` });
  }
  for (const n of names) {
    const file = path.join(dir, n);
    try {
      const text = await readFile(file, 'utf8');
      if (Buffer.byteLength(text) > MAX_SKILL_FILE_BYTES) broken.push({ file, message: `The skill file ${file} is over ${MAX_SKILL_FILE_BYTES / 1024} KiB; split it into smaller skills.` });
      else sources.push({ file, text });
    } catch (err) {
      broken.push({ file, message: `The skill file ${file} cannot be read: ${(err as Error).message}.` });
    }
  }
  const own = new Set(sources.map((s) => path.basename(s.file).replace(/\.(ts|js)$/, '')));
  for (const e of opts.extra ?? []) if (!own.has(path.basename(e.file).replace(/\.(ts|js)$/, ''))) sources.push(e);
  const result = await readDefinitions(sources, opts.sandbox);
  return { dir, skills: result.skills, broken: [...broken, ...result.broken] };
}

/** Compiles the sources and reads each definition in one sandbox run; validates each with its file named. */
export async function readDefinitions(sources: readonly SkillSource[], sandbox: Sandbox): Promise<{ skills: Skill[]; broken: BrokenSkill[] }> {
  const broken: BrokenSkill[] = [];
  const compiled: Array<Extract<Compiled, { ok: true }>> = [];
  const seen = new Map<string, string>();
  for (const s of sources) {
    const c = compileSkill(s.file, s.text);
    if (!c.ok) broken.push(c.broken);
    else if (seen.has(c.name)) broken.push({ file: s.file, field: 'name', message: `The skill file ${s.file} defines ${c.name}, which ${seen.get(c.name)} defines too; rename one.` });
    else {
      seen.set(c.name, s.file);
      compiled.push(c);
    }
  }
  if (!compiled.length) return { skills: [], broken };
  const prologue = skillsPrologue(
    compiled.map((c) => ({ name: c.name, file: c.file, hash: c.hash, input: {}, compiled: c.code })),
    { meta: true },
  );
  const run = await sandbox.run('return __twSkillMeta();', { catalog: EMPTY_CATALOG, invoker: NO_TOOLS, language: 'js', prologue, limits: { timeoutMs: 5000, maxToolCalls: 0 } });
  if (!run.ok) {
    for (const c of compiled) broken.push({ file: c.file, message: `The skill file ${c.file} could not be loaded: ${run.error.message}` });
    return { skills: [], broken };
  }
  const metas = run.value as Record<string, { ok: boolean; error?: string; meta?: unknown }>;
  const skills: Skill[] = [];
  for (const c of compiled) {
    const m = metas[c.name];
    if (!m?.ok) {
      broken.push({ file: c.file, message: `The skill file ${c.file} fails when it is loaded: ${m?.error ?? 'no definition'}. It must export const skill = defineSkill({ name, description, input, run }).` });
      continue;
    }
    const parsed = MetaSchema.safeParse(m.meta);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const field = issue?.path.join('.') || undefined;
      broken.push({ file: c.file, field, message: `The skill file ${c.file} has an invalid ${field ? `field "${field}"` : 'definition'}: ${issue?.message ?? 'it does not match defineSkill'}.` });
      continue;
    }
    const meta = parsed.data;
    if (meta.name !== c.name) {
      broken.push({ file: c.file, field: 'name', message: `The skill file ${c.file} is named ${c.name} but its field "name" says ${meta.name}; make them the same (the file name is the skill's name).` });
      continue;
    }
    const fromTrace = /^\/\/ toolweaver:from-trace (\S+)/m.exec(c.text)?.[1];
    skills.push({
      name: meta.name,
      description: meta.description,
      file: c.file,
      hash: c.hash,
      input: meta.input,
      ...(meta.output ? { output: meta.output } : {}),
      examples: (meta.examples ?? []).map((x) => ({ input: x.input, check: x.check, ...(x.expect !== undefined ? { expect: x.expect } : {}) })),
      ...(fromTrace ? { fromTrace } : {}),
      source: c.text,
      compiled: c.code,
    });
  }
  return { skills, broken };
}

/** The script a direct call of one skill runs (`toolweaver skills run`, the `skill_<name>` MCP tools). */
export function skillCallScript(name: string, input: unknown): string {
  if (!NAME.test(name)) throw new Error(`Not a skill name: ${name}`);
  return `return await skills.${name}(${JSON.stringify(input ?? {})});`;
}
