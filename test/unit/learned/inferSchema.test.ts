// Inference rules: optional fields, unions, arrays of records, string enums only for few repeated
// values, order independence; drift checks against what inference emits; the TS the stubs print.
import { describe, expect, it } from 'vitest';
import { inferSchema } from '../../../src/core/learned/inferSchema';
import { misfit } from '../../../src/core/learned/drift';
import { mergeLearned } from '../../../src/core/learned/learnTypes';
import { schemaToTs } from '../../../src/core/stubs/jsonSchemaToTs';

const ts = (samples: unknown[]) => schemaToTs(inferSchema(samples), { name: 'Out' }).code;

describe('inferSchema', () => {
  it('merges records: a key missing from some samples is optional; integers and floats are numbers', () => {
    expect(ts([{ id: 'a', n: 1 }, { id: 'b', n: 2.5, note: 'x' }])).toBe('export interface Out {\n  id: string;\n  n: number;\n  note?: string;\n}\n');
  });

  it('arrays of records get one merged item type; differing kinds become a union', () => {
    expect(ts([[{ a: 1 }, { a: 2, b: true }], []])).toBe('export type Out = {\n  a: number;\n  b?: boolean;\n}[];\n');
    expect(ts(['text', { ok: true }, null])).toBe('export type Out = null | {\n  ok: boolean;\n} | string;\n');
  });

  it('strings become an enum only when few values repeat; ids seen once stay strings', () => {
    expect(inferSchema(['open', 'closed', 'open', 'closed', 'open'])).toEqual({ type: 'string', enum: ['closed', 'open'] });
    expect(inferSchema(['cus_1', 'cus_2', 'cus_3'])).toEqual({ type: 'string' });
    expect(inferSchema(['[REDACTED:email]', '[REDACTED:email]', 'a', 'a'])).toEqual({ type: 'string' });
  });

  it('is the same whatever the order of samples and keys', () => {
    const a = [{ x: 1, y: 'a' }, { y: 'b' }, 'z'];
    expect(inferSchema(a)).toEqual(inferSchema([...a].reverse()));
  });
});

describe('drift', () => {
  const schema = inferSchema([{ status: 'ok', n: 1 }, { status: 'ok', n: 2 }, { status: 'bad', n: 3 }, { status: 'bad', n: 4 }]);
  it('accepts what fits and names where a result does not', () => {
    expect(misfit(schema, { status: 'ok', n: 9 })).toBeUndefined();
    expect(misfit(schema, { status: 'ok' })).toBe('$.n: missing (it was in every result before)');
    expect(misfit(schema, { status: 'ok', n: 'x' })).toBe('$.n: expected number, got string');
    expect(misfit(schema, { status: 'new', n: 1 })).toBe('$.status: "new" is not one of the 2 values seen before');
    expect(misfit(schema, { status: 'ok', n: 1, more: 1 })).toBe('$.more: a field never seen before');
  });
});

describe('mergeLearned', () => {
  it('keeps discarded entries unless re-inferred', () => {
    const file = { version: 1 as const, tools: { 's/t': { schema: {}, calls: 1, date: 'd', discarded: true } } };
    const fresh = new Map([['s/t', { schema: { type: 'string' }, calls: 2, date: 'e' }]]);
    expect(mergeLearned(file, fresh).tools['s/t']?.discarded).toBe(true);
    expect(mergeLearned(file, fresh, new Set(['s/t'])).tools['s/t']).toEqual({ schema: { type: 'string' }, calls: 2, date: 'e' });
  });
});

describe('findLearnedType (the stub CodeLens anchor)', () => {
  it('finds the doc line and the tool of a stub rendered with a learned type', async () => {
    const { renderToolFile } = await import('../../../src/core/stubs/renderToolFile');
    const { findLearnedType } = await import('../../../src/core/stubs/learnedDoc');
    const server = { name: 'every "thing"', ident: 'everything', source: 'mcp' as const, status: { state: 'connected' as const }, tools: [] };
    const tool = { name: 'get-sum', ident: 'get_sum', inputSchema: { type: 'object' }, learnedOutput: { schema: { type: 'string' }, calls: 3, date: '2026-12-02', pinned: false } };
    const text = renderToolFile(server, tool, { input: 'In', output: 'Out' }).content;
    expect(text).toContain('/** Output type inferred from 3 calls (2026-12-02) — not declared by the server */\nexport type Out = string;\n');
    expect(findLearnedType(text)).toEqual({ line: text.split('\n').findIndex((l) => l.startsWith('/** Output type')), server: 'every "thing"', tool: 'get-sum', calls: 3, date: '2026-12-02', pinned: false });
    const pinned = renderToolFile(server, { ...tool, learnedOutput: { ...tool.learnedOutput, pinned: true, calls: 1 } }, { input: 'In', output: 'Out' }).content;
    expect(findLearnedType(pinned)).toMatchObject({ pinned: true, calls: 1 });
    expect(findLearnedType(renderToolFile(server, { ...tool, learnedOutput: undefined }, { input: 'In', output: 'Out' }).content)).toBeUndefined();
  });
});
