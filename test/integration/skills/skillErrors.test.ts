// An error thrown inside a skill names the skill file and line (error.skill in the run result and the
// trace), not a skills.js frame: after an await, before one, and in a skill called by a skill.
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { executeRun } from '../../../src/core/run/executeRun';
import { createSandbox } from '../../../src/core/sandbox/sandbox';
import { loadSkills, type SkillSet } from '../../../src/core/skills/skillSet';
import { TraceSchema } from '../../../src/core/trace/schema';
import { whitespaceTokenizer } from '../../../src/core/tokens/tokenizer';
import { createRunInvoker, runCatalog } from '../run/fixtures';

const sandbox = createSandbox({ poolSize: 1 });
const root = mkdtempSync(path.join(tmpdir(), 'tw-skill-errors-'));
const dir = path.join(root, 'skills');
let set: SkillSet;

const files: Record<string, string> = {
  late: `// Throws after a tool call.
export const skill = defineSkill({
  name: 'late',
  description: 'Reads a user, then fails.',
  input: { type: 'object' },
  run: async () => {
    const u = await tools.crm.getUser({ id: 1 });
    const missing: any = undefined;
    return missing.score + u.score;
  },
});
`,
  early: `export const skill = defineSkill({
  name: 'early',
  description: 'Fails at once.',
  input: { type: 'object' },
  run: async () => {
    throw new Error('early boom');
  },
});
`,
  outer: `export const skill = defineSkill({
  name: 'outer',
  description: 'Calls late.',
  input: { type: 'object' },
  run: async () => {
    const v = await skills.late({});
    return v;
  },
});
`,
};

beforeAll(async () => {
  mkdirSync(dir, { recursive: true });
  for (const [n, t] of Object.entries(files)) writeFileSync(path.join(dir, `${n}.ts`), t);
  set = await loadSkills({ dir, sandbox });
});
afterAll(async () => {
  await sandbox.dispose();
  rmSync(root, { recursive: true, force: true });
});

const run = (source: string) => executeRun({ source, catalog: runCatalog, invoker: createRunInvoker(), sandbox, traceDir: path.join(root, 'traces'), tokenizer: whitespaceTokenizer, skills: set.skills });

describe('errors inside skills', () => {
  it('names the skill file and line after an await (where the stack has no script frame), in the result and the trace', async () => {
    expect(set.broken).toEqual([]);
    const { result, trace, traceFile } = await run('const a = 1;\nreturn await skills.late({});');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toMatchObject({ name: 'TypeError', code: 'guest_error', skill: { name: 'late', file: path.join(dir, 'late.ts'), line: 9 } });
    expect(result.error.stack).toContain(`${path.join(dir, 'late.ts')}:9`);
    expect(result.error.stack).not.toContain('skills.js');
    expect(result.error.stack).not.toContain('<input>');
    expect(trace.error?.skill).toEqual(result.error.skill);
    // The trace on disk carries it (and still parses).
    const stored = TraceSchema.parse(JSON.parse(readFileSync(traceFile, 'utf8')));
    expect(stored.error?.skill).toMatchObject({ name: 'late', line: 9 });
  });

  it('names the line of a throw before any await', async () => {
    const { result } = await run('return await skills.early({});');
    expect(result.ok ? undefined : result.error).toMatchObject({ message: 'early boom', skill: { name: 'early', line: 6 } });
  });

  it('names the innermost skill when a skill calls a skill that fails', async () => {
    const { result } = await run('return await skills.outer({});');
    expect(result.ok ? undefined : result.error.skill).toMatchObject({ name: 'late', file: path.join(dir, 'late.ts'), line: 9 });
  });

  it('leaves errors outside skills as they were', async () => {
    const { result } = await run('await skills.early; \nnull.x;');
    expect(result.ok ? undefined : result.error).toMatchObject({ code: 'guest_error', line: 2 });
    expect(result.ok ? 'ok' : result.error.skill).toBeUndefined();
  });
});
