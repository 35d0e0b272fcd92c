// Editor scripts may be modules: `export default async function main()` instead of a top-level
// return. The rewrite must keep every line and column where the user wrote it.
import { describe, expect, it } from 'vitest';
import { moduleFormToBody, normalizeSource } from '../../../src/core/sandbox/source';

describe('moduleFormToBody', () => {
  it('binds the default export without moving lines or columns, then returns its value', () => {
    const src = '/// <reference path="../stubs/tools.d.ts" />\nexport default async function main() {\n  return 42;\n}\n';
    const out = moduleFormToBody(src);
    const lines = out.split('\n');
    expect(lines[1]).toBe('const __tw_d = async function main() {');
    expect(lines[1]!.indexOf('async')).toBe(src.split('\n')[1]!.indexOf('async'));
    expect(lines[2]).toBe('  return 42;');
    expect(out.endsWith(";return typeof __tw_d === 'function' ? await __tw_d() : await __tw_d;")).toBe(true);
  });
  it('blanks an empty export and leaves plain scripts alone', () => {
    expect(moduleFormToBody('export {};\nreturn 1;')).toBe('          \nreturn 1;');
    expect(moduleFormToBody('const x = 1;\nreturn x;')).toBe('const x = 1;\nreturn x;');
  });
  it('ignores "export default" that is not at the start of a line', () => {
    expect(moduleFormToBody("const s = 'export default 1';\nreturn s;")).toBe("const s = 'export default 1';\nreturn s;");
  });
  it('applies after code fences are stripped', () => {
    expect(normalizeSource('```ts\nexport default 7\n```')).toContain('const __tw_d = 7');
  });
});
