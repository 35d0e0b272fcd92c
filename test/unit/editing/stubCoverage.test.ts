import { describe, expect, it } from 'vitest';
import { isInside, parseStubManifest, referencesStubs } from '../../../src/core/editing/stubCoverage';
import { renderStubs } from '../../../src/core/stubs/renderStubs';
import { smallCatalog } from '../../fixtures/agentsCatalog';

describe('stub coverage: what TypeScript already lists through the stubs', () => {
  it('reads the servers and tool idents of a rendered manifest.json', () => {
    const catalog = smallCatalog();
    const manifest = renderStubs(catalog).find((f) => f.path === 'manifest.json')?.content ?? '';
    const coverage = parseStubManifest(manifest);
    expect([...coverage.keys()].sort()).toEqual(catalog.servers.map((s) => s.ident).sort());
    for (const s of catalog.servers) expect([...(coverage.get(s.ident) ?? [])].sort()).toEqual(s.tools.map((t) => t.ident).sort());
  });

  it('treats malformed manifests as "TypeScript knows nothing"', () => {
    expect(parseStubManifest('not json').size).toBe(0);
    expect(parseStubManifest('{"servers": 3}').size).toBe(0);
    expect([...parseStubManifest('{"servers":[{"ident":"a","tools":[{"ident":"x"},{"name":"y"}]},{"tools":[]}]}')]).toEqual([['a', new Set(['x'])]]);
  });

  it('sees a /// reference to tools.d.ts, and only on its own line', () => {
    expect(referencesStubs('/// <reference path="../stubs/tools.d.ts" />\nreturn 1;')).toBe(true);
    expect(referencesStubs("// intro\n///<reference path='/abs/tools.d.ts'/>")).toBe(true);
    expect(referencesStubs('const s = "/// <reference path=\\"tools.d.ts\\" />";')).toBe(false);
    expect(referencesStubs('/// <reference path="other.d.ts" />')).toBe(false);
  });

  it('isInside compares whole path segments', () => {
    expect(isInside('/w/.toolweaver/scripts/a.tw.ts', '/w/.toolweaver/scripts')).toBe(true);
    expect(isInside('/w/.toolweaver/scripts-old/a.tw.ts', '/w/.toolweaver/scripts')).toBe(false);
  });
});
