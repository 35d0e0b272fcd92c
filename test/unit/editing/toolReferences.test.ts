import { describe, expect, it } from 'vitest';
import { completionContextAt, findToolReferences, toolReferenceAt } from '../../../src/core/editing/toolReferences';

describe('findToolReferences', () => {
  it('finds server and tool with exact offsets', () => {
    const text = 'const a = await tools.demo.get_customer({ id: 1 });\nconst b = tools . github . search';
    const refs = findToolReferences(text);
    expect(refs).toHaveLength(2);
    expect(refs[0]).toMatchObject({ server: 'demo', tool: 'get_customer', start: 16, serverStart: 22 });
    expect(text.slice(refs[0]!.toolStart!, refs[0]!.end)).toBe('get_customer');
    expect(refs[1]).toMatchObject({ server: 'github', tool: 'search' });
    expect(text.slice(refs[1]!.serverStart, refs[1]!.serverStart + 6)).toBe('github');
  });
  it('does not match identifiers that merely end in "tools"', () => {
    expect(findToolReferences('mytools.demo.x')).toEqual([]);
  });
  it('does not match paths or properties named tools (the stubs reference line of every script)', () => {
    expect(findToolReferences('/// <reference path="../stubs/tools.d.ts" />')).toEqual([]);
    expect(findToolReferences('other.tools.demo.x')).toEqual([]);
    expect(findToolReferences('(tools.demo.x)')).toHaveLength(1);
  });
  it('finds the reference under the cursor', () => {
    const line = 'x = tools.demo.list_orders({})';
    expect(toolReferenceAt(line, 17)?.tool).toBe('list_orders');
    expect(toolReferenceAt(line, 1)).toBeUndefined();
  });
});

describe('completionContextAt', () => {
  it('offers servers after tools.', () => {
    expect(completionContextAt('await tools.')).toEqual({ kind: 'server', prefix: '' });
    expect(completionContextAt('await tools.de')).toEqual({ kind: 'server', prefix: 'de' });
  });
  it('offers tools after tools.<server>.', () => {
    expect(completionContextAt('await tools.demo.')).toEqual({ kind: 'tool', server: 'demo', prefix: '' });
    expect(completionContextAt('await tools.demo.get_c')).toEqual({ kind: 'tool', server: 'demo', prefix: 'get_c' });
  });
  it('offers nothing elsewhere', () => {
    expect(completionContextAt('const x = 1')).toBeUndefined();
  });
});
