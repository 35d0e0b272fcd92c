// Skills called from scripts in the real sandbox: loaded from a folder (definitions evaluated in QuickJS),
// composed, validated, nested under 'skill' spans with the tool spans inside; cycles and depth refused by name.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { policyFromFlags } from '../../../src/core/approvals/approvals';
import { executeRun, type ExecuteRunOptions } from '../../../src/core/run/executeRun';
import { createSandbox } from '../../../src/core/sandbox/sandbox';
import { loadSkills, type SkillSet } from '../../../src/core/skills/skillSet';
import { whitespaceTokenizer } from '../../../src/core/tokens/tokenizer';
import { createRunInvoker, runCatalog } from '../run/fixtures';

const sandbox = createSandbox({ poolSize: 1 });
const root = mkdtempSync(path.join(tmpdir(), 'tw-skills-'));
const dir = path.join(root, 'skills');
let set: SkillSet;

const files: Record<string, string> = {
  user_score: `export const skill = defineSkill({
  name: 'user_score',
  description: 'The score of one user.',
  input: { type: 'object', properties: { id: { type: 'number' } }, required: ['id'], additionalProperties: false },
  examples: [{ input: { id: 2 }, expect: 14 }],
  run: async (input: { id: number }) => {
    const u = await tools.crm.getUser({ id: input.id });
    return u.score;
  },
});
`,
  team_score: `export const skill = defineSkill({
  name: 'team_score',
  description: 'Sum of the scores of some users, through user_score.',
  input: { type: 'object', properties: { ids: { type: 'array', items: { type: 'number' } } }, required: ['ids'] },
  run: async ({ ids }: { ids: number[] }) => {
    await sleep(1);
    const scores = await map(ids, (id) => skills.user_score({ id }));
    return scores.reduce((a, b) => a + b, 0);
  },
});
`,
  ping: `export const skill = defineSkill({ name: 'ping', description: 'Calls pong.', input: { type: 'object' }, run: async () => skills.pong({}) });\n`,
  pong: `export const skill = defineSkill({ name: 'pong', description: 'Calls ping.', input: { type: 'object' }, run: async () => skills.ping({}) });\n`,
  deep: `export const skill = defineSkill({ name: 'deep', description: 'Recurses.', input: { type: 'object' }, run: async () => skills.deep({}) });\n`,
  bad_syntax: `export const skill = defineSkill({ name: 'bad_syntax', description: 'x', input: { type: 'object' }, run: async () => { return ( } });\n`,
  bad_field: `export const skill = defineSkill({ name: 'bad_field', description: 'no schema', input: { type: 'string' }, run: async () => 1 });\n`,
  throws_on_load: `throw new Error('boom at load');\nexport const skill = 1;\n`,
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

function run(source: string, extra: Partial<ExecuteRunOptions> = {}) {
  return executeRun({ source, catalog: runCatalog, invoker: createRunInvoker(), sandbox, traceDir: path.join(root, 'traces'), tokenizer: whitespaceTokenizer, skills: set.skills, ...extra });
}

describe('loading skills', () => {
  it('loads the good files and names the broken ones with their file and field', () => {
    expect(set.skills.map((s) => s.name).sort()).toEqual(['deep', 'ping', 'pong', 'team_score', 'user_score']);
    const broken = Object.fromEntries(set.broken.map((b) => [path.basename(b.file), b]));
    expect(Object.keys(broken).sort()).toEqual(['bad_field.ts', 'bad_syntax.ts', 'throws_on_load.ts']);
    expect(broken['bad_syntax.ts']?.message).toMatch(/bad_syntax\.ts has a syntax error at line 1/);
    expect(broken['bad_field.ts']).toMatchObject({ field: 'input' });
    expect(broken['bad_field.ts']?.message).toMatch(/bad_field\.ts has an invalid field "input": must be a JSON Schema of type "object"/);
    expect(broken['throws_on_load.ts']?.message).toMatch(/boom at load/);
    const score = set.skills.find((s) => s.name === 'user_score');
    expect(score).toMatchObject({ description: 'The score of one user.', examples: [{ input: { id: 2 }, check: false, expect: 14 }] });
    expect(score?.hash).toMatch(/^[0-9a-f]{12}$/);
  });
});

describe('calling skills from a script', () => {
  it('runs a skill that calls a skill, with tool spans nested under skill spans', async () => {
    const { result, trace } = await run('return await skills.team_score({ ids: [1, 2, 3] });');
    expect(result.ok ? result.value : result.error).toBe(42);
    const skillSpans = trace.spans.filter((s) => s.kind === 'helper' && s.helper === 'skill');
    expect(skillSpans).toHaveLength(4);
    const team = skillSpans.find((s) => s.kind === 'helper' && s.attrs['name'] === 'team_score');
    expect(team?.parentId).toBeUndefined();
    expect(team).toMatchObject({ status: 'ok', attrs: { name: 'team_score', hash: set.skills.find((s) => s.name === 'team_score')?.hash, depth: 1 } });
    const byId = new Map(trace.spans.map((s) => [s.id, s]));
    const tools = trace.spans.filter((s) => s.kind === 'tool');
    expect(tools).toHaveLength(3);
    for (const t of tools) {
      const parent = byId.get(t.parentId ?? '');
      expect(parent).toMatchObject({ kind: 'helper', helper: 'skill', attrs: { name: 'user_score', depth: 2 } });
    }
  });

  it('refuses a cycle by name and bounds the depth', async () => {
    const cycle = await run('return await skills.ping({});');
    expect(cycle.result.ok).toBe(false);
    if (!cycle.result.ok) expect(cycle.result.error.message).toContain('Skill cycle: ping -> pong -> ping');
    const deep = await run('try { await skills.deep({}); } catch (e) { return [e.name, e.code, e.message]; }');
    expect(deep.result).toMatchObject({ ok: true, value: ['SkillError', 'cycle', expect.stringContaining('deep -> deep')] });
  });

  it('validates the input against the skill\'s schema before it runs', async () => {
    const { result, trace } = await run('try { await skills.user_score({ id: "7", extra: 1 }); } catch (e) { return [e.code, e.message]; }');
    expect(result).toMatchObject({ ok: true, value: ['invalid_input', 'skills.user_score: input.id must be number, not string; input.extra is not a known field (known: id).'] });
    expect(trace.spans).toHaveLength(0);
  });

  it('applies the run\'s quotas and approvals to the calls inside a skill', async () => {
    const quota = await run('return await skills.team_score({ ids: [1, 2, 3] });', { limits: { maxToolCalls: 2 } });
    expect(quota.result.ok ? quota.result.value : quota.result.error.code).toBe('quota_exceeded');
    // The test tools carry no annotations, so the default policy asks; nobody can answer: denied.
    const denied = await run('try { await skills.user_score({ id: 1 }); } catch (e) { return [e.name, e.code]; }', { approvals: { policy: policyFromFlags({}), whyNoBroker: 'a test cannot ask anyone' } });
    expect(denied.result).toMatchObject({ ok: true, value: ['ToolError', 'denied'] });
    expect(denied.trace.approvals?.length).toBe(1);
  });

  it('tools.search inside a script lists the skill first and tools.describe shows it', async () => {
    const { result } = await run('const hits = await tools.search("team score users", 3);\nconst d = await tools.describe("skills.team_score");\nreturn { first: hits[0], d };');
    expect(result.ok ? result.value : result.error).toMatchObject({ first: { server: 'skills', tool: 'team_score', ident: 'skills.team_score' }, d: expect.stringContaining('skills.team_score(input: { ids: number[] }): Promise<unknown>') });
  });

  it('leaves scripts that do not mention skills without the prologue', async () => {
    const { result } = await run("return typeof globalThis['sk' + 'ills'];");
    expect(result).toMatchObject({ ok: true, value: 'undefined' });
    const withSkills = await run('return Object.keys(skills).sort();');
    expect(withSkills.result).toMatchObject({ ok: true, value: ['deep', 'ping', 'pong', 'team_score', 'user_score'] });
  });
});
