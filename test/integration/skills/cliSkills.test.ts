// `toolweaver skills` (dist/cli.js in a child process, the embedded demo): list --json's contract, a run
// saved as a skill and run from the CLI with the same result contract as `run --json`, a script calling
// it, and `skills test` passing the examples and failing a broken one (which marks the record).
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TraceSchema } from '../../../src/core/trace/schema';

const cli = path.resolve(__dirname, '../../../dist/cli.js');
const cwd = mkdtempSync(path.join(tmpdir(), 'tw-cli-skills-'));
afterAll(() => rmSync(cwd, { recursive: true, force: true }));

function tw(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [cli, ...args], { cwd, timeout: 90_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? Number((err as { code?: unknown }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

describe('toolweaver skills', () => {
  it('lists the demo skill from a fresh folder as { name, description, file, input }', async () => {
    const r = await tw(['skills', 'list', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const list = JSON.parse(r.stdout) as Array<{ name: string; description: string; file: string; input: { type: string } }>;
    expect(list.map((s) => s.name)).toEqual(['account_review']);
    expect(list[0]).toMatchObject({ file: '(embedded demo)/account_review.ts', input: { type: 'object', required: ['region'] } });
    expect(list[0]?.description).toMatch(/^Reviews the most valuable/);
  }, 60_000);

  it('runs the demo skill with the result contract of run --json, recording the skill span with its version', async () => {
    const r = await tw(['skills', 'run', 'account_review', '--input', '{"region":"emea","limit":2}', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { ok: boolean; value: { reviewed: number }; traceId: string; traceFile: string; tokens: unknown; skill: { name: string; hash: string }; stats: { toolCalls: number } };
    expect(out).toMatchObject({ ok: true, value: { reviewed: 2 }, skill: { name: 'account_review' }, stats: { toolCalls: 3 } });
    const trace = TraceSchema.parse(JSON.parse(readFileSync(out.traceFile, 'utf8')));
    const span = trace.spans.find((s) => s.kind === 'helper' && s.helper === 'skill');
    expect(span).toMatchObject({ attrs: { name: 'account_review', hash: out.skill.hash } });
    // Every tool call is inside the skill span (under map's item spans for the fan-out).
    const byId = new Map(trace.spans.map((s) => [s.id, s]));
    const inside = (id: string | undefined): boolean => id !== undefined && (id === span?.id || inside(byId.get(id)?.parentId));
    const toolSpans = trace.spans.filter((s) => s.kind === 'tool');
    expect(toolSpans).toHaveLength(3);
    expect(toolSpans.every((s) => inside(s.parentId))).toBe(true);
    const bad = await tw(['skills', 'run', 'account_review', '--input', '{"region":"mars"}', '--json']);
    expect(bad.code).toBe(3);
    expect((JSON.parse(bad.stdout) as { error: { message: string } }).error.message).toContain('input.region must be one of');
  }, 60_000);

  it('saves a run as a skill with picked parameters, runs it, calls it from a script, and tests its example', async () => {
    writeFileSync(path.join(cwd, 'apac.ts'), "const r = await tools.demo.search_customers({ filters: { region: ['apac'] }, limit: 3 });\nreturn { count: r.customers.length, first: r.customers[0].name };\n");
    const ran = await tw(['run', 'apac.ts', '--json']);
    expect(ran.code, ran.stderr).toBe(0);
    const { traceId } = JSON.parse(ran.stdout) as { traceId: string };
    const saved = await tw(['skills', 'save', traceId, '--name', 'region_top', '--param', "region='apac'", '--param', 'limit=3', '--json']);
    expect(saved.code, saved.stderr).toBe(0);
    const { file } = JSON.parse(saved.stdout) as { file: string };
    const text = readFileSync(file, 'utf8');
    expect(text).toContain(`// toolweaver:from-trace ${traceId}`);
    expect(text).toContain('filters: { region: [input.region] }, limit: input.limit');
    expect(text).toContain('output: {"type":"object","properties":{"count":{"type":"number"},"first":{"type":"string"}}}');

    const run = await tw(['skills', 'run', 'region_top', '--input', '{"region":"latam","limit":2}', '--json']);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ ok: true, value: { count: 2 } });

    writeFileSync(path.join(cwd, 'both.ts'), 'const a = await skills.region_top({ region: "emea", limit: 1 });\nconst b = await skills.account_review({ region: "emea", limit: 1 });\nreturn [a.count, b.reviewed];\n');
    const both = await tw(['run', 'both.ts', '--json']);
    expect(both.code, both.stderr).toBe(0);
    expect(JSON.parse(both.stdout)).toMatchObject({ ok: true, value: [1, 1] });

    const tested = await tw(['skills', 'test', '--json']);
    expect(tested.code, tested.stderr).toBe(0);
    expect(JSON.parse(tested.stdout)).toEqual({ ok: true, results: [{ name: 'region_top', example: 1, ok: true }, { name: 'account_review', example: 1, ok: true }] });

    // A broken example fails the test and marks the skill's record.
    writeFileSync(file, text.replace('check: (out) =>', 'check: (out) => out.count === 99 &&'));
    const failed = await tw(['skills', 'test', 'region_top', '--json']);
    expect(failed.code).toBe(3);
    expect(JSON.parse(failed.stdout)).toMatchObject({ ok: false, results: [{ name: 'region_top', ok: false, message: 'The check of example 1 returned false.' }] });
    const list = JSON.parse((await tw(['skills', 'list', '--json'])).stdout) as Array<{ name: string; record: { runs: number; failingExample?: string; versions: string[] } | null }>;
    const rec = list.find((s) => s.name === 'region_top')?.record;
    expect(rec?.failingExample).toBe('The check of example 1 returned false.');
    expect(rec?.runs).toBe(4);
    expect(rec?.versions).toHaveLength(2);
  }, 180_000);

  it('names a broken skill file and the field, and keeps the others', async () => {
    writeFileSync(path.join(cwd, '.toolweaver', 'skills', 'nameless.ts'), "export const skill = defineSkill({ name: 'nameless', description: '', input: { type: 'object' }, run: async () => 1 });\n");
    const r = await tw(['skills', 'list', '--json']);
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as Array<{ name: string }>).map((s) => s.name)).toEqual(['region_top', 'account_review']);
    expect(r.stderr).toContain('nameless.ts has an invalid field "description": must say what the skill does');
  }, 60_000);
});
