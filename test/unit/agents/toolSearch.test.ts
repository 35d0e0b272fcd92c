import { describe, expect, it } from 'vitest';
import { describeTool, searchTools, stem, tokenize } from '../../../src/core/agents/toolSearch';
import { ToolError } from '../../../src/core/errors';
import { smallCatalog, syntheticCatalog } from '../../fixtures/agentsCatalog';

describe('tokenize', () => {
  it('splits camelCase, snake_case, kebab-case and dots, stems and drops stop words', () => {
    expect(tokenize('createIssue get-issue read_file tools.fs.listDirectory of the Files')).toEqual([
      'creat', 'issu', 'get', 'issu', 'read', 'fil', 'tool', 'fs', 'list', 'directori', 'fil',
    ]);
    expect(stem('directories')).toBe('directori');
    expect(stem('searching')).toBe('search');
  });
});

describe('searchTools', () => {
  const catalog = smallCatalog();

  it('ranks name matches first and returns idents and signatures', () => {
    const hits = searchTools(catalog, 'read file');
    expect(hits[0]).toMatchObject({ server: 'fs', tool: 'read_file', ident: 'fs.readFile' });
    expect(hits[0]?.signature).toBe('tools.fs.readFile(args: { path: string; }): Promise<unknown>');
    expect(hits[0]!.score).toBeGreaterThan(hits[1]!.score);
  });

  it('matches synonyms and stems (fetch → get, remove → delete, bug → issue, folder → directory)', () => {
    expect(searchTools(catalog, 'fetch issue')[0]?.ident).toBe('tracker.getIssue');
    expect(searchTools(catalog, 'remove bug')[0]?.ident).toBe('tracker.deleteIssue');
    expect(searchTools(catalog, 'folder')[0]?.ident).toBe('fs.listDirectory');
  });

  it('matches prefixes and parameter names/descriptions', () => {
    expect(searchTools(catalog, 'direc')[0]?.ident).toBe('fs.listDirectory');
    expect(searchTools(catalog, 'glob pattern')[0]?.ident).toBe('fs.searchFiles');
    expect(searchTools(catalog, 'markdown labels')[0]?.ident).toBe('tracker.createIssue');
  });

  it('puts an exact name first, honours the limit and lists tools for an empty query', () => {
    expect(searchTools(catalog, 'tracker.deleteIssue')[0]?.ident).toBe('tracker.deleteIssue');
    expect(searchTools(catalog, 'issue', { limit: 2 })).toHaveLength(2);
    expect(searchTools(catalog, '  ', { limit: 3 }).map((h) => h.ident)).toEqual(['fs.readFile', 'fs.writeFile', 'fs.listDirectory']);
    expect(searchTools(catalog, 'zzzqqq')).toEqual([]);
  });

  it('finds one tool among 1,000 by its distinctive name', () => {
    const big = syntheticCatalog(1000);
    const hits = searchTools(big, 'archive metric 318');
    expect(hits[0]?.tool).toBe('archive_metric_318');
    expect(hits).toHaveLength(8);
  });
});

describe('describeTool', () => {
  const catalog = smallCatalog();

  it('accepts server.tool, ident paths, tools.-prefixed paths and unique bare names', () => {
    const stub = describeTool(catalog, 'tracker.createIssue');
    expect(stub).toBe(
      [
        '/**',
        ' * Open a new issue in a repository.',
        ' * @mcp tracker / createIssue',
        ' */',
        'tools.tracker.createIssue(args: {',
        '  repo: string;',
        '  title: string;',
        '  /** Markdown body */',
        '  body?: string;',
        '  labels?: string[];',
        '}): Promise<unknown>;',
        '',
      ].join('\n'),
    );
    expect(describeTool(catalog, 'fs.read_file')).toContain('tools.fs.readFile(');
    expect(describeTool(catalog, 'tools.fs.readFile')).toContain('@annotations readOnlyHint=true');
    expect(describeTool(catalog, 'get-issue')).toContain('tools.tracker.getIssue(');
  });

  it('throws unknown_tool with the closest names', () => {
    let err: unknown;
    try {
      describeTool(catalog, 'fs.readFiel');
    } catch (e) {
      err = e;
    }
    expect(ToolError.is(err, 'unknown_tool')).toBe(true);
    expect((err as Error).message).toContain('tools.fs.readFile');
  });
});
