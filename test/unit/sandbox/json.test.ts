import { describe, expect, it } from 'vitest';
import { canonicalJson, jsonDepth, maxJsonDepth } from '../../../src/core/sandbox/json';

describe('jsonDepth', () => {
  it('counts nesting and ignores brackets inside strings', () => {
    expect(jsonDepth('1')).toBe(0);
    expect(jsonDepth('{"a":[1,{"b":[]}]}')).toBe(4);
    expect(jsonDepth('["[[[[", "\\"[[", {"k}": "]]]"}]')).toBe(2);
    expect(jsonDepth('['.repeat(100_000) + ']'.repeat(100_000))).toBe(100_000);
  });
  it('scales the guest limit with the stack', () => {
    expect(maxJsonDepth(512)).toBe(256);
    expect(maxJsonDepth(8)).toBe(16);
  });
});

describe('canonicalJson', () => {
  it('sorts keys at every level so equal data gives equal text', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 0, y: null }], c: 'x' } })).toBe('{"a":{"c":"x","d":[1,{"y":null,"z":0}]},"b":1}');
    expect(canonicalJson({ x: 1, y: 2 })).toBe(canonicalJson({ y: 2, x: 1 }));
    expect(canonicalJson([])).toBe('[]');
    expect(canonicalJson({})).toBe('{}');
    expect(canonicalJson('a"b')).toBe('"a\\"b"');
  });
  it('matches JSON.stringify for data without key-order differences', () => {
    const v = { a: [1, 'two', true, null, { b: 3.5 }], c: 'ü\u0000' };
    expect(canonicalJson(v)).toBe(JSON.stringify(v));
  });
  it('handles deep nesting without recursion', () => {
    let v: unknown = 1;
    for (let i = 0; i < 100_000; i++) v = [v];
    expect(canonicalJson(v).length).toBe(200_001);
  });
});
