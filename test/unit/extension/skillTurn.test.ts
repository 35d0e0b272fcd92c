// `@toolweaver /skill`: the chat model's proposal for the last run is shown and carried by the Save
// Run as Skill… button; no run, a failed run or a failing model each say so instead of guessing.
import { describe, expect, it } from 'vitest';
import { runSkillTurn, type SkillProposalArgs } from '../../../src/extension/agents/skillTurn';
import { SaveRunAsSkillArgSchema } from '../../../src/extension/agents/skillTurn';
import type { Trace } from '../../../src/core/trace/schema';
import { createFakeModel } from '../../fixtures/fakeModel';

const SRC = "const rows = await tools.crm.find({ region: 'emea', limit: 10 });\nreturn rows.length;\n";
const trace = (status: string): Trace => ({ id: 'tr-1', status, script: { source: SRC, language: 'ts' }, spans: [] }) as unknown as Trace;

function makeSink() {
  const md: string[] = [];
  const buttons: SkillProposalArgs[] = [];
  return { md, buttons, markdown: (t: string) => void md.push(t), progress: () => undefined, saveButton: (a: SkillProposalArgs) => void buttons.push(a) };
}

describe('runSkillTurn', () => {
  const signal = new AbortController().signal;

  it('shows the proposal and puts it on the button, with the name the person gave', async () => {
    const model = createFakeModel(['{"params":[{"name":"region","literal":"\'emea\'","type":"string","reason":"varies per call"},{"name":"x","literal":"99","type":"number"}]}']);
    const s = makeSink();
    const args = await runSkillTurn({ model, lastTraceId: 'tr-1', lastTask: 'count emea', readTrace: async () => trace('ok') }, { prompt: 'emea_count', signal }, s);
    expect(args).toEqual({ traceId: 'tr-1', name: 'emea_count', proposed: [{ name: 'region', literal: "'emea'", type: 'string', reason: 'varies per call' }] });
    expect(s.buttons).toEqual([args]);
    const text = s.md.join('');
    expect(text).toContain("- `region: string` — was `'emea'` (varies per call)");
    expect(text).toContain('Left out: x: 99 is not a literal of the script.');
    expect(model.prompts[0]!.at(-1)!.content).toContain('The task was: count emea');
    // The command accepts what the button carries.
    expect(SaveRunAsSkillArgSchema.safeParse({ proposal: args }).success).toBe(true);
  });

  it('says there is nothing to save without a run or after a failed one, and does not ask the model', async () => {
    const model = createFakeModel([]);
    const s = makeSink();
    expect(await runSkillTurn({ model, lastTraceId: undefined, readTrace: async () => trace('ok') }, { prompt: '', signal }, s)).toBeUndefined();
    expect(await runSkillTurn({ model, lastTraceId: 'tr-1', readTrace: async () => trace('error') }, { prompt: '', signal }, s)).toBeUndefined();
    expect(s.md[0]).toMatch(/^There is no run in this chat to save yet/);
    expect(s.md[1]).toBe('The last run (tr-1) did not succeed, so it is not saved as a skill. Ask again until a run succeeds.');
    expect(s.buttons).toEqual([]);
    expect(model.prompts).toHaveLength(0);
  });

  it('falls back to no fields when the model fails, and still offers the button', async () => {
    const s = makeSink();
    const args = await runSkillTurn({ model: createFakeModel([{ error: 'no model' }]), lastTraceId: 'tr-1', readTrace: async () => trace('ok') }, { prompt: '9 bad name', signal }, s);
    expect(args).toEqual({ traceId: 'tr-1', proposed: [] });
    expect(s.md.join('')).toContain('The model could not propose parameters (no model), so none is proposed.');
  });
});
