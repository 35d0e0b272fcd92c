// Save Run as Skill: picked literals become input fields, the output schema comes from the recorded
// value, the script text is kept; what cannot be saved says why.
import { describe, expect, it } from 'vitest';
import { SkillError } from '../../../src/core/errors';
import { compileSkill } from '../../../src/core/skills/skillSet';
import { inferSchema, literalValue, skillFromTrace } from '../../../src/core/skills/saveSkill';
import type { Trace } from '../../../src/core/trace/schema';

function trace(source: string, value?: unknown): Trace {
  return {
    version: 1,
    id: '20261202-010203-004-abcdef0123',
    script: { sha256: 'x', bytes: source.length, language: 'ts', source, path: '/w/report.ts' },
    catalogId: 'c',
    status: value === undefined ? 'error' : 'ok',
    ...(value === undefined ? {} : { value: { value, bytes: 10, truncated: false } }),
    spans: [],
  } as unknown as Trace;
}

describe('skillFromTrace', () => {
  it('turns the picked literals into input fields everywhere they occur, and infers the output', () => {
    const src = "const a = await tools.crm.find({ region: 'emea', limit: 10 });\nconst b = await tools.crm.more({ region: 'emea', page: 100 });\nreturn { n: a.length + b.length, tags: ['x'] };\n";
    const text = skillFromTrace(trace(src, { n: 3, tags: ['x'] }), { name: 'emea_report', params: [{ name: 'region', literal: "'emea'" }, { name: 'limit', literal: '10' }] });
    expect(text).toContain("tools.crm.find({ region: input.region, limit: input.limit })");
    // 100 is not the literal 10.
    expect(text).toContain("tools.crm.more({ region: input.region, page: 100 })");
    expect(text).toContain('input: {"type":"object","properties":{"region":{"type":"string","description":"Was \'emea\' in the recorded run."},"limit":{"type":"number","description":"Was 10 in the recorded run."}},"required":["region","limit"],"additionalProperties":false}');
    expect(text).toContain('output: {"type":"object","properties":{"n":{"type":"number"},"tags":{"type":"array","items":{"type":"string"}}}}');
    expect(text).toContain('examples: [{ input: {"region":"emea","limit":10}, check: (out) => ["n","tags"].every((k) => k in out) }]');
    expect(text.startsWith('// toolweaver:from-trace 20261202-010203-004-abcdef0123\n')).toBe(true);
    const compiled = compileSkill('/w/.toolweaver/skills/emea_report.ts', text);
    expect(compiled.ok).toBe(true);
  });

  it('takes {} with no parameters and keeps a module-form script runnable', () => {
    const text = skillFromTrace(trace('export default async function main() {\n  return 1;\n}\n', 1), { name: 'one' });
    expect(text).toContain('input: {"type":"object","properties":{},"required":[],"additionalProperties":false}');
    expect(text).toContain("const main = async function main() {");
    expect(text).toContain("return typeof main === 'function' ? await main() : main;");
    expect(text).toContain('check: (out) => typeof out === "number"');
  });

  it('says why a run cannot be saved', () => {
    const t = trace("return 'a';", 'a');
    expect(() => skillFromTrace(t, { name: '1bad' })).toThrow(/not a skill name/);
    expect(() => skillFromTrace(t, { name: 'x', params: [{ name: 'p', literal: "'zzz'" }] })).toThrow(/has no literal 'zzz'/);
    expect(() => skillFromTrace(t, { name: 'x', params: [{ name: 'p', literal: 'foo()' }] })).toThrow(/not a string, number or boolean literal/);
    try {
      skillFromTrace({ ...t, script: { ...t.script, source: undefined } } as Trace, { name: 'x' });
    } catch (err) {
      expect(SkillError.is(err, 'skill_unsaveable')).toBe(true);
    }
    expect.assertions(4);
  });
});

describe('literals and inferred schemas', () => {
  it('reads literals as written', () => {
    expect([literalValue("'a\\'b'"), literalValue('"x"'), literalValue('`t`'), literalValue('-2.5'), literalValue('true'), literalValue('x')]).toEqual(["a'b", 'x', 't', -2.5, true, undefined]);
  });
  it('infers nested schemas', () => {
    expect(inferSchema({ a: [{ b: null }], c: 'x' })).toEqual({ type: 'object', properties: { a: { type: 'array', items: { type: 'object', properties: { b: { type: 'null' } } } }, c: { type: 'string' } } });
    expect(inferSchema([])).toEqual({ type: 'array' });
  });
});
