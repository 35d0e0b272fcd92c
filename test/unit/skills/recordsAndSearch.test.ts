// A skill's record from traces (runs, ok rate, median, tokens saved credited only to whole-run calls,
// versions, the last skills test) and its ranking in search (coverage weighed by the record).
import { describe, expect, it } from 'vitest';
import { createSkillRecords, describeRecord, SKILLS_TEST_ORIGIN } from '../../../src/core/skills/records';
import { searchSkills, skillSignature } from '../../../src/core/skills/skillSearch';
import type { Skill } from '../../../src/core/skills/skillSet';
import type { Trace } from '../../../src/core/trace/schema';

let n = 0;
function trace(spans: Array<{ name: string; ok?: boolean; ms: number; hash?: string; parent?: string }>, opts: { saved?: number; origin?: string; status?: string; at?: number; error?: string } = {}): Trace {
  n++;
  return {
    id: `t${n}`,
    origin: opts.origin,
    status: opts.status ?? 'ok',
    startedAtMs: opts.at ?? n * 1000,
    ...(opts.error ? { error: { name: 'SkillError', code: 'guest_error', message: opts.error } } : {}),
    ...(opts.saved !== undefined ? { tokens: { savings: { total: opts.saved } } } : {}),
    spans: spans.map((s, i) => ({ id: `h${i + 1}`, kind: 'helper', helper: 'skill', startMs: 0, endMs: s.ms, status: s.ok === false ? 'error' : 'ok', attrs: { name: s.name, hash: s.hash ?? 'aaa' }, ...(s.parent ? { parentId: s.parent } : {}) })),
  } as unknown as Trace;
}

describe('skill records', () => {
  it('counts runs, success, median and versions, and credits savings only to whole-run calls', () => {
    const r = createSkillRecords();
    r.record(trace([{ name: 'a', ms: 10 }], { saved: 500 }));
    r.record(trace([{ name: 'a', ms: 30, ok: false, hash: 'bbb' }], { saved: 100 }));
    r.record(trace([{ name: 'b', ms: 5 }, { name: 'a', ms: 20, parent: 'h1' }], { saved: 1000 }));
    const a = r.get('a');
    expect(a).toMatchObject({ runs: 3, ok: 2, medianMs: 20, tokensSaved: 600 });
    expect(a?.successRate).toBeCloseTo(2 / 3);
    expect(a?.versions).toEqual(['aaa', 'bbb']);
    expect(r.get('b')?.tokensSaved).toBe(1000);
    expect(describeRecord(a)).toBe('3 runs · 67 % ok · median 20 ms · 600 tokens saved');
    expect(describeRecord(undefined)).toBe('no runs yet');
  });

  it('marks a skill whose newest test failed, and clears it when a newer one passes', () => {
    const r = createSkillRecords();
    r.record(trace([{ name: 'a', ms: 1 }], { origin: SKILLS_TEST_ORIGIN, status: 'error', error: 'The check of example 1 returned false.', at: 5000 }));
    expect(r.get('a')?.failingExample).toBe('The check of example 1 returned false.');
    expect(describeRecord(r.get('a'))).toContain('example failing');
    r.record(trace([{ name: 'a', ms: 1 }], { origin: SKILLS_TEST_ORIGIN, at: 9000 }));
    expect(r.get('a')?.failingExample).toBeUndefined();
  });
});

const skill = (name: string, description: string, props: string[] = []): Skill =>
  ({ name, description, file: `${name}.ts`, hash: 'h', input: { type: 'object', properties: Object.fromEntries(props.map((p) => [p, { type: 'string' }])) }, examples: [], source: '', compiled: '' }) as Skill;

describe('skill search', () => {
  const skills = [skill('weekly_report', 'Weekly revenue report by region', ['week']), skill('account_review', 'Review valuable accounts', ['region'])];
  it('lists skills covering at least half the query, best first', () => {
    expect(searchSkills(skills, 'weekly revenue report').map((h) => h.skill.name)).toEqual(['weekly_report']);
    expect(searchSkills(skills, 'region').map((h) => h.skill.name)).toEqual(['account_review', 'weekly_report']);
    expect(searchSkills(skills, 'delete a file')).toEqual([]);
    expect(searchSkills(skills, '').map((h) => h.skill.name)).toEqual(['account_review', 'weekly_report']);
  });
  it('weighs by the record: a failing example halves the score', () => {
    const rec = (name: string) => (name === 'account_review' ? { runs: 4, ok: 4, successRate: 1, tokensSaved: 0, versions: [], failingExample: 'x' } : undefined);
    expect(searchSkills(skills, 'region', rec).map((h) => h.skill.name)).toEqual(['weekly_report', 'account_review']);
  });
  it('prints a signature', () => {
    expect(skillSignature(skills[0]!)).toBe('/** Weekly revenue report by region (skill) */\nskills.weekly_report(input?: { week?: string }): Promise<unknown>');
  });
});
