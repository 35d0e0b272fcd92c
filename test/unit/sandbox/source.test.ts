import { describe, expect, it } from 'vitest';
import { normalizeSource, prepareSource, scriptColumn, scriptLocation, WRAP_PREFIX } from '../../../src/core/sandbox/source';

describe('normalizeSource', () => {
  it('takes the first fenced block out of chat text', () => {
    expect(normalizeSource('Sure:\n```ts\nconst a = 1;\nreturn a;\n```\nDone.')).toBe('const a = 1;\nreturn a;\n');
    expect(normalizeSource('~~~js\nreturn 2\n~~~')).toBe('return 2\n');
    expect(normalizeSource('```\nreturn 3')).toBe('return 3');
  });
  it('leaves plain code and strips a BOM', () => {
    expect(normalizeSource('\uFEFFreturn 1')).toBe('return 1');
    expect(normalizeSource('const s = "```";\nreturn s')).toBe('const s = "```";\nreturn s');
  });
});

describe('prepareSource', () => {
  it('wraps on line 1 and keeps every line where it was after stripping types', () => {
    const src = 'interface A { a: number }\nconst x: A = { a: 1 };\nfunction f<T>(v: T): T { return v; }\nreturn f<number>(x.a as number);';
    const r = prepareSource(src, 'ts');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.code.startsWith(WRAP_PREFIX)).toBe(true);
    const lines = r.code.split('\n');
    expect(lines[1]).toContain('const x');
    expect(lines[2]).toContain('function f');
    expect(lines[3]).toContain('return f(x.a');
    expect(lines[3]).not.toContain('as number');
  });
  it('passes JavaScript through unchanged inside the wrapper', () => {
    expect(prepareSource('return 1', 'js')).toEqual({ ok: true, code: `${WRAP_PREFIX}return 1\n})` });
  });
  it('reports TypeScript syntax errors with the script line and column', () => {
    const r = prepareSource('const a = 1;\nconst b: = 2;', 'ts');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatchObject({ code: 'syntax_error', name: 'SyntaxError', line: 2 });
  });
  it('supports a default export as the value', () => {
    const r = prepareSource('export default async function main() { return 1; }', 'ts');
    expect(r.ok && r.code).toContain('return typeof __tw_d');
  });
});

describe('script locations', () => {
  it('maps guest stack frames to script lines and columns', () => {
    expect(scriptLocation('    at f (script.ts:3:9)\n    at <anonymous> (script.ts:1:25)\n')).toEqual({ line: 3, column: 9 });
    expect(scriptLocation('    at <anonymous> (script.ts:1:25)\n')).toEqual({ line: 1, column: 25 - WRAP_PREFIX.length });
    expect(scriptLocation('    at g (prelude.js:1:100)\n')).toBeUndefined();
    expect(scriptColumn(2, 7)).toBe(7);
  });
});
