// The script globals declared in tools.d.ts (ToolError, llm, toolweaver, tools.search/describe,
// aggregation helpers) type-check the way scripts use them, and a server named `search` shadows
// tools.search in the declarations as it does at run time.
import { afterAll, describe, expect, it } from 'vitest';
import { stubDeclarations } from '../../../src/core/discovery/stubText';
import { createTypeChecker } from '../../../src/core/agents/typeCheck';
import type { Catalog } from '../../../src/core/catalog/types';
import { renderStubs } from '../../../src/core/stubs/renderStubs';
import { smallCatalog } from '../../fixtures/agentsCatalog';

function shadowCatalog(): Catalog {
  const small = smallCatalog();
  return { id: 'shadow-v1', servers: [{ ...small.servers[0]!, name: 'search', ident: 'search' }] };
}

describe('script declarations', () => {
  let catalog = smallCatalog();
  const checker = createTypeChecker({ declarations: () => stubDeclarations(catalog) });
  afterAll(() => checker.dispose());

  it('ToolError narrows in a catch, and llm / map / majorityVote / bestBy / collect / search / describe are typed', async () => {
    const src = [
      'try {',
      "  await tools.fs.writeFile({ path: 'a', content: 'b' });",
      '} catch (e) {',
      "  if (e instanceof ToolError && e.code === 'denied') console.log(e.server, e.tool, e.field ?? '');",
      '  else throw e;',
      '}',
      "const hits = await tools.search('issue', 3);",
      'const doc: string = await tools.describe(hits[0]!.ident);',
      "const more = await toolweaver.search('file');",
      "const answers: string[] = await map(['a', 'b'], (x) => llm(`Say ${x}`, { model: 'gpt-4o', system: 'Be brief.' }), { concurrency: 4 });",
      'const vote = majorityVote(answers);',
      'const best: string | undefined = bestBy(answers, (a) => a.length);',
      'const settled = collect(await Promise.allSettled(answers.map((a) => llm(a))));',
      'return { doc, n: more.length + settled.values.length, winner: vote.winner, tie: vote.tie, best, sig: hits[0]!.signature };',
    ].join('\n');
    expect(await checker.check(src)).toEqual([]);
  }, 30_000);

  it('rejects misuse with real diagnostics (the declarations can fail)', async () => {
    const diags = await checker.check("const n: number = await llm('x');\nconst e = new Error('x');\nif (e instanceof ToolError) { const c: number = e.code; }");
    expect(diags.map((d) => [d.line, d.code])).toEqual([
      [1, 2322],
      [3, 2322],
    ]);
  }, 30_000);

  it('a server named `search` takes tools.search (declared and checked); toolweaver.search stays', async () => {
    const root = renderStubs(shadowCatalog()).find((f) => f.path === 'tools.d.ts')!.content;
    const toolsBlock = root.slice(root.indexOf('declare const tools: {'), root.indexOf('};'));
    expect(toolsBlock).toContain('readonly search: import(');
    expect(toolsBlock).not.toMatch(/^ {2}search\(query/m);
    expect(toolsBlock).toMatch(/^ {2}describe\(name/m);
    catalog = shadowCatalog();
    expect(await checker.check("await tools.search.readFile({ path: 'x' });\nawait toolweaver.search('x');\nawait tools.describe('search.readFile');")).toEqual([]);
    expect((await checker.check("await tools.search('x');")).length).toBeGreaterThan(0);
  }, 30_000);
});
