// Robustness: seeded random schemas — valid, odd and broken mixed — never make the printer throw,
// and everything it prints type-checks under strict (degraded parts included).
import { describe, expect, it } from 'vitest';
import { schemaToInlineTs, schemaToTs } from '../../../src/core/stubs/jsonSchemaToTs';
import { compileInMemory } from '../../fixtures/stubs/compileStubs';
import { mulberry32 } from '../../../src/core/demo/random';

const prng = mulberry32;

const KEYS = ['a', 'b-c', '2x', 'constructor', '__proto__', '*/', 'ünï', '', 'with space', 'then'];
const TYPES = ['string', 'number', 'integer', 'boolean', 'null', 'object', 'array', 'date', 'constructor'];
const REFS = ['#', '#/$defs/A', '#/$defs/B', '#/definitions/C', '#/$defs/Missing', '#/properties/a', 'http://x/y', '#anchor', '#/$defs/A/properties/a'];

function randomSchema(rand: () => number, depth: number): unknown {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
  const r = rand();
  if (depth <= 0 || r < 0.08) return pick<unknown>([true, false, {}, { type: pick(TYPES) }, 42, 'string', null, []]);
  const s: Record<string, unknown> = {};
  if (rand() < 0.6) s.type = rand() < 0.2 ? [pick(TYPES), pick(TYPES)] : pick(TYPES);
  if (rand() < 0.4) {
    const props: Record<string, unknown> = {};
    for (let i = 0; i < 1 + Math.floor(rand() * 4); i++) props[pick(KEYS)] = randomSchema(rand, depth - 1);
    s.properties = props;
    if (rand() < 0.5) s.required = [pick(KEYS), pick(KEYS)];
  }
  if (rand() < 0.2) s.additionalProperties = pick<unknown>([true, false, randomSchema(rand, depth - 1)]);
  if (rand() < 0.1) s.patternProperties = { '^x-': randomSchema(rand, depth - 1) };
  if (rand() < 0.2) s.items = rand() < 0.3 ? [randomSchema(rand, depth - 1)] : randomSchema(rand, depth - 1);
  if (rand() < 0.1) s.prefixItems = [randomSchema(rand, depth - 1), randomSchema(rand, depth - 1)];
  if (rand() < 0.15) s.enum = [pick<unknown>(['x', 1, -2, null, true, { k: 'v' }, [1]]), pick<unknown>(['y', 0.5])];
  if (rand() < 0.05) s.const = pick<unknown>(['c', 3, null, { a: [1] }]);
  for (const k of ['anyOf', 'oneOf', 'allOf']) {
    if (rand() < 0.12) s[k] = [randomSchema(rand, depth - 1), randomSchema(rand, depth - 1)];
  }
  if (rand() < 0.15) s.$ref = pick(REFS);
  if (rand() < 0.1) s.nullable = true;
  if (rand() < 0.3) s.description = pick(['plain', 'ends */ early', 'multi\nline\r\ntext', '@tag-like', '\u2028sep']);
  if (rand() < 0.1) s.default = pick<unknown>(['*/', 1, null, { a: '*/' }]);
  if (rand() < 0.1) s.minimum = pick<unknown>([0, -9007199254740991, 'x']);
  return s;
}

describe('schemaToTs on random schemas', () => {
  it('never throws and always prints code that type-checks', () => {
    const rand = prng(7);
    const files: Record<string, string> = {};
    for (let i = 0; i < 300; i++) {
      const root = randomSchema(rand, 4) as Record<string, unknown>;
      if (root && typeof root === 'object' && !Array.isArray(root) && rand() < 0.7) {
        root.$defs = { A: randomSchema(rand, 3), B: randomSchema(rand, 3) };
        root.definitions = { C: randomSchema(rand, 2) };
      }
      const r = schemaToTs(root, { name: 'Root' });
      expect(() => schemaToInlineTs(root)).not.toThrow();
      files[`case${i}.ts`] = r.code;
    }
    expect(compileInMemory(files)).toEqual([]);
  });
});
