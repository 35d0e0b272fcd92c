// A model proposes a skill's parameters: the answer is validated against the script's literals,
// anything unusable is dropped with the reason, and a failed or malformed reply proposes none.
import { describe, expect, it } from 'vitest';
import { parseParamAnswer, proposeSkillParams } from '../../../src/core/skills/proposeParams';
import { skillFromTrace } from '../../../src/core/skills/saveSkill';
import { scriptLiterals } from '../../../src/core/skills/scriptLiterals';
import type { Trace } from '../../../src/core/trace/schema';
import { createFakeModel } from '../../fixtures/fakeModel';

const SRC = "const a = await tools.crm.find({ region: 'emea', limit: 10, active: true });\nreturn a.length;\n";
const signal = new AbortController().signal;

describe('proposeSkillParams', () => {
  it('sends the script and its literals, and keeps the valid proposals (fenced JSON accepted)', async () => {
    const model = createFakeModel([
      'Here you go:\n```json\n{"params":[{"name":"region","literal":"\'emea\'","type":"string","reason":"the region varies"},{"name":"limit","literal":"10","type":"number"}]}\n```',
    ]);
    const p = await proposeSkillParams({ model, source: SRC, task: 'count EMEA accounts', signal });
    expect(p).toEqual({
      params: [
        { name: 'region', literal: "'emea'", type: 'string', reason: 'the region varies' },
        { name: 'limit', literal: '10', type: 'number' },
      ],
      dropped: [],
    });
    const prompt = model.prompts[0]!.map((m) => m.content).join('\n');
    expect(prompt).toContain('The task was: count EMEA accounts');
    expect(prompt).toContain("1. 'emea' (line 1, near \"region\")");
    expect(prompt).toContain('3. true (line 1, near "active")');
    // The proposal feeds skillFromTrace unchanged.
    const trace = { id: 't1', script: { source: SRC, language: 'ts' }, status: 'ok', value: { value: 3, truncated: false }, spans: [] } as unknown as Trace;
    expect(skillFromTrace(trace, { name: 'emea_count', params: p.params })).toContain('region: input.region, limit: input.limit, active: true');
  });

  it('drops literals the script does not have, wrong types, and duplicate names or literals', () => {
    const answer = JSON.stringify({
      params: [
        { name: 'region', literal: "'emea'", type: 'string' },
        { name: 'country', literal: "'de'", type: 'string' },
        { name: 'limit', literal: '10', type: 'string' },
        { name: 'region', literal: 'true', type: 'boolean' },
        { name: 'zone', literal: "'emea'", type: 'string' },
      ],
    });
    const p = parseParamAnswer(answer, scriptLiterals(SRC));
    expect(p.params).toEqual([{ name: 'region', literal: "'emea'", type: 'string' }]);
    expect(p.dropped).toEqual([
      "country: 'de' is not a literal of the script.",
      'limit: 10 is not a string.',
      'region: the name is proposed twice.',
      "zone: 'emea' is already the field region.",
    ]);
    expect(p.fallback).toBeUndefined();
  });

  it('proposes none, saying why, for prose, a wrong shape, or a failing model', async () => {
    const lits = scriptLiterals(SRC);
    expect(parseParamAnswer('I think region.', lits)).toEqual({ params: [], dropped: [], fallback: 'The model did not answer with JSON, so no literal is proposed.' });
    const bad = parseParamAnswer('{"params":[{"name":"9x","literal":"10","type":"number"}]}', lits);
    expect(bad.params).toEqual([]);
    expect(bad.fallback).toMatch(/^The model's answer has the wrong shape \(params\.0\.name: /);
    const failing = await proposeSkillParams({ model: createFakeModel([{ error: 'quota exceeded' }]), source: SRC, signal });
    expect(failing).toEqual({ params: [], dropped: [], fallback: 'The model could not propose parameters (quota exceeded), so none is proposed.' });
  });

  it('does not ask the model when the script has no literals', async () => {
    const model = createFakeModel([]);
    expect(await proposeSkillParams({ model, source: 'return await tools.crm.all();', signal })).toEqual({ params: [], dropped: [] });
    expect(model.prompts).toHaveLength(0);
  });
});
