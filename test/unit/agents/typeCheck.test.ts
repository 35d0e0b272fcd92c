import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';
import { createTypeChecker, formatDiagnostics } from '../../../src/core/agents/typeCheck';
import { stubDeclarations } from '../../../src/core/discovery/stubText';
import { IMPLICIT_ANY_CODES, isBlockingCode, scriptTsconfigOptions } from '../../../src/core/stubs/scriptCompilerOptions';
import { renderStubs } from '../../../src/core/stubs/renderStubs';
import { smallCatalog } from '../../fixtures/agentsCatalog';

describe('createTypeChecker', () => {
  let decls = stubDeclarations(smallCatalog());
  const checker = createTypeChecker({ declarations: () => decls });
  afterAll(() => checker.dispose());

  it('accepts a correct script with top-level await and return', async () => {
    const src = [
      "const text = await tools.fs.readFile({ path: 'a.txt' });",
      'console.log(text);',
      'const xs = [1, 2, 3].map((x) => x * 2);',
      'return { text, xs };',
    ].join('\n');
    expect(await checker.check(src)).toEqual([]);
  }, 30_000);

  it('reports wrong tool names and argument types at the user\'s lines and columns', async () => {
    const src = [
      '// line 1',
      "const a = await tools.fs.readFiel({ path: 'x' });",
      "const b = await tools.tracker.getIssue({ repo: 'r', number: 'seven' });",
      'return [a, b];',
    ].join('\n');
    const diags = await checker.check(src);
    expect(diags.map((d) => [d.line, d.column, d.code])).toEqual([
      [2, 26, 2551],
      [3, 53, 2322],
    ]);
    expect(diags[0]?.message).toContain("Property 'readFiel' does not exist");
    expect(formatDiagnostics(diags)).toMatch(/^line 2, col 26: Property 'readFiel' does not exist .*\(TS2551\)\nline 3, col 53: /);
  });

  it('maps columns on line 1 past the wrapper and reports syntax errors', async () => {
    const diags = await checker.check('tools.fs.nope();');
    expect(diags).toEqual([expect.objectContaining({ line: 1, column: 10, code: 2339 })]);
    const syntax = await checker.check('const x = ;\nreturn x;');
    expect(syntax[0]).toMatchObject({ line: 1, column: 11, code: 1109 });
  });

  it('reports an unclosed brace at the script\'s last line, not in the wrapper', async () => {
    const diags = await checker.check('if (true) {\n  console.log(1);');
    expect(diags.length).toBeGreaterThan(0);
    expect(diags.every((d) => d.line <= 2)).toBe(true);
  });

  it('follows declaration changes', async () => {
    decls = [{ path: 'tools.d.ts', content: 'declare const tools: { fs: { fresh(): Promise<number> } };\n' }];
    expect(await checker.check('const n: number = await tools.fs.fresh();')).toEqual([]);
    expect((await checker.check("await tools.fs.readFile({ path: 'a' });"))[0]?.code).toBe(2339);
  });

  it('checks JavaScript with checkJs rules', async () => {
    expect(await checker.check('let o = {}; o.x = 1; return o;', { language: 'js' })).toEqual([]);
  });
});

describe('one compiler configuration for the pre-run check and the editor', () => {
  const checker = createTypeChecker({ declarations: () => stubDeclarations(smallCatalog()) });
  afterAll(() => checker.dispose());

  it('accepts what models write: an empty array that evolves, untyped parameters', async () => {
    // Under `noImplicitAny: false` (the old setting) `[]` was `never[]` and push failed with TS2345.
    expect(await checker.check('const out = [];\nout.push("a");\nreturn out;')).toEqual([]);
    expect(await checker.check('function twice(x) { return x * 2; }\nreturn twice(2);')).toEqual([]);
    expect(await checker.check('const o = {};\nconst k = "a";\nreturn o[k];')).toEqual([]);
  }, 30_000);

  it('still refuses real errors next to implicit-any ones', async () => {
    const diags = await checker.check('function f(x) { return x; }\nconst n: number = "one";\nreturn f(n);');
    expect(diags.map((d) => [d.line, d.code])).toEqual([[2, 2322]]);
  });

  it('the generated tsconfig files carry exactly the checker\'s options', () => {
    const files = Object.fromEntries(renderStubs(smallCatalog()).map((f) => [f.path, f.content]));
    const parsed = ts.parseConfigFileTextToJson('tsconfig.json', files['tsconfig.json'] as string);
    expect(parsed.error).toBeUndefined();
    expect((parsed.config as { compilerOptions: unknown }).compilerOptions).toEqual(scriptTsconfigOptions());
    expect(ts.convertCompilerOptionsFromJson(scriptTsconfigOptions(), '/').errors).toEqual([]);
    expect(scriptTsconfigOptions()).toMatchObject({ strict: true });
    expect(scriptTsconfigOptions()).not.toHaveProperty('noImplicitAny');
    expect([...IMPLICIT_ANY_CODES].every((c) => !isBlockingCode(c))).toBe(true);
    expect(isBlockingCode(2322)).toBe(true);
  });
});
