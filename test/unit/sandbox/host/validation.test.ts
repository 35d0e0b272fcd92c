import { describe, expect, it } from 'vitest';
import { compileArgsCheck } from '../../../../src/core/sandbox/host/validation';

describe('compileArgsCheck', () => {
  const schema = {
    type: 'object',
    properties: { name: { type: 'string' }, opts: { type: 'object', properties: { limit: { type: 'integer' } }, required: ['limit'] } },
    required: ['name'],
    additionalProperties: false,
  };
  const check = compileArgsCheck(schema);

  it('accepts valid arguments', () => {
    expect(check({ name: 'a', opts: { limit: 3 } })).toBeUndefined();
  });
  it('names the missing, wrong or unknown field', () => {
    expect(check({})).toEqual({ field: 'name', message: 'name is required' });
    expect(check({ name: 1 })).toMatchObject({ field: 'name', message: expect.stringContaining('must be string') });
    expect(check({ name: 'a', opts: {} })).toEqual({ field: 'opts.limit', message: 'opts.limit is required' });
    expect(check({ name: 'a', opts: { limit: 1.5 } })).toMatchObject({ field: 'opts.limit' });
    expect(check({ name: 'a', extra: 1 })).toEqual({ field: 'extra', message: 'extra is not an accepted argument' });
  });
  it('understands draft 2020-12 schemas (zod 4 output) and ignores unknown formats', () => {
    const c = compileArgsCheck({ $schema: 'https://json-schema.org/draft/2020-12/schema', type: 'object', properties: { d: { type: 'string', format: 'made-up' } }, required: ['d'] });
    expect(c({ d: 'x' })).toBeUndefined();
    expect(c({})).toMatchObject({ field: 'd' });
  });
  it('accepts everything when the schema does not compile, and says so', () => {
    const errors: string[] = [];
    const c = compileArgsCheck({ type: 'object', properties: { a: { $ref: '#/nowhere' } } }, (m) => errors.push(m));
    expect(c({ a: 1 })).toBeUndefined();
    expect(errors).toHaveLength(1);
  });
});
